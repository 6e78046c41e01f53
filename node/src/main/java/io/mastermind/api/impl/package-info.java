/**
 * The two {@link io.mastermind.api.DistributedSystem} implementations: embedded (a node in this process,
 * spoken to over the event bus) and remote (a gateway, spoken to over HTTP and the WebSocket of SPEC
 * section 6), plus what they share.
 */
package io.mastermind.api.impl;
