/**
 * The coordinator: the task state machine, queue, placement and retries, as a verticle over the
 * pure policies of {@code scheduler}, {@code balancer} and {@code resources}.
 */
package io.mastermind.coordinator;
