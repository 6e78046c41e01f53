package io.mastermind.coordinator;

import io.mastermind.protocol.TaskUpdate;
import io.mastermind.store.InMemoryTaskStore;
import io.mastermind.store.StoreBatch;
import io.mastermind.store.StoredTasks;
import io.mastermind.store.TaskStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.function.Predicate;
import java.util.function.Supplier;

/** What the leader tests share: options, task bodies, outcomes, stores, and polling without sleeping. */
final class LeaderFixtures {

  static final long POLL_MS = 20;

  private LeaderFixtures() {
  }

  /**
   * Default options, but with a failure detector slow enough that a stand-in that sends no heartbeat
   * stays healthy for the length of a test.
   */
  static CoordinatorOptions options() {
    return new CoordinatorOptions().setClusterConfig(new JsonObject().put("healthCheck",
      new JsonObject().put("interval", 10_000).put("timeout", 60_000).put("retries", 3)));
  }

  static CoordinatorClient client(Vertx vertx) {
    return new CoordinatorClient(vertx.eventBus(), 5_000);
  }

  static Future<String> deploy(Vertx vertx, TaskStore store) {
    return deploy(vertx, options(), store);
  }

  static Future<String> deploy(Vertx vertx, CoordinatorOptions options, TaskStore store) {
    return vertx.deployVerticle(new CoordinatorVerticle(options, store, "c1"));
  }

  /** A compute task running the built-in {@code echo}. */
  static JsonObject echo(String id) {
    return new JsonObject().put("id", id).put("type", "compute")
      .put("payload", new JsonObject().put("function", "echo").put("data", new JsonObject().put("n", id)));
  }

  /** An io_bound {@code sleep} task needing one core. */
  static JsonObject sleep(String id, String priority) {
    return new JsonObject().put("id", id).put("type", "io_bound").put("priority", priority)
      .put("requirements", new JsonObject().put("cpu", 1))
      .put("payload", new JsonObject().put("function", "sleep").put("data", new JsonObject().put("ms", 60_000)));
  }

  static TaskUpdate succeeded(String taskId, int attempt, long startedAt, long at, Object result) {
    return new TaskUpdate(taskId, attempt, TaskUpdate.SUCCEEDED, at, startedAt, null, result, null, false);
  }

  static TaskUpdate cancelled(String taskId, int attempt, long startedAt, long at) {
    return new TaskUpdate(taskId, attempt, TaskUpdate.CANCELLED, at, startedAt, null, null, null, false);
  }

  /** Polls until {@code done} holds for what {@code probe} answers; fails with the last answer after {@code timeoutMs}. */
  static <T> Future<T> eventually(Vertx vertx, Supplier<Future<T>> probe, Predicate<T> done, long timeoutMs) {
    Promise<T> promise = Promise.promise();
    poll(vertx, probe, done, System.currentTimeMillis() + timeoutMs, promise);
    return promise.future();
  }

  private static <T> void poll(Vertx vertx, Supplier<Future<T>> probe, Predicate<T> done, long deadline, Promise<T> promise) {
    probe.get().onComplete(ar -> {
      if (ar.succeeded() && done.test(ar.result())) {
        promise.tryComplete(ar.result());
      } else if (System.currentTimeMillis() > deadline) {
        promise.tryFail(new AssertionError("condition never held; last answer: "
          + (ar.succeeded() ? ar.result() : ar.cause())));
      } else {
        vertx.setTimer(POLL_MS, t -> poll(vertx, probe, done, deadline, promise));
      }
    });
  }

  /**
   * Polls for {@code forMs} and fails as soon as {@code ok} does not hold: how a test shows that
   * something does NOT happen (no more assignments, a slot still held).
   */
  static <T> Future<T> holds(Vertx vertx, Supplier<Future<T>> probe, Predicate<T> ok, long forMs) {
    Promise<T> promise = Promise.promise();
    check(vertx, probe, ok, System.currentTimeMillis() + forMs, promise);
    return promise.future();
  }

  private static <T> void check(Vertx vertx, Supplier<Future<T>> probe, Predicate<T> ok, long until, Promise<T> promise) {
    probe.get().onComplete(ar -> {
      if (ar.failed() || !ok.test(ar.result())) {
        promise.tryFail(new AssertionError("condition stopped holding: " + (ar.succeeded() ? ar.result() : ar.cause())));
      } else if (System.currentTimeMillis() >= until) {
        promise.tryComplete(ar.result());
      } else {
        vertx.setTimer(POLL_MS, t -> check(vertx, probe, ok, until, promise));
      }
    });
  }

  /** The in-memory store, but a write becomes durable (and visible in {@link #inner}) only after a delay. */
  static final class SlowStore implements TaskStore {
    final InMemoryTaskStore inner = new InMemoryTaskStore();
    private final Vertx vertx;
    private final long delayMs;

    SlowStore(Vertx vertx, long delayMs) {
      this.vertx = vertx;
      this.delayMs = delayMs;
    }

    @Override
    public Future<Void> write(StoreBatch batch) {
      Promise<Void> promise = Promise.promise();
      vertx.setTimer(delayMs, t -> inner.write(batch).onComplete(promise));
      return promise.future();
    }

    @Override
    public Future<StoredTasks> load() {
      return inner.load();
    }

    /** The stored status of a task, or null. */
    String storedStatus(String id) {
      return inner.load().result().records().stream().filter(r -> r.id().equals(id))
        .map(r -> r.status().wireName()).findFirst().orElse(null);
    }
  }
}
