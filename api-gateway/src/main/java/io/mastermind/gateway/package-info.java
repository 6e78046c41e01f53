/**
 * The gateway: the HTTP routes of SPEC section 5 and the WebSocket endpoint of section 6 over the
 * coordinator's event-bus API, with token auth, health checks and Prometheus metrics.
 */
package io.mastermind.gateway;
