package io.mastermind.worker;

import io.mastermind.protocol.TaskSpec;
import io.mastermind.worker.spi.TaskContext;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One assigned attempt of a task on this worker, from assignment to end. The state moves once from
 * WAITING to RUNNING (a task thread took it) or straight to DONE (withdrawn before it started), so
 * exactly one party reports how it ended. Interrupts are sent under the lock and only while RUNNING,
 * so a late cancel never hits the next task that reuses the thread.
 *
 * <p>The fields without a lock below the state machine belong to the worker's event-loop context and
 * are only touched there.
 */
final class RunningTask implements TaskContext {

  enum State { WAITING, RUNNING, DONE }

  /** Where a handler's progress goes, with the attempt that reported it. */
  interface ProgressSink {
    void report(RunningTask task, double fraction);
  }

  final TaskSpec spec;
  final int attempt;
  /** W3C traceparent of its dispatch span, when the leader traced it; else null. */
  final String traceParent;
  /** When progress was last passed on ({@link System#nanoTime()}), for the sink's rate limit; MIN_VALUE before. */
  final AtomicLong lastProgressNanos = new AtomicLong(Long.MIN_VALUE);
  private final ProgressSink progressSink;
  private State state = State.WAITING;
  private Thread runner;
  private Long startedAt;
  private volatile boolean cancelled;
  private volatile boolean timedOut;

  // ---- event-loop context only ----
  /** The timeout timer, or -1. */
  long timeoutTimer = -1;
  /** {@link System#nanoTime()} when the context learnt the task started. */
  long startNanos;
  /** True once its {@code running} update was handed to the outbox. */
  boolean runningReported;
  /** Progress reported before {@code running} was: sent with it, or dropped if the task ends first. */
  Double heldProgress;
  /** Running a non-blocking handler on the event loop right now (event loop only). */
  boolean inline;

  RunningTask(TaskSpec spec, int attempt, String traceParent, ProgressSink progressSink) {
    this.spec = spec;
    this.attempt = attempt;
    this.traceParent = traceParent;
    this.progressSink = progressSink;
  }

  /** Called by the task thread; false when the task was withdrawn before it started. */
  synchronized boolean begin() {
    if (state != State.WAITING) {
      return false;
    }
    state = State.RUNNING;
    runner = Thread.currentThread();
    startedAt = System.currentTimeMillis();
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

  /** When a task thread took it (worker clock), or null while it has not started. */
  synchronized Long startedAt() {
    return startedAt;
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
    progressSink.report(this, Math.max(0.0, Math.min(1.0, fraction)));
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }
}
