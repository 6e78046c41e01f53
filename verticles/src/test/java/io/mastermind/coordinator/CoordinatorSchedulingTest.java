package io.mastermind.coordinator;

import io.mastermind.protocol.Assignment;
import io.mastermind.protocol.AssignmentBatch;
import io.mastermind.protocol.MessageType;
import io.mastermind.protocol.TaskUpdate;
import io.mastermind.store.InMemoryTaskStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.mastermind.coordinator.LeaderFixtures.cancelled;
import static io.mastermind.coordinator.LeaderFixtures.client;
import static io.mastermind.coordinator.LeaderFixtures.deploy;
import static io.mastermind.coordinator.LeaderFixtures.echo;
import static io.mastermind.coordinator.LeaderFixtures.eventually;
import static io.mastermind.coordinator.LeaderFixtures.holds;
import static io.mastermind.coordinator.LeaderFixtures.sleep;
import static io.mastermind.coordinator.LeaderFixtures.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/** Placement under saturation (prefetch credits, priority) and cancelling a placed task. */
@ExtendWith(VertxExtension.class)
class CoordinatorSchedulingTest {

  /** How long a test watches for something that must not happen. */
  private static final long QUIET_MS = 300;

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a one-core worker with prefetch 1 gets two of four low tasks; when one ends, the critical task submitted meanwhile goes next")
  void prefetchAndPriority(Vertx vertx, VertxTestContext test) {
    CoordinatorClient client = client(vertx);
    StandInWorker worker = new StandInWorker(vertx, "w1", 1, 1);
    List<String> lows = List.of("low-1", "low-2", "low-3", "low-4");
    AtomicReference<Future<AssignmentBatch>> next = new AtomicReference<>();
    long now = System.currentTimeMillis();

    worker.ready()
      .compose(v -> deploy(vertx, new InMemoryTaskStore()))
      .compose(id -> worker.join())
      .compose(reply -> Future.all(lows.stream().map(id -> client.submit(sleep(id, "low"))).toList()))
      .compose(v -> worker.assigned(2))
      .compose(assigned -> holds(vertx, () -> client.list(new JsonObject().put("status", "queued")),
        queued -> worker.assignments().size() == 2 && queued.getInteger("count") == 2, QUIET_MS))
      .compose(queued -> {
        test.verify(() -> {
          assertThat(worker.assignments()).extracting(a -> a.spec().id()).containsExactly("low-1", "low-2");
          assertThat(queued.getJsonArray("tasks").stream().map(t -> ((JsonObject) t).getString("id")))
            .containsExactlyInAnyOrder("low-3", "low-4");
        });
        return client.submit(sleep("crit-1", "critical"));
      })
      .compose(submitted -> holds(vertx, () -> client.get("crit-1"),
        crit -> crit.getString("status").equals("queued") && worker.assignments().size() == 2, QUIET_MS))
      .compose(crit -> {
        next.set(worker.nextBatch());
        return worker.report(succeeded("low-1", 1, now, now + 1, "slept"));
      })
      .compose(ack -> {
        test.verify(() -> assertThat(ack.acked()).containsExactly("low-1"));
        return next.get();
      })
      .onComplete(test.succeeding(batch -> test.verify(() -> {
        assertThat(batch.tasks()).extracting(a -> a.spec().id()).containsExactly("crit-1");
        assertThat(batch.tasks()).extracting(Assignment::attempt).containsExactly(1);
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @DisplayName("cancelling a running task answers cancelled once stored, tells the worker, and holds its slot until the worker's cancelled outcome")
  void cancelPlacedTask(Vertx vertx, VertxTestContext test) {
    CoordinatorClient client = client(vertx);
    LeaderFixtures.SlowStore store = new LeaderFixtures.SlowStore(vertx, 100);
    StandInWorker worker = new StandInWorker(vertx, "w1", 1, 0)
      .answer(MessageType.TASK_CANCEL, e -> new JsonObject().put("known", true)); // still stopping its thread
    long now = System.currentTimeMillis();

    worker.ready()
      .compose(v -> deploy(vertx, store))
      .compose(id -> worker.join())
      .compose(reply -> client.submit(sleep("t1", "normal")))
      .compose(submitted -> worker.assigned("t1", 1))
      .compose(assignment -> worker.report(TaskUpdate.running("t1", 1, now)))
      .compose(ack -> eventually(vertx, () -> client.get("t1"), r -> r.getString("status").equals("running"), 5_000))
      .compose(running -> eventually(vertx, () -> client.node("w1"), n -> n.getInteger("runningTasks") == 1, 5_000))
      .compose(node -> client.cancel("t1"))
      .compose(answer -> {
        test.verify(() -> {
          assertThat(answer.getString("status")).isEqualTo("cancelled");
          assertThat(store.storedStatus("t1")).as("stored before answered").isEqualTo("cancelled");
        });
        return worker.receivedAbout(MessageType.TASK_CANCEL, "t1");
      })
      .compose(cancel -> {
        test.verify(() -> assertThat(cancel.payload()).isEqualTo(new JsonObject().put("taskId", "t1").put("attempt", 1)));
        return holds(vertx, () -> client.node("w1"), n -> n.getInteger("runningTasks") == 1, QUIET_MS);
      })
      .compose(node -> worker.report(cancelled("t1", 1, now, now + 50)))
      .compose(ack -> {
        test.verify(() -> {
          assertThat(ack.acked()).containsExactly("t1");
          assertThat(ack.refused()).isEmpty();
        });
        return eventually(vertx, () -> client.node("w1"), n -> n.getInteger("runningTasks") == 0, 5_000);
      })
      .compose(node -> client.get("t1"))
      .onComplete(test.succeeding(record -> test.verify(() -> {
        assertThat(record.getString("status")).isEqualTo("cancelled");
        assertThat(record.getJsonObject("error").getString("code")).isEqualTo("CANCELLED");
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @DisplayName("the tasks one flush made durable are placed by one pass: one assignment batch, not the first task alone and then the rest")
  void oneFlushOnePass(Vertx vertx, VertxTestContext test) {
    CoordinatorClient client = client(vertx);
    LeaderFixtures.SlowStore store = new LeaderFixtures.SlowStore(vertx, 200);
    StandInWorker worker = new StandInWorker(vertx, "w1", 16, 0);
    List<String> ids = List.of("b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9");

    worker.ready()
      .compose(v -> deploy(vertx, store))
      .compose(id -> worker.join())
      .compose(reply -> {
        // "lead" leaves alone in a flush that takes 200 ms; the ten wait for it and leave together in the next
        List<Future<CoordinatorClient.Submitted>> submitted = new java.util.ArrayList<>();
        submitted.add(client.submit(echo("lead")));
        ids.forEach(id -> submitted.add(client.submit(echo(id))));
        return Future.all(submitted);
      })
      .compose(all -> worker.batchWith("b0"))
      .onComplete(test.succeeding(batch -> test.verify(() -> {
        assertThat(batch.tasks()).extracting(a -> a.spec().id()).containsExactlyInAnyOrderElementsOf(ids);
        test.completeNow();
      })));
  }
}
