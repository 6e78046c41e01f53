package io.mastermind.gateway;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cap on requests that hold their connection until a task ends ({@code POST /api/v1/tasks?wait=MS}
 * and {@code POST /api/v1/nexus/tasks}): {@code http.limits.maxWaiters}. A request takes a slot before
 * anything is submitted, and gives it back when it is answered; with none free it is answered 429
 * {@code LIMIT_EXCEEDED} and nothing is created. Thread-safe.
 */
final class WaitSlots {

  private final int max;
  private final AtomicInteger taken = new AtomicInteger();

  WaitSlots(int max) {
    this.max = max;
  }

  /** True when a slot was taken (give it back with {@link #release()}); false when all are taken. */
  boolean tryAcquire() {
    while (true) {
      int now = taken.get();
      if (now >= max) {
        return false;
      }
      if (taken.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  void release() {
    taken.decrementAndGet();
  }

  int max() {
    return max;
  }

  int taken() {
    return taken.get();
  }
}
