package io.mastermind.coordinator;

import io.mastermind.controlplane.ControlMessages;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.Assignment;
import io.mastermind.protocol.Envelope;
import io.mastermind.protocol.Event;
import io.mastermind.protocol.EventNames;
import io.mastermind.protocol.MessageType;
import io.mastermind.store.InMemoryTaskStore;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mastermind.coordinator.LeaderFixtures.client;
import static io.mastermind.coordinator.LeaderFixtures.deploy;
import static io.mastermind.coordinator.LeaderFixtures.echo;
import static io.mastermind.coordinator.LeaderFixtures.eventually;
import static io.mastermind.coordinator.LeaderFixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

/** Nodes coming and going: a task that keeps losing its node, a node drained on request, a node joining while tasks wait. */
@ExtendWith(VertxExtension.class)
class CoordinatorNodeLossTest {

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a task whose node leaves is placed again after the 1st and 2nd loss, and fails NODE_LOST at the 3rd with maxNodeLosses 2")
  void poisonTaskStopsAfterMaxNodeLosses(Vertx vertx, VertxTestContext test) {
    CoordinatorClient client = client(vertx);
    EventLog events = new EventLog(vertx);
    StandInWorker worker = new StandInWorker(vertx, "w1", 2, 0);
    // a node that fails (here: falls silent past the health timeout) counts as a loss; one that leaves
    // in good order does not (see gracefulLeaveUsesNoNodeLoss)
    CoordinatorOptions options = options().setMaxNodeLosses(2).setRetryBaseMs(10).setClusterConfig(new JsonObject()
      .put("healthCheck", new JsonObject().put("interval", 50).put("timeout", 300).put("retries", 1)));

    Future.all(events.ready(), worker.ready())
      .compose(v -> deploy(vertx, options, new InMemoryTaskStore()))
      .compose(id -> worker.join())
      .compose(reply -> client.submit(echo("poison")))
      .compose(s -> worker.assigned("poison", 1))
      .compose(a -> failed(events, 1)) // loss 1: placed again at once
      .compose(v -> worker.join())
      .compose(reply -> worker.assigned("poison", 2))
      .compose(a -> failed(events, 2)) // loss 2: placed again after the backoff
      .compose(v -> worker.join())
      .compose(reply -> worker.assigned("poison", 3))
      .compose(a -> failed(events, 3)) // loss 3: past maxNodeLosses
      .compose(v -> events.seen(EventNames.TASK_FAILED, "poison"))
      .compose(seen -> client.get("poison"))
      .compose(record -> {
        test.verify(() -> {
          assertThat(record.getString("status")).isEqualTo("failed");
          assertThat(record.getJsonObject("error").getString("code")).isEqualTo("NODE_LOST");
          assertThat(record.getInteger("attempts")).isEqualTo(3);
        });
        return worker.join(); // back again: nothing is left to place on it
      })
      .compose(reply -> LeaderFixtures.holds(vertx, () -> client.get("poison"),
        r -> r.getString("status").equals("failed") && worker.assignments().size() == 3, 200))
      .onComplete(test.succeeding(record -> test.verify(() -> {
        assertThat(worker.assignments()).extracting(Assignment::attempt).containsExactly(1, 2, 3);
        assertThat(events.namesOf("poison")).containsOnlyOnce(EventNames.TASK_FAILED)
          .doesNotContain(EventNames.TASK_RETRYING);
        test.completeNow();
      })));
  }

