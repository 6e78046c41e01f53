package io.mastermind.coordinator;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a test consumer received, in arrival order, with futures that complete once what was received
 * satisfies a condition: the tests wait on these instead of sleeping. A wait that is not satisfied
 * within {@link #WAIT_MS} fails, naming what was received, so a broken leader fails a test quickly
 * rather than at its timeout. Thread-safe: consumers run on event loops, tests read from their own thread.
 */
public final class Recorder<T> {

  public static final long WAIT_MS = 5_000;

  private record Watch<T>(Predicate<List<T>> condition, Promise<List<T>> promise) {
  }

  private final List<T> items = new ArrayList<>();
  private final List<Watch<T>> watches = new ArrayList<>();
  private final Vertx vertx;
  private final String name;

  public Recorder(Vertx vertx, String name) {
    this.vertx = vertx;
    this.name = name;
  }

  public void add(T item) {
    List<Watch<T>> ready = new ArrayList<>();
    List<T> snapshot;
    synchronized (this) {
      items.add(item);
      snapshot = List.copyOf(items);
      watches.removeIf(w -> w.condition().test(snapshot) && ready.add(w));
    }
    ready.forEach(w -> w.promise().tryComplete(snapshot));
  }

  public synchronized List<T> all() {
    return List.copyOf(items);
  }

  /** Completes with everything received so far once {@code condition} holds for it (at once if it does now). */
  public Future<List<T>> until(Predicate<List<T>> condition) {
    Promise<List<T>> promise = Promise.promise();
    List<T> snapshot;
    synchronized (this) {
      snapshot = List.copyOf(items);
      if (!condition.test(snapshot)) {
        Watch<T> watch = new Watch<>(condition, promise);
        watches.add(watch);
        vertx.setTimer(WAIT_MS, t -> expire(watch));
        return promise.future();
      }
    }
    promise.complete(snapshot);
    return promise.future();
  }

  private void expire(Watch<T> watch) {
    List<T> snapshot;
    synchronized (this) {
      if (!watches.remove(watch)) {
        return;
      }
      snapshot = List.copyOf(items);
    }
    List<T> last = snapshot.subList(Math.max(0, snapshot.size() - 10), snapshot.size());
    watch.promise().tryFail(new AssertionError(name + ": the awaited condition did not hold within " + WAIT_MS
      + " ms; " + snapshot.size() + " received, the last ones: " + last));
  }

  /** Completes with the first item received after this call that matches. */
  public Future<T> next(Predicate<T> matching) {
    int seen;
    synchronized (this) {
      seen = items.size();
    }
    int from = seen;
    return until(list -> list.subList(from, list.size()).stream().anyMatch(matching))
      .map(list -> list.subList(from, list.size()).stream().filter(matching).findFirst().orElseThrow());
  }
}
