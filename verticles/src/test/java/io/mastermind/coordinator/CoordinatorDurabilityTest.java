package io.mastermind.coordinator;

import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.store.InMemoryTaskStore;
import io.mastermind.store.StoreBatch;
import io.mastermind.store.StoredTasks;
import io.mastermind.store.TaskStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Accepted means stored: what the coordinator answers when its store cannot write. */
@ExtendWith(VertxExtension.class)
class CoordinatorDurabilityTest {

  /** The in-memory store, made to fail on purpose while {@code failing} is set. */
  static final class FailingStore implements TaskStore {
    final InMemoryTaskStore inner = new InMemoryTaskStore();
    final AtomicBoolean failing = new AtomicBoolean();
    final AtomicInteger loads = new AtomicInteger();
    volatile boolean failFirstLoad;

    @Override
    public Future<Void> write(StoreBatch batch) {
      return failing.get() ? Future.failedFuture("disk on fire") : inner.write(batch);
    }

    @Override
    public Future<StoredTasks> load() {
      return failFirstLoad && loads.getAndIncrement() == 0 ? Future.failedFuture("store unreachable") : inner.load();
    }
  }

  private static JsonObject echo(String id) {
    return new JsonObject().put("id", id).put("type", "compute")
      .put("payload", new JsonObject().put("function", "echo").put("data", new JsonObject().put("x", 1)));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a submission whose write fails is answered 503 UNAVAILABLE, creates nothing, and the same id can be retried")
  void failedWriteCreatesNothing(Vertx vertx, VertxTestContext test) {
    FailingStore store = new FailingStore();
    List<String> events = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body().getString("event") + " " + m.body().getString("taskId")));
    CoordinatorClient client = new CoordinatorClient(vertx.eventBus(), 5_000);
    store.failing.set(true);
    vertx.deployVerticle(new CoordinatorVerticle(new CoordinatorOptions(), store, "c1"))
      .compose(id -> client.submit(echo("t1")))
      .<Void>transform(ar -> {
        test.verify(() -> {
          assertThat(ar.failed()).isTrue();
          assertThat(ErrorCode.of(ar.cause())).isEqualTo(ErrorCode.UNAVAILABLE);
          assertThat(((ReplyException) ar.cause()).getMessage()).contains("could not be stored");
        });
        return Future.succeededFuture();
      })
      .compose(v -> client.list(new JsonObject()))
      .compose(list -> {
        test.verify(() -> assertThat(list.getInteger("count")).isZero());
        return client.get("t1").transform(ar -> {
          test.verify(() -> assertThat(ErrorCode.of(ar.cause())).isEqualTo(ErrorCode.NOT_FOUND));
          return Future.succeededFuture();
        });
      })
      .compose(v -> {
        store.failing.set(false);
        return client.submit(echo("t1"));
      })
      .compose(submitted -> {
        test.verify(() -> {
          assertThat(submitted.existing()).isFalse();
          assertThat(submitted.record().getString("status")).isEqualTo("queued");
          assertThat(events).doesNotContain("task:submitted null").containsOnlyOnce("task:submitted t1");
        });
        return client.cluster();
      })
      .onComplete(test.succeeding(cluster -> test.verify(() -> {
        JsonObject counters = cluster.getJsonObject("counters");
        assertThat(counters.getLong("submitted")).as("the leader counts what it accepted, once").isEqualTo(1);
        assertThat(counters.getJsonObject("rejected").getLong("UNAVAILABLE")).isEqualTo(1);
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a takeover that fails to read the store steps down and takes over again")
  void failedTakeoverIsRetried(Vertx vertx, VertxTestContext test) {
    FailingStore store = new FailingStore();
    store.failFirstLoad = true;
    CoordinatorClient client = new CoordinatorClient(vertx.eventBus(), 5_000);
    vertx.deployVerticle(new CoordinatorVerticle(new CoordinatorOptions(), store, "c1"))
      .onComplete(test.succeeding(id -> {
        long timer = vertx.setPeriodic(100, t -> client.submit(echo("after-retry")).onSuccess(s -> test.verify(() -> {
          assertThat(store.loads.get()).isGreaterThanOrEqualTo(2);
          assertThat(s.record().getString("id")).isEqualTo("after-retry");
          test.completeNow();
        })));
        test.verify(() -> assertThat(timer).isPositive());
      }));
  }
}
