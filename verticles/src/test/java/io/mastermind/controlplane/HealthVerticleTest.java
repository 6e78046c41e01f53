package io.mastermind.controlplane;

import io.mastermind.controlplane.ControlMessages.EpochChanged;
import io.mastermind.controlplane.ControlMessages.JoinClaims;
import io.mastermind.controlplane.ControlMessages.MemberLost;
import io.mastermind.controlplane.ControlMessages.NodeJoined;
import io.mastermind.controlplane.ControlMessages.NodeLost;
import io.mastermind.controlplane.ControlMessages.NodeViews;
import io.mastermind.controlplane.ControlMessages.Release;
import io.mastermind.controlplane.ControlMessages.ReserveRequest;
import io.mastermind.controlplane.ControlMessages.RevokeUnstarted;
import io.mastermind.coordinator.EventLog;
import io.mastermind.coordinator.Recorder;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.Envelope;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.Event;
import io.mastermind.protocol.EventNames;
import io.mastermind.protocol.JoinReply;
import io.mastermind.protocol.MessageType;
import io.mastermind.resources.ReservationBook.Key;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.mastermind.controlplane.ControlPlaneFixtures.ONE_CPU;
import static io.mastermind.controlplane.ControlPlaneFixtures.REQUEST;
import static io.mastermind.controlplane.ControlPlaneFixtures.beat;
import static io.mastermind.controlplane.ControlPlaneFixtures.heartbeat;
import static io.mastermind.controlplane.ControlPlaneFixtures.join;
import static io.mastermind.controlplane.ControlPlaneFixtures.keepAlive;
import static io.mastermind.controlplane.ControlPlaneFixtures.leave;
import static io.mastermind.controlplane.ControlPlaneFixtures.node;
import static io.mastermind.controlplane.ControlPlaneFixtures.recordViews;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health verticle with the resource verticle it tells about nodes; the coordinator is a test consumer
 * that answers joins with {@code JoinClaims([], 5)} and records what health tells it. The stand-in nodes
 * beat every 50 ms. The tests of the failure detector expect heartbeats every 250 ms and fail a node
 * silent for 1.5 s; the others expect them every second, so that an event loop stalled for a few hundred
 * milliseconds on a loaded machine does not make a node suspect in a test about something else.
 */
@ExtendWith(VertxExtension.class)
class HealthVerticleTest {

  /** Suspect after about 250 ms of silence, failed after 1500 ms: a wide window for the 25 ms check to see it. */
  private static final HealthSettings DETECTION = new HealthSettings(250, 1500, 1);
  /** Suspect only after well over a second of silence. */
  private static final HealthSettings CALM = new HealthSettings(1000, 3000, 1);
  private static final long BEAT_MS = 50;

  /** The verticles, the coordinator stand-in and the recorders of one test. */
  private record Leader(EventBus bus, Recorder<Object> coordinator, Recorder<NodeViews> views, EventLog events) {

    Future<NodeLost> lost(String nodeId) {
      return coordinator.until(list -> lostIn(list, nodeId) != null).map(list -> lostIn(list, nodeId));
    }

    private static NodeLost lostIn(List<Object> list, String nodeId) {
      return list.stream().filter(m -> m instanceof NodeLost l && l.nodeId().equals(nodeId))
        .map(NodeLost.class::cast).findFirst().orElse(null);
    }

    Future<JsonObject> node(String id) {
      return bus.<JsonObject>request(Addresses.HEALTH_NODES, new JsonObject().put("id", id), REQUEST).map(Message::body);
    }

    Future<JsonObject> drain(String id) {
      return bus.<JsonObject>request(Addresses.HEALTH_DRAIN, new JsonObject().put("id", id), REQUEST).map(Message::body);
    }

    Future<Event> event(String name, String nodeId) {
      return events.until(list -> list.stream().anyMatch(about(name, nodeId)))
        .map(list -> list.stream().filter(about(name, nodeId)).findFirst().orElseThrow());
    }

    /** Once health itself counts this many tasks held on the node, as its node:health event shows. */
    Future<Event> healthShows(String nodeId, int running) {
      Predicate<Event> shows = about(EventNames.NODE_HEALTH, nodeId).and(e -> e.data().getInteger("running") == running);
      return events.until(list -> list.stream().anyMatch(shows))
        .map(list -> list.stream().filter(shows).findFirst().orElseThrow());
    }

