/**
 * Node authentication: who may speak on the cluster's event bus.
 *
 * <p>With a cluster secret configured, every message between nodes is a {@link io.mastermind.security.Sealed}
 * envelope signed (HMAC-SHA256, one key per node derived from the secret) by
 * {@link io.mastermind.security.SealedCodec} as it leaves a JVM and checked as it arrives; every
 * sender and receiver goes through a {@link io.mastermind.security.SecureChannel}, which also checks the
 * author, the receiver, freshness and replays, and refuses, counts and alerts on the rest
 * ({@link io.mastermind.security.ClusterSecurity}). Without a secret (loopback only) messages travel
 * as plain JSON, exactly as before.
 *
 * <p>The signer, the replay window and the alert limiter are pure Java; the rest is the Vert.x glue.
 */
package io.mastermind.security;
