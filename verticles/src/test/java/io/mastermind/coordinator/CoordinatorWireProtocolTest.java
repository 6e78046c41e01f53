package io.mastermind.coordinator;

import io.mastermind.protocol.Assignment;
import io.mastermind.protocol.AssignmentBatch;
import io.mastermind.protocol.Event;
import io.mastermind.protocol.EventNames;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static io.mastermind.coordinator.LeaderFixtures.client;
import static io.mastermind.coordinator.LeaderFixtures.deploy;
import static io.mastermind.coordinator.LeaderFixtures.echo;
import static io.mastermind.coordinator.LeaderFixtures.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/** The leader against a stand-in worker on the wire: assignments, result batches and their acknowledgements. */
@ExtendWith(VertxExtension.class)
class CoordinatorWireProtocolTest {

  private static final int TASKS = 20;

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @DisplayName("20 echo tasks reach the worker in a few batches at attempt 1 and the leader's epoch; one result batch is acked whole and each task's events come in order")
  void happyPath(Vertx vertx, VertxTestContext test) {
    CoordinatorClient client = client(vertx);
    EventLog events = new EventLog(vertx);
    StandInWorker worker = new StandInWorker(vertx, "w1", 4, 16); // 4 reserved + 16 prefetched: room for all 20
    List<String> ids = IntStream.rangeClosed(1, TASKS).mapToObj(i -> "echo-" + i).toList();
    AtomicLong epoch = new AtomicLong();
    long startedAt = System.currentTimeMillis();
    long finishedAt = startedAt + 7;

    Future.all(events.ready(), worker.ready())
      .compose(v -> deploy(vertx, new InMemoryTaskStore()))
      .compose(id -> worker.join())
      .compose(reply -> {
        epoch.set(reply.epoch());
        return client.cluster();
      })
      .compose(cluster -> {
        test.verify(() -> assertThat(cluster.getJsonObject("leader").getLong("epoch")).isEqualTo(epoch.get()).isPositive());
        return Future.all(ids.stream().map(id -> client.submit(echo(id))).toList());
      })
      .compose(v -> worker.assigned(TASKS))
      .compose(assigned -> {
        List<AssignmentBatch> batches = worker.batches();
        test.verify(() -> {
          assertThat(batches).hasSizeLessThan(TASKS);
          assertThat(batches).allSatisfy(b -> assertThat(b.epoch()).isEqualTo(epoch.get()));
          assertThat(assigned).extracting(a -> a.spec().id()).containsExactlyInAnyOrderElementsOf(ids);
          assertThat(assigned).extracting(Assignment::attempt).containsOnly(1);
        });
        return worker.report(ids.stream()
          .map(id -> succeeded(id, 1, startedAt, finishedAt, new JsonObject().put("echoed", id))).toList());
      })
      .compose(ack -> {
        test.verify(() -> {
          assertThat(ack.acked()).containsExactlyInAnyOrderElementsOf(ids);
          assertThat(ack.refused()).isEmpty();
        });
        return Future.all(ids.stream().map(client::get).toList());
      })
      .compose(records -> {
        test.verify(() -> {
          for (int i = 0; i < TASKS; i++) {
            JsonObject record = records.resultAt(i);
            assertThat(record.getString("status")).isEqualTo("succeeded");
            assertThat(record.getJsonObject("result")).isEqualTo(new JsonObject().put("echoed", ids.get(i)));
            assertThat(record.getString("node")).isEqualTo("w1");
            assertThat(record.getInteger("attempts")).isEqualTo(1);
            assertThat(record.getLong("startedAt")).isEqualTo(startedAt);
            assertThat(record.getLong("finishedAt")).isEqualTo(finishedAt);
          }
        });
        return events.until(list -> ids.stream().allMatch(id -> list.stream()
          .anyMatch(e -> EventNames.TASK_COMPLETED.equals(e.event()) && id.equals(e.taskId()))));
      })
      .onComplete(test.succeeding(all -> test.verify(() -> {
        for (String id : ids) {
          assertThat(events.namesOf(id)).as("events of " + id).containsExactly(EventNames.TASK_SUBMITTED,
            EventNames.TASK_SCHEDULED, EventNames.TASK_STARTED, EventNames.TASK_COMPLETED);
        }
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @DisplayName("an outcome for an attempt or a node that does not hold the task is refused, not acked, and changes nothing")
  void staleOutcomeRefused(Vertx vertx, VertxTestContext test) {
    CoordinatorClient client = client(vertx);
    StandInWorker worker = new StandInWorker(vertx, "w1", 2, 0);
    StandInWorker stranger = new StandInWorker(vertx, "w9", 2, 0); // never joined, never held it
    AtomicReference<JsonObject> before = new AtomicReference<>();
    long now = System.currentTimeMillis();

    Future.all(worker.ready(), stranger.ready())
      .compose(v -> deploy(vertx, new InMemoryTaskStore()))
      .compose(id -> worker.join())
      .compose(reply -> client.submit(echo("t1")))
      .compose(submitted -> worker.assigned("t1", 1))
      .compose(assignment -> client.get("t1"))
      .compose(record -> {
        before.set(record);
        test.verify(() -> assertThat(record.getString("status")).isEqualTo("scheduled"));
        return worker.report(succeeded("t1", 2, now, now + 1, "from a later attempt"));
      })
      .compose(ack -> {
        test.verify(() -> {
          assertThat(ack.refused()).containsExactly("t1");
          assertThat(ack.acked()).doesNotContain("t1");
        });
        return stranger.report(succeeded("t1", 1, now, now + 1, "from another node"));
      })
      .compose(ack -> {
        test.verify(() -> {
          assertThat(ack.refused()).containsExactly("t1");
          assertThat(ack.acked()).doesNotContain("t1");
        });
        return client.get("t1");
      })
      .compose(after -> {
        test.verify(() -> assertThat(after).isEqualTo(before.get()));
        return worker.report(succeeded("t1", 1, now, now + 2, "from the placed attempt"));
      })
      .compose(ack -> {
        test.verify(() -> {
          assertThat(ack.acked()).containsExactly("t1");
          assertThat(ack.refused()).isEmpty();
        });
        return client.get("t1");
      })
      .onComplete(test.succeeding(record -> test.verify(() -> {
        assertThat(record.getString("status")).isEqualTo("succeeded");
        assertThat(record.getString("result")).isEqualTo("from the placed attempt");
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @DisplayName("an outcome sent again after its ack is acked again, changes nothing and publishes no second task:completed")
  void resendAfterAckIsIdempotent(Vertx vertx, VertxTestContext test) {
    CoordinatorClient client = client(vertx);
    EventLog events = new EventLog(vertx);
    StandInWorker worker = new StandInWorker(vertx, "w1", 2, 0);
    long now = System.currentTimeMillis();
    TaskUpdate outcome = succeeded("t1", 1, now, now + 3, new JsonObject().put("v", 1));
    AtomicReference<JsonObject> first = new AtomicReference<>();

    Future.all(events.ready(), worker.ready())
      .compose(v -> deploy(vertx, new InMemoryTaskStore()))
      .compose(id -> worker.join())
      .compose(reply -> client.submit(echo("t1")))
      .compose(submitted -> worker.assigned("t1", 1))
      .compose(assignment -> worker.report(outcome))
      .compose(ack -> {
        test.verify(() -> assertThat(ack.acked()).containsExactly("t1"));
        return client.get("t1");
      })
      .compose(record -> {
        first.set(record);
        return worker.report(outcome);
      })
      .compose(ack -> {
        test.verify(() -> {
          assertThat(ack.acked()).containsExactly("t1");
          assertThat(ack.refused()).isEmpty();
        });
        return client.get("t1");
      })
      .compose(record -> {
        test.verify(() -> {
          assertThat(record).isEqualTo(first.get());
          assertThat(record.getLong("finishedAt")).isEqualTo(now + 3);
          assertThat(record.getJsonObject("result")).isEqualTo(new JsonObject().put("v", 1));
        });
        return barrier(client, events);
      })
      .onComplete(test.succeeding(v -> test.verify(() -> {
        assertThat(events.namesOf("t1")).containsOnlyOnce(EventNames.TASK_COMPLETED);
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @DisplayName("an outcome sent again while its first write is still in flight is acked too, once stored, with one task:completed")
  void resendDuringWriteIsIdempotent(Vertx vertx, VertxTestContext test) {
    CoordinatorClient client = client(vertx);
    EventLog events = new EventLog(vertx);
    StandInWorker worker = new StandInWorker(vertx, "w1", 2, 0);
    LeaderFixtures.SlowStore store = new LeaderFixtures.SlowStore(vertx, 150);
    long now = System.currentTimeMillis();
    TaskUpdate outcome = succeeded("t1", 1, now, now + 3, "done");

    Future.all(events.ready(), worker.ready())
      .compose(v -> deploy(vertx, store))
      .compose(id -> worker.join())
      .compose(reply -> client.submit(echo("t1")))
      .compose(submitted -> worker.assigned("t1", 1))
      .compose(assignment -> Future.all(worker.report(outcome), worker.report(outcome)))
      .compose(acks -> {
        test.verify(() -> {
          for (int i = 0; i < 2; i++) {
            io.mastermind.protocol.ResultAck ack = acks.resultAt(i);
            assertThat(ack.acked()).as("ack " + i).containsExactly("t1");
            assertThat(ack.refused()).as("ack " + i).isEmpty();
          }
          assertThat(store.storedStatus("t1")).isEqualTo("succeeded");
        });
        return client.get("t1");
      })
      .compose(record -> {
        test.verify(() -> {
          assertThat(record.getString("status")).isEqualTo("succeeded");
          assertThat(record.getLong("finishedAt")).isEqualTo(now + 3);
          assertThat(record.getString("result")).isEqualTo("done");
        });
        return barrier(client, events);
      })
      .onComplete(test.succeeding(v -> test.verify(() -> {
        assertThat(events.namesOf("t1")).containsOnlyOnce(EventNames.TASK_COMPLETED);
        test.completeNow();
      })));
  }

  /**
   * Waits for the {@code task:submitted} of a fresh marker task: the coordinator publishes every event
   * from one context, so once the marker's has arrived, every event published before it has too.
   */
  static Future<List<Event>> barrier(CoordinatorClient client, EventLog events) {
    String marker = "marker-" + System.nanoTime();
    return client.submit(echo(marker)).compose(s -> events.seen(EventNames.TASK_SUBMITTED, marker));
  }
}