    List<String> eventNames(String nodeId) {
      return events.all().stream().filter(e -> nodeId.equals(e.nodeId())).map(Event::event)
        .filter(name -> !name.equals(EventNames.NODE_HEALTH) && !name.equals(EventNames.RESOURCE_UPDATE)).toList();
    }
  }

  private static Predicate<Event> about(String name, String nodeId) {
    return e -> name.equals(e.event()) && nodeId.equals(e.nodeId());
  }

  /** Deploys the resource and health verticles behind the coordinator stand-in and the recorders. */
  private static Future<Leader> leader(Vertx vertx, HealthSettings settings) {
    LocalCodec.registerAll(vertx.eventBus());
    EventBus bus = vertx.eventBus();
    Recorder<Object> coordinator = new Recorder<>(vertx, "to the coordinator");
    MessageConsumer<Object> consumer = bus.localConsumer(Addresses.LEADER_COORDINATOR, m -> {
      coordinator.add(m.body());
      if (m.body() instanceof NodeJoined) {
        m.reply(new JoinClaims(List.of(), 5));
      }
    });
    EventLog events = new EventLog(vertx);
    return Future.all(consumer.completion(), events.ready(), recordViews(vertx))
      .compose(ready -> vertx.deployVerticle(new ResourceVerticle("c1"))
        .compose(id -> vertx.deployVerticle(new HealthVerticle(settings, "c1", 5)))
        .map(id -> new Leader(bus, coordinator, ready.resultAt(2), events)));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a join is answered by leader c1 at epoch 5, announced as node:join and listed healthy; a join sent for another node is refused, and an unknown node's heartbeat answers known false")
  void joinsAndLists(Vertx vertx, VertxTestContext test) {
    leader(vertx, CALM).compose(leader -> join(vertx, node("n1", 2))
      .compose(reply -> {
        keepAlive(vertx, "n1", new JsonObject(), BEAT_MS);
        JoinReply join = JoinReply.fromJson(reply);
        test.verify(() -> {
          assertThat(join.leader()).isEqualTo("c1");
          assertThat(join.epoch()).isEqualTo(5);
          assertThat(join.cancel()).isEmpty();
          assertThat(leader.coordinator().all()).singleElement().isInstanceOfSatisfying(NodeJoined.class,
            joined -> assertThat(joined.nodeId()).isEqualTo("n1"));
        });
        return leader.event(EventNames.NODE_JOIN, "n1");
      })
      .compose(joined -> {
        test.verify(() -> assertThat(joined.data().getString("id")).isEqualTo("n1"));
        return leader.bus().<JsonObject>request(Addresses.HEALTH_NODES, new JsonObject(), REQUEST);
      })
      .compose(nodes -> {
        test.verify(() -> {
          JsonArray all = nodes.body().getJsonArray("nodes");
          assertThat(all).hasSize(1);
          assertThat(all.getJsonObject(0).getString("id")).isEqualTo("n1");
          assertThat(all.getJsonObject(0).getString("state")).isEqualTo("healthy");
          assertThat(all.getJsonObject(0).getInteger("prefetch")).isEqualTo(1);
        });
        return join(vertx, "n2", node("n1", 2), 1).transform(ar -> Future.succeededFuture(ar));
      })
      .compose(refused -> {
        test.verify(() -> {
          assertThat(refused.failed()).as("a node_join from n2 for node n1").isTrue();
          assertThat(refused.cause()).isInstanceOfSatisfying(ReplyException.class,
            e -> assertThat(e.failureCode()).isEqualTo(ErrorCode.INVALID_FIELD.failureCode()));
          assertThat(leader.coordinator().all()).as("the coordinator never heard of it").hasSize(1);
        });
        leader.bus().send(Addresses.LEADER_HEALTH, new EpochChanged(9));
        return Future.all(heartbeat(vertx, "ghost", new JsonObject()), heartbeat(vertx, "n1", new JsonObject()));
      }))
      .onComplete(test.succeeding(beats -> test.verify(() -> {
        JsonObject ghost = beats.resultAt(0);
        JsonObject n1 = beats.resultAt(1);
        assertThat(ghost.getBoolean("known")).isFalse();
        assertThat(n1.getBoolean("known")).isTrue();
        assertThat(n1.getLong("epoch")).as("the newer epoch the coordinator reported").isEqualTo(9);
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  @DisplayName("heartbeats keep a node healthy past the timeout; silent, it is probed as suspect, then fails: node:failed and an alert, NodeLost(failed) to the coordinator, NodeDown to the resource verticle, and it is no longer known")
  void silenceMakesSuspectThenFailed(Vertx vertx, VertxTestContext test) {
    Recorder<Envelope> probes = new Recorder<>(vertx, "inbox of n1");
    // the stand-in node does not answer probes, so they bring no sign of life
    MessageConsumer<Object> inbox = vertx.eventBus().<Object>consumer(Addresses.nodeInbox("n1"), m -> {
      probes.add(Envelope.fromJson((JsonObject) m.body()));
      m.fail(503, "stand-in does not answer");
    });

    inbox.completion().compose(v -> leader(vertx, DETECTION)).compose(leader -> join(vertx, node("n1", 2))
      .compose(reply -> beat(vertx, "n1", 32, BEAT_MS)) // 1.6 s of heartbeats, past the 1.5 s timeout
      .compose(v -> leader.node("n1"))
      .compose(n1 -> {
        test.verify(() -> {
          assertThat(n1.getString("state")).isEqualTo("healthy");
          assertThat(leader.eventNames("n1")).containsExactly(EventNames.NODE_JOIN);
          assertThat(probes.all()).isEmpty();
        });
        return Future.all(leader.lost("n1"), leader.event(EventNames.ALERT, "n1")); // now silent
      })
      .compose(failed -> {
        NodeLost lost = failed.resultAt(0);
        Event alert = failed.resultAt(1);
        test.verify(() -> {
          assertThat(lost.failed()).isTrue();
          assertThat(leader.eventNames("n1")).containsExactly(EventNames.NODE_JOIN, EventNames.NODE_SUSPECT,
            EventNames.NODE_FAILED, EventNames.ALERT);
          assertThat(alert.data().getString("kind")).isEqualTo("node_failed");
          assertThat(alert.data().getString("severity")).isEqualTo("critical");
          assertThat(probes.all()).as("probed while suspect").isNotEmpty()
            .allMatch(e -> e.type() == MessageType.HEALTH_CHECK);
        });
        return Future.all(leader.views().until(list -> list.stream().anyMatch(v -> v.removed().contains("n1"))),
          leader.node("n1"), heartbeat(vertx, "n1", new JsonObject()));
      }))
      .onComplete(test.succeeding(all -> test.verify(() -> {
        JsonObject n1 = all.resultAt(1);
        JsonObject beat = all.resultAt(2);
        assertThat(n1.getString("state")).isEqualTo("failed");
        assertThat(beat.getBoolean("known")).as("a failed node must join again").isFalse();
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  @DisplayName("node:health is published for every node each interval with its state, phi, heartbeat age, metrics and running count")
  void publishesHealthOfEveryNode(Vertx vertx, VertxTestContext test) {
    JsonObject metrics = new JsonObject().put("cpu", new JsonObject().put("usage", 0.25))
      .put("memory", new JsonObject().put("used", 1024).put("available", 3072));
    Predicate<Event> withMetrics = e -> EventNames.NODE_HEALTH.equals(e.event())
      && e.data().getJsonObject("cpu").getValue("usage").equals(0.25);

    leader(vertx, DETECTION).compose(leader -> Future.all(join(vertx, node("n1", 2)), join(vertx, node("n2", 2)))
      .compose(joined -> {
        keepAlive(vertx, "n1", metrics, BEAT_MS);
        keepAlive(vertx, "n2", metrics, BEAT_MS);
        // three intervals' worth for each node once its metrics are known
        return leader.events().until(list -> list.stream().filter(withMetrics).filter(e -> e.nodeId().equals("n1")).count() >= 3
          && list.stream().filter(withMetrics).filter(e -> e.nodeId().equals("n2")).count() >= 3);
      }))
      .onComplete(test.succeeding(events -> test.verify(() -> {
        List<Event> health = events.stream().filter(e -> EventNames.NODE_HEALTH.equals(e.event())).toList();
        assertThat(health).extracting(Event::nodeId).containsOnly("n1", "n2");
        for (Event e : health) {
          JsonObject data = e.data();
          assertThat(data.fieldNames()).containsExactlyInAnyOrder("nodeId", "state", "phi", "lastHeartbeatAgeMs",
            "cpu", "memory", "running");
          assertThat(data.getString("nodeId")).isEqualTo(e.nodeId());
          assertThat(data.getString("state")).isEqualTo("healthy");
          assertThat(data.getDouble("phi")).isBetween(0.0, 3.0);
          assertThat(data.getLong("lastHeartbeatAgeMs")).isBetween(0L, 400L);
          assertThat(data.getJsonObject("cpu").fieldNames()).containsExactly("usage");
          assertThat(data.getJsonObject("memory").fieldNames()).containsExactlyInAnyOrder("used", "available");
          assertThat(data.getInteger("running")).isZero();
        }
        Event last = health.stream().filter(withMetrics).reduce((a, b) -> b).orElseThrow();
        assertThat(last.data().getJsonObject("memory").getInteger("used")).isEqualTo(1024);
        assertThat(last.data().getJsonObject("memory").getInteger("available")).isEqualTo(3072);
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  @DisplayName("draining an idle node makes it draining, revokes its unstarted tasks, asks it to leave and shows it left")
  void drainsAnIdleNode(Vertx vertx, VertxTestContext test) {
    Recorder<JsonObject> leaves = new Recorder<>(vertx, "node admin leave");
    MessageConsumer<JsonObject> admin = vertx.eventBus().consumer(Addresses.NODE_ADMIN_LEAVE, m -> leaves.add(m.body()));

    admin.completion().compose(v -> leader(vertx, CALM)).compose(leader -> join(vertx, node("n1", 2))
      .compose(reply -> {
        keepAlive(vertx, "n1", new JsonObject(), BEAT_MS);
        return leader.drain("n1");
      })
      .compose(drained -> {
        test.verify(() -> assertThat(drained.getString("state")).isEqualTo("draining"));
        return Future.all(leaves.until(list -> !list.isEmpty()), leader.lost("n1"),
          leader.coordinator().until(list -> list.contains(new RevokeUnstarted("n1"))));
      })
      .compose(all -> {
        List<JsonObject> asked = all.resultAt(0);
        NodeLost lost = all.resultAt(1);
        test.verify(() -> {
          assertThat(asked).containsExactly(new JsonObject().put("id", "n1"));
          assertThat(lost.failed()).as("a drained node leaves in good order").isFalse();
          assertThat(leader.coordinator().all()).filteredOn(m -> !(m instanceof NodeJoined))
            .containsExactly(new RevokeUnstarted("n1"), lost);
        });
        return Future.all(leader.node("n1"), leader.drain("n1").transform(ar -> Future.succeededFuture(ar)),
          leader.drain("n9").transform(ar -> Future.succeededFuture(ar)));
      }))
      .onComplete(test.succeeding(all -> test.verify(() -> {
        JsonObject n1 = all.resultAt(0);
        assertThat(n1.getString("state")).isEqualTo("left");
        assertThat(failureCode(all.resultAt(1))).as("drained again").isEqualTo(ErrorCode.ALREADY_FINISHED.failureCode());
        assertThat(failureCode(all.resultAt(2))).as("unknown node").isEqualTo(ErrorCode.NOT_FOUND.failureCode());
        test.completeNow();
      })));
  }

  private static int failureCode(io.vertx.core.AsyncResult<?> result) {
    assertThat(result.failed()).isTrue();
    assertThat(result.cause()).isInstanceOf(ReplyException.class);
    return ((ReplyException) result.cause()).failureCode();
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a draining node that still holds a task is asked to leave only once the resource verticle shows it holds nothing")
  void drainWaitsForHeldTasks(Vertx vertx, VertxTestContext test) {
    Recorder<JsonObject> leaves = new Recorder<>(vertx, "node admin leave");
    MessageConsumer<JsonObject> admin = vertx.eventBus().consumer(Addresses.NODE_ADMIN_LEAVE, m -> leaves.add(m.body()));
    ControlMessages.Reservation t1 = new ControlMessages.Reservation(new Key("t1", 1), "n1", ONE_CPU);

    admin.completion().compose(v -> leader(vertx, CALM)).compose(leader -> join(vertx, node("n1", 2))
      .compose(reply -> {
        keepAlive(vertx, "n1", new JsonObject(), BEAT_MS);
        return leader.bus().request(Addresses.LEADER_RESOURCES, new ReserveRequest(List.of(), List.of(t1)));
      })
      // wait for health's own word, not the test's copy of the views: a publish is handed to one consumer
      // after the other, so the test can see it, and its drain reach health, before health's copy does
      .compose(reserved -> leader.healthShows("n1", 1))
      .compose(held -> leader.drain("n1"))
      .compose(drained -> leader.coordinator().until(list -> list.contains(new RevokeUnstarted("n1"))))
      .compose(revoked -> leader.node("n1"))
      .compose(n1 -> {
        test.verify(() -> {
          assertThat(n1.getString("state")).isEqualTo("draining");
          assertThat(n1.getInteger("runningTasks")).isEqualTo(1);
          assertThat(leaves.all()).as("t1 is still held there").isEmpty();
        });
        leader.bus().send(Addresses.LEADER_RESOURCES, new Release(List.of(t1)));
        return Future.all(leaves.until(list -> !list.isEmpty()), leader.lost("n1"));
      })
      .compose(all -> leader.node("n1")))
      .onComplete(test.succeeding(n1 -> test.verify(() -> {
        assertThat(leaves.all()).containsExactly(new JsonObject().put("id", "n1"));
        assertThat(n1.getString("state")).isEqualTo("left");
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a node the cluster membership lost fails at once, though it still sends heartbeats")
  void memberLostFailsAtOnce(Vertx vertx, VertxTestContext test) {
    leader(vertx, CALM).compose(leader -> join(vertx, node("n1", 2))
      .compose(reply -> {
        keepAlive(vertx, "n1", new JsonObject(), BEAT_MS);
        leader.bus().send(Addresses.LEADER_HEALTH, new MemberLost("n1"));
        return Future.all(leader.lost("n1"), leader.event(EventNames.ALERT, "n1")).map(all -> all.<NodeLost>resultAt(0));
      })
      .compose(lost -> {
        test.verify(() -> {
          assertThat(lost.failed()).isTrue();
          assertThat(lost.reason()).contains("membership");
          assertThat(leader.eventNames("n1")).as("failed without a suspicion first")
            .containsExactly(EventNames.NODE_JOIN, EventNames.NODE_FAILED, EventNames.ALERT);
        });
        return leader.node("n1");
      }))
      .onComplete(test.succeeding(n1 -> test.verify(() -> {
        assertThat(n1.getString("state")).isEqualTo("failed");
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  @DisplayName("the counts by state answer one healthy, one failed and one left node")
  void countsByState(Vertx vertx, VertxTestContext test) {
    leader(vertx, CALM).compose(leader -> Future.all(join(vertx, node("n1", 2)), join(vertx, node("n2", 2)), join(vertx, node("n3", 2)))
      .compose(joined -> {
        keepAlive(vertx, "n1", new JsonObject(), BEAT_MS);
        keepAlive(vertx, "n2", new JsonObject(), BEAT_MS);
        keepAlive(vertx, "n3", new JsonObject(), BEAT_MS);
        leader.bus().send(Addresses.LEADER_HEALTH, new MemberLost("n2"));
        return Future.all(leader.lost("n2"), leave(vertx, "n3").compose(v -> leader.lost("n3")));
      })
      .compose(lost -> leader.bus().<JsonObject>request(Addresses.LEADER_HEALTH_COUNTS, new JsonObject()))
      .map(Message::body))
      .onComplete(test.succeeding(counts -> test.verify(() -> {
        assertThat(counts).isEqualTo(new JsonObject().put("healthy", 1).put("suspect", 0).put("failed", 1)
          .put("draining", 0).put("left", 1).put("rejected", 0));
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a node_leave from the node is answered ok, announced as node:leave, reported as NodeLost not failed, and the node is removed from the resource views")
  void leaveIsNotAFailure(Vertx vertx, VertxTestContext test) {
    leader(vertx, CALM).compose(leader -> join(vertx, node("n1", 2))
      .compose(reply -> leave(vertx, "n1"))
      .compose(ok -> {
        test.verify(() -> assertThat(ok.getBoolean("ok")).isTrue());
        return Future.all(leader.lost("n1"), leader.event(EventNames.NODE_LEAVE, "n1"),
          leader.views().until(list -> list.stream().anyMatch(v -> v.removed().contains("n1"))));
      })
      .compose(all -> {
        NodeLost lost = all.resultAt(0);
        test.verify(() -> {
          assertThat(lost.failed()).isFalse();
          assertThat(leader.eventNames("n1")).containsExactly(EventNames.NODE_JOIN, EventNames.NODE_LEAVE);
        });
        return leader.node("n1");
      }))
      .onComplete(test.succeeding(n1 -> test.verify(() -> {
        assertThat(n1.getString("state")).isEqualTo("left");
        test.completeNow();
      })));
  }
}
