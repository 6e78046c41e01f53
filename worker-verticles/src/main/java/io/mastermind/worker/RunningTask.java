package io.mastermind.worker;

import io.mastermind.protocol.TaskSpec;
import io.mastermind.worker.spi.TaskContext;

import java.util.function.DoubleConsumer;

/**
 * One assigned task on this worker, from assignment to end. The state moves once from WAITING to
 * RUNNING (a task thread took it) or straight to DONE (cancelled or revoked before it started), so
 * exactly one party reports how it ended. Interrupts are sent under the lock and only while RUNNING,
 * so a late cancel never hits the next task that reuses the thread.
 */
final class RunningTask implements TaskContext {

  enum State { WAITING, RUNNING, DONE }

  final TaskSpec spec;
  final int attempt;
  private final DoubleConsumer progressSink;
  private State state = State.WAITING;
  private Thread runner;
  private volatile boolean cancelled;
  private volatile boolean timedOut;
  long timeoutTimer = -1;

  RunningTask(TaskSpec spec, int attempt, DoubleConsumer progressSink) {
    this.spec = spec;
    this.attempt = attempt;
    this.progressSink = progressSink;
  }

  /** Called by the task thread; false when the task was withdrawn before it started. */
  synchronized boolean begin() {
    if (state != State.WAITING) {
      return false;
    }
    state = State.RUNNING;
    runner = Thread.currentThread();
    return true;
  }

  /** Called by the task thread when the handler returned or threw. */
  synchronized void end() {
    state = State.DONE;
    runner = null;
  }

  /** Withdraws a task not yet started; false when a thread already runs it (or it ended). */
  synchronized boolean withdraw() {
    if (state != State.WAITING) {
      return false;
    }
    state = State.DONE;
    return true;
  }

  /** Stops a started task: sets the flag the handler polls and interrupts its thread. */
  synchronized void stop(boolean becauseOfTimeout) {
    if (becauseOfTimeout) {
      timedOut = true;
    }
    cancelled = true;
    if (state == State.RUNNING && runner != null) {
      runner.interrupt();
    }
  }

  synchronized boolean isRunning() {
    return state == State.RUNNING;
  }

  boolean timedOut() {
    return timedOut;
  }

  @Override
  public String taskId() {
    return spec.id();
  }

  @Override
  public void reportProgress(double fraction) {
    progressSink.accept(Math.max(0.0, Math.min(1.0, fraction)));
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }
}
