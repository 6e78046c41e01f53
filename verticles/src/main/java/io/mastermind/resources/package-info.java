/**
 * Resources, pure Java, no Vert.x: the per-node {@link io.mastermind.resources.ResourceLedger} of cpu,
 * memory and gpu, and the leader's {@link io.mastermind.resources.ReservationBook} on top of it
 * (reservations keyed by task and attempt, prefetch per node). The resource verticle that drives the
 * book lives in {@code io.mastermind.controlplane}.
 */
package io.mastermind.resources;