  /** Waits for the n-th {@code node:failed} of w1 (it sends no heartbeat, so it fails 300 ms after joining). */
  private static Future<List<Event>> failed(EventLog events, int n) {
    return events.until(list -> list.stream().filter(e -> EventNames.NODE_FAILED.equals(e.event())
      && "w1".equals(e.nodeId())).count() >= n);
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a node that leaves in good order gives its tasks back without using a node loss")
  void gracefulLeaveUsesNoNodeLoss(Vertx vertx, VertxTestContext test) {
    CoordinatorClient client = client(vertx);
    StandInWorker worker = new StandInWorker(vertx, "w1", 2, 0);
    CoordinatorOptions options = options().setMaxNodeLosses(0);
    worker.ready()
      .compose(v -> deploy(vertx, options, new InMemoryTaskStore()))
      .compose(id -> worker.join())
      .compose(reply -> client.submit(echo("kept")))
      .compose(s -> worker.assigned("kept", 1))
      .compose(a -> worker.leave())
      .compose(v -> worker.join())
      .compose(reply -> worker.assigned("kept", 2))
      .compose(a -> client.get("kept"))
      .onComplete(test.succeeding(record -> test.verify(() -> {
        assertThat(record.getString("status")).as("with maxNodeLosses 0 a counted loss would have failed it")
          .isIn("scheduled", "running");
        assertThat(record.getInteger("attempts")).isEqualTo(2);
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @DisplayName("draining w1 revokes only w1's unstarted tasks, places them on w2, then asks w1 to leave and shows it left")
  void drainRevokesOnlyDrainedNode(Vertx vertx, VertxTestContext test) {
    CoordinatorClient client = client(vertx);
    StandInWorker w1 = new StandInWorker(vertx, "w1", 2, 0);
    StandInWorker w2 = new StandInWorker(vertx, "w2", 4, 0);
    Recorder<JsonObject> adminLeaves = new Recorder<>(vertx, "node admin leave");
    AtomicInteger revokesBeforeLeave = new AtomicInteger(-1);
    MessageConsumer<JsonObject> leaves = vertx.eventBus().consumer(Addresses.NODE_ADMIN_LEAVE, m -> {
      revokesBeforeLeave.compareAndSet(-1, w1.received(MessageType.TASK_REVOKE).size());
      adminLeaves.add(m.body());
    });

    Future.all(w1.ready(), w2.ready(), leaves.completion())
      .compose(v -> deploy(vertx, new InMemoryTaskStore()))
      .compose(id -> w1.join())
      .compose(reply -> Future.all(client.submit(echo("a1")), client.submit(echo("a2"))))
      .compose(v -> w1.assigned(2)) // w1 is full
      .compose(v -> w2.join())
      .compose(reply -> client.submit(echo("b1")))
      .compose(s -> w2.assigned("b1", 1))
      .compose(a -> client.drain("w1"))
      .compose(node -> {
        test.verify(() -> assertThat(node.getString("id")).isEqualTo("w1"));
        return Future.all(w1.receivedAbout(MessageType.TASK_REVOKE, "a1"), w1.receivedAbout(MessageType.TASK_REVOKE, "a2"));
      })
      .compose(revokes -> {
        test.verify(() -> {
          for (int i = 0; i < 2; i++) {
            Envelope revoke = revokes.resultAt(i);
            assertThat(revoke.payload().getInteger("attempt")).isEqualTo(1);
            assertThat(revoke.receiver()).isEqualTo("w1");
          }
        });
        return Future.all(w2.assigned("a1", 2), w2.assigned("a2", 2));
      })
      .compose(v -> adminLeaves.until(list -> !list.isEmpty()))
      .compose(published -> {
        test.verify(() -> {
          assertThat(published).containsExactly(new JsonObject().put("id", "w1"));
          assertThat(revokesBeforeLeave.get()).as("revokes answered before w1 was asked to leave").isEqualTo(2);
        });
        return eventually(vertx, () -> client.node("w1"), n -> n.getString("state").equals("left"), 5_000);
      })
      .compose(node -> Future.all(w1.heartbeat(0), w2.heartbeat(1)))
      .compose(beats -> {
        test.verify(() -> {
          assertThat(beats.<JsonObject>resultAt(0).getBoolean("known")).as("w1 after it left").isFalse();
          assertThat(beats.<JsonObject>resultAt(1).getBoolean("known")).as("w2").isTrue();
        });
        return Future.all(client.get("a1"), client.get("a2"), client.get("b1"));
      })
      .onComplete(test.succeeding(records -> test.verify(() -> {
        assertThat(w1.received(MessageType.TASK_REVOKE)).hasSize(2);
        assertThat(w2.received(MessageType.TASK_REVOKE)).isEmpty();
        assertThat(w1.assignments()).extracting(a -> a.spec().id()).containsExactlyInAnyOrder("a1", "a2");
        List<JsonObject> all = List.of(records.resultAt(0), records.resultAt(1), records.resultAt(2));
        assertThat(all).allSatisfy(r -> {
          assertThat(r.getString("node")).isEqualTo("w2");
          assertThat(r.getString("status")).isEqualTo("scheduled");
        });
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @DisplayName("tasks placed on a joining worker before the leader has reconciled its join stay placed: not counted lost, not sent twice")
  void placementRacingTheJoinIsKept(Vertx vertx, VertxTestContext test) {
    // The health verticle registers a joining node with the resource verticle, then asks the coordinator
    // to reconcile what it holds: holding that request back makes the placement in between certain.
    vertx.eventBus().addInboundInterceptor(delivery -> {
      if (delivery.body() instanceof ControlMessages.NodeJoined) {
        vertx.setTimer(200, t -> delivery.next());
      } else {
        delivery.next();
      }
    });
    CoordinatorClient client = client(vertx);
    StandInWorker worker = new StandInWorker(vertx, "w1", 2, 0);
    long now = System.currentTimeMillis();

    worker.ready()
      .compose(v -> deploy(vertx, new InMemoryTaskStore()))
      .compose(id -> Future.all(client.submit(echo("q1")), client.submit(echo("q2")))) // queued: no worker yet
      .compose(v -> worker.join())
      .compose(reply -> worker.assigned(2))
      .compose(assigned -> LeaderFixtures.holds(vertx, () -> Future.succeededFuture(worker.assignments()),
        all -> all.size() == 2, 300))
      .compose(all -> {
        test.verify(() -> assertThat(all).extracting(Assignment::attempt).containsExactly(1, 1));
        return worker.report(LeaderFixtures.succeeded("q1", 1, now, now + 1, "one"),
          LeaderFixtures.succeeded("q2", 1, now, now + 1, "two"));
      })
      .compose(ack -> {
        test.verify(() -> {
          assertThat(ack.acked()).containsExactlyInAnyOrder("q1", "q2");
          assertThat(ack.refused()).isEmpty();
        });
        return Future.all(client.get("q1"), client.get("q2"));
      })
      .onComplete(test.succeeding(records -> test.verify(() -> {
        for (int i = 0; i < 2; i++) {
          JsonObject record = records.resultAt(i);
          assertThat(record.getString("status")).isEqualTo("succeeded");
          assertThat(record.getInteger("attempts")).isEqualTo(1);
        }
        test.completeNow();
      })));
  }
}
