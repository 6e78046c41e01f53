package io.mastermind.worker.handlers;

import io.mastermind.worker.spi.TaskContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** A {@link TaskContext} for unit tests: records progress and lets the test cancel the task. */
final class TestContext implements TaskContext {

  private final List<Double> progress = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstProgress = new CountDownLatch(1);
  private volatile boolean cancelled;

  @Override
  public String taskId() {
    return "test-task";
  }

  @Override
  public void reportProgress(double fraction) {
    progress.add(fraction);
    firstProgress.countDown();
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  void cancel() {
    cancelled = true;
  }

  List<Double> progress() {
    return List.copyOf(progress);
  }

  /** Counted down on the first progress report: proof that a handler is under way. */
  CountDownLatch firstProgress() {
    return firstProgress;
  }
}
