package io.mastermind.worker.spi;

/** What a running handler can see and report. Thread-safe. */
public interface TaskContext {

  String taskId();

  /** Reports progress in [0, 1]; published as a {@code task:progress} event. Cheap; rate-limited by the worker. */
  void reportProgress(double fraction);

  /** True once the task was cancelled or timed out. */
  boolean isCancelled();

  /** Throws {@link InterruptedException} when the task was cancelled, timed out or the thread interrupted. */
  default void checkCancelled() throws InterruptedException {
    if (isCancelled() || Thread.currentThread().isInterrupted()) {
      throw new InterruptedException("task " + taskId() + " was cancelled");
    }
  }
}
