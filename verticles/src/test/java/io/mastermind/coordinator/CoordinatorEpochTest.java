package io.mastermind.coordinator;

import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.AssignmentBatch;
import io.mastermind.protocol.ResultAck;
import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.store.InMemoryTaskStore;
import io.mastermind.store.StoreBatch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.mastermind.coordinator.LeaderFixtures.client;
import static io.mastermind.coordinator.LeaderFixtures.deploy;
import static io.mastermind.coordinator.LeaderFixtures.echo;
import static io.mastermind.coordinator.LeaderFixtures.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/** The leader epoch never goes backwards: not below the store's, not below what a worker has seen. */
@ExtendWith(VertxExtension.class)
class CoordinatorEpochTest {

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a store written at epoch 7 makes the new leader lead above 7, and its writes are not fenced")
  void leadsAboveTheStoresEpoch(Vertx vertx, VertxTestContext test) {
    CoordinatorClient client = client(vertx);
    StandInWorker worker = new StandInWorker(vertx, "w1", 2, 0);
    InMemoryTaskStore store = new InMemoryTaskStore();
    TaskRecord old = TaskRecord.queued(TaskSpec.fromJson(echo("old-1")), System.currentTimeMillis() - 1_000);
    AtomicLong epoch = new AtomicLong();
    long now = System.currentTimeMillis();

    worker.ready()
      .compose(v -> store.write(new StoreBatch(7, List.of(old), Set.of())))
      .compose(v -> deploy(vertx, store))
      .compose(id -> client.cluster())
      .compose(cluster -> {
        epoch.set(cluster.getJsonObject("leader").getLong("epoch"));
        test.verify(() -> assertThat(epoch.get()).isGreaterThanOrEqualTo(8));
        return worker.join();
      })
      .compose(reply -> {
        test.verify(() -> assertThat(reply.epoch()).isEqualTo(epoch.get()));
        return worker.batchWith("old-1").map(AssignmentBatch::epoch);
      })
      .compose(batchEpoch -> {
        test.verify(() -> assertThat(batchEpoch).isEqualTo(epoch.get()));
        return worker.report(succeeded("old-1", 1, now, now + 1, "ok"));
      })
      .compose(ack -> {
        test.verify(() -> assertThat(ack).isEqualTo(new ResultAck(List.of("old-1"), List.of()))); // stored at the new epoch, not fenced
        return store.load();
      })
      .onComplete(test.succeeding(stored -> test.verify(() -> {
        assertThat(stored.highestEpoch()).isEqualTo(epoch.get());
        assertThat(stored.records()).singleElement().satisfies(r -> assertThat(r.status().wireName()).isEqualTo("succeeded"));
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a worker that has seen epoch 20 is answered epoch 21, and later assignments carry 21")
  void leadsAboveAWorkersEpoch(Vertx vertx, VertxTestContext test) {
    CoordinatorClient client = client(vertx);
    StandInWorker worker = new StandInWorker(vertx, "w1", 2, 0);
    List<Long> announced = new java.util.concurrent.CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> leaders = vertx.eventBus().consumer(Addresses.COORDINATOR_LEADER,
      m -> announced.add(m.body().getLong("epoch")));

    Future.all(worker.ready(), leaders.completion())
      .compose(v -> deploy(vertx, new InMemoryTaskStore()))
      .compose(id -> worker.join(List.of(), 20))
      .compose(reply -> {
        test.verify(() -> assertThat(reply.epoch()).isEqualTo(21));
        return client.cluster();
      })
      .compose(cluster -> {
        test.verify(() -> assertThat(cluster.getJsonObject("leader").getLong("epoch")).isEqualTo(21));
        return client.submit(echo("t1"));
      })
      .compose(s -> worker.batchWith("t1").map(AssignmentBatch::epoch))
      .onComplete(test.succeeding(batchEpoch -> test.verify(() -> {
        assertThat(batchEpoch).isEqualTo(21);
        assertThat(announced).contains(21L);
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a takeover raises the epoch before it reads the store (so a deposed leader's acknowledged flush is in what it reads)")
  void raisesTheEpochBeforeReadingTheStore(Vertx vertx, VertxTestContext test) {
    StandInClusterView cluster = new StandInClusterView(Set.of());
    InMemoryTaskStore inner = new InMemoryTaskStore();
    io.mastermind.store.TaskStore store = new io.mastermind.store.TaskStore() {
      @Override
      public Future<Void> write(StoreBatch batch) {
        return inner.write(batch);
      }

      @Override
      public Future<io.mastermind.store.StoredTasks> load() {
        cluster.calls.add("load");
        return inner.load();
      }
    };
    vertx.deployVerticle(new CoordinatorVerticle(LeaderFixtures.options(), store, cluster, "c1"))
      .compose(id -> client(vertx).cluster())
      .onComplete(test.succeeding(summary -> test.verify(() -> {
        assertThat(cluster.calls).startsWith("nextEpoch", "load");
        test.completeNow();
      })));
  }
}
