/**
 * The gateway: the HTTP routes of SPEC section 5 and the WebSocket endpoint of section 6 over the
 * coordinator's event-bus API, with health checks and Prometheus metrics. {@link io.mastermind.gateway.GatewaySecurity}
 * puts the policies of {@link io.mastermind.gateway.security} in front of them: Origin and Host checks,
 * scoped API tokens, rate limits, the slow-down after failed logins, and TLS ({@link io.mastermind.gateway.TlsOptions}).
 */
package io.mastermind.gateway;
