/**
 * Workers: {@link io.mastermind.worker.WorkerVerticle} speaks the v2 worker protocol (join with held
 * tasks, heartbeats, assignment batches, cancel and revoke); {@code TaskRunner} keeps the local queue
 * behind a {@link io.mastermind.worker.SlotGate} (pure Java) and runs tasks on a bounded pool of task
 * threads; {@code Outbox} batches the reports and resends outcomes until the leader acknowledges them;
 * {@link io.mastermind.worker.HandlerRegistry} finds the {@link io.mastermind.worker.spi.TaskHandler}s
 * with {@link java.util.ServiceLoader}.
 */
package io.mastermind.worker;
