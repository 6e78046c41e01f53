/**
 * The leading coordinator: {@link io.mastermind.coordinator.CoordinatorVerticle} (leadership, epoch,
 * takeover, and the deployment of the leader's other three verticles) and its parts, one job each:
 * {@link io.mastermind.coordinator.Submissions} (admission, accepted means stored),
 * {@link io.mastermind.coordinator.Dispatcher} (scheduling passes, assignment batches, claims, node
 * loss, drain), {@link io.mastermind.coordinator.Outcomes} (result batches, terminal writes, retries,
 * waiters), {@link io.mastermind.coordinator.Queries}, and the pure books they share
 * ({@link io.mastermind.coordinator.TaskBook}, placements, counters). The event-bus client of the
 * coordinator's addresses is {@link io.mastermind.coordinator.CoordinatorClient}.
 */
package io.mastermind.coordinator;
