/**
 * Who may call the gateway and how often, as pure policy (SPEC section 10, README "Security"): token
 * scopes, the scope each route needs, the Origin and Host allow-lists, per-caller rate limits and the
 * slow-down of addresses that keep failing authentication. Nothing here imports Vert.x; the gateway's
 * handlers feed these classes strings and clock readings and act on the answers.
 */
package io.mastermind.gateway.security;
