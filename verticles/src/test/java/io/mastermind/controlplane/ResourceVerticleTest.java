package io.mastermind.controlplane;

import io.mastermind.controlplane.ControlMessages.NodeDown;
import io.mastermind.controlplane.ControlMessages.NodeEligible;
import io.mastermind.controlplane.ControlMessages.NodeMetrics;
import io.mastermind.controlplane.ControlMessages.NodeUp;
import io.mastermind.controlplane.ControlMessages.NodeView;
import io.mastermind.controlplane.ControlMessages.NodeViews;
import io.mastermind.controlplane.ControlMessages.Release;
import io.mastermind.controlplane.ControlMessages.ReserveRequest;
import io.mastermind.controlplane.ControlMessages.ReserveResult;
import io.mastermind.controlplane.ControlMessages.Reservation;
import io.mastermind.controlplane.ControlMessages.ViewsWanted;
import io.mastermind.coordinator.EventLog;
import io.mastermind.coordinator.Recorder;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.Event;
import io.mastermind.protocol.EventNames;
import io.mastermind.resources.ReservationBook.Grant;
import io.mastermind.resources.ReservationBook.Key;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.mastermind.controlplane.ControlPlaneFixtures.ONE_CPU;
import static io.mastermind.controlplane.ControlPlaneFixtures.deployOnContext;
import static io.mastermind.controlplane.ControlPlaneFixtures.latest;
import static io.mastermind.controlplane.ControlPlaneFixtures.nextViewOf;
import static io.mastermind.controlplane.ControlPlaneFixtures.node;
import static io.mastermind.controlplane.ControlPlaneFixtures.recordViews;
import static io.mastermind.controlplane.ControlPlaneFixtures.viewOf;
import static org.assertj.core.api.Assertions.assertThat;

/** The resource verticle alone: reservations, prefetch and release over the event bus, and the views it publishes. */
@ExtendWith(VertxExtension.class)
class ResourceVerticleTest {

  private static Reservation oneCpu(String taskId, String nodeId) {
    return new Reservation(new Key(taskId, 1), nodeId, ONE_CPU);
  }

  private static Future<List<Grant>> reserve(EventBus bus, List<Key> released, List<Reservation> reservations) {
    return bus.<ReserveResult>request(Addresses.LEADER_RESOURCES, new ReserveRequest(released, reservations))
      .map(Message::body).map(ReserveResult::grants);
  }

  /** Asks for every view and completes with the full {@link NodeViews} that answers. */
  private static Future<NodeViews> fullViews(EventBus bus, Recorder<NodeViews> views) {
    Future<NodeViews> full = views.next(NodeViews::full);
    bus.send(Addresses.LEADER_RESOURCES, new ViewsWanted());
    return full;
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a 2-core node with prefetch 1 answers reserved, reserved, prefetched, refused; a repeated key is a no-op, a release promotes the prefetched task, and released keys are freed before reserving")
  void reservesPrefetchesRefusesAndReleases(Vertx vertx, VertxTestContext test) {
    LocalCodec.registerAll(vertx.eventBus());
    EventBus bus = vertx.eventBus();
    List<Reservation> four = List.of(oneCpu("t1", "n1"), oneCpu("t2", "n1"), oneCpu("t3", "n1"), oneCpu("t4", "n1"));

    recordViews(vertx).compose(views -> vertx.deployVerticle(new ResourceVerticle("c1"))
      .compose(id -> {
        Future<NodeView> up = nextViewOf(views, "n1");
        bus.send(Addresses.LEADER_RESOURCES, new NodeUp(node("n1", 2), 1));
        return up;
      })
      .compose(up -> {
        test.verify(() -> {
          assertThat(up.eligible()).isTrue();
          assertThat(up.load().capacity().cpu()).isEqualTo(2.0);
          assertThat(up.load().free().cpu()).isEqualTo(2.0);
          assertThat(up.load().held()).isZero();
          assertThat(up.load().prefetchLimit()).isEqualTo(1);
        });
        Future<NodeView> next = nextViewOf(views, "n1");
        return Future.all(reserve(bus, List.of(), four), next);
      })
      .compose(both -> {
        List<Grant> grants = both.resultAt(0);
        NodeView view = both.resultAt(1);
        test.verify(() -> {
          assertThat(grants).containsExactly(Grant.RESERVED, Grant.RESERVED, Grant.PREFETCHED, Grant.REFUSED);
          assertThat(view.load().free().cpu()).isZero();
          assertThat(view.load().held()).isEqualTo(3);
          assertThat(view.load().prefetched()).isEqualTo(1);
        });
        return reserve(bus, List.of(), List.of(oneCpu("t1", "n1"), oneCpu("t3", "n1"), oneCpu("t1", "n2")));
      })
      .compose(repeated -> {
        test.verify(() -> assertThat(repeated).as("what each key holds; the same key on another node is refused")
          .containsExactly(Grant.RESERVED, Grant.PREFETCHED, Grant.REFUSED));
        return fullViews(bus, views);
      })
      .compose(full -> {
        test.verify(() -> {
          NodeView view = viewOf(full, "n1").orElseThrow();
          assertThat(view.load().held()).as("a repeat holds nothing more").isEqualTo(3);
          assertThat(view.load().prefetched()).isEqualTo(1);
        });
        Future<NodeView> next = nextViewOf(views, "n1");
        bus.send(Addresses.LEADER_RESOURCES, new Release(List.of(oneCpu("t1", "n1"))));
        return next;
      })
      .compose(released -> {
        test.verify(() -> {
          assertThat(released.load().held()).isEqualTo(2);
          assertThat(released.load().prefetched()).as("t3 was promoted into t1's core").isZero();
          assertThat(released.load().free().cpu()).isZero();
        });
        Future<NodeView> next = nextViewOf(views, "n1");
        // with t2 freed first, t5 fits now; reserved before the release it would only be prefetched
        return Future.all(reserve(bus, List.of(new Key("t2", 1)), List.of(oneCpu("t5", "n1"))), next);
      })
      .onComplete(test.succeeding(both -> test.verify(() -> {
        List<Grant> grants = both.resultAt(0);
        NodeView view = both.resultAt(1);
        assertThat(grants).containsExactly(Grant.RESERVED);
        assertThat(view.load().held()).isEqualTo(2);
        assertThat(view.load().prefetched()).isZero();
        assertThat(view.load().free().cpu()).isZero();
        test.completeNow();
      }))));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a node made ineligible (drained, suspect) is refused even by a balancer planning on an older view, and its view is published again so the balancer catches up")
  void refusesIneligibleNodes(Vertx vertx, VertxTestContext test) {
    LocalCodec.registerAll(vertx.eventBus());
    EventBus bus = vertx.eventBus();

    recordViews(vertx).compose(views -> vertx.deployVerticle(new ResourceVerticle("c1"))
      .compose(id -> {
        Future<NodeView> up = nextViewOf(views, "n1");
        bus.send(Addresses.LEADER_RESOURCES, new NodeUp(node("n1", 2), 0));
        return up;
      })
      .compose(up -> {
        bus.send(Addresses.LEADER_RESOURCES, new NodeEligible("n1", false));
        return nextViewOf(views, "n1");
      })
      .compose(ineligible -> {
        Future<NodeView> republished = nextViewOf(views, "n1");
        return Future.all(reserve(bus, List.of(), List.of(oneCpu("t1", "n1"))), republished);
      })
      .compose(both -> {
        List<Grant> grants = both.resultAt(0);
        NodeView view = both.resultAt(1);
        test.verify(() -> {
          assertThat(grants).containsExactly(Grant.REFUSED);
          assertThat(view.eligible()).isFalse();
          assertThat(view.load().held()).isZero();
        });
        bus.send(Addresses.LEADER_RESOURCES, new NodeEligible("n1", true));
        return nextViewOf(views, "n1").compose(v -> reserve(bus, List.of(), List.of(oneCpu("t1", "n1"))));
      })
      .onComplete(test.succeeding(grants -> test.verify(() -> {
        assertThat(grants).as("eligible again").containsExactly(Grant.RESERVED);
        test.completeNow();
      }))));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  @DisplayName("eligibility and metrics show in the published views, metrics as a resource:update event too, a node down is published as removed, and ViewsWanted answers every node")
  void publishesEligibilityMetricsRemovalAndFullViews(Vertx vertx, VertxTestContext test) {
    LocalCodec.registerAll(vertx.eventBus());
    EventBus bus = vertx.eventBus();
    EventLog events = new EventLog(vertx);
    JsonObject metrics = new JsonObject().put("cpu", new JsonObject().put("usage", 0.5))
      .put("memory", new JsonObject().put("used", 1024).put("available", 3072));

    Future.all(recordViews(vertx), events.ready()).compose(ready -> {
      Recorder<NodeViews> views = ready.resultAt(0);
      return vertx.deployVerticle(new ResourceVerticle("c1"))
        .compose(id -> {
          bus.send(Addresses.LEADER_RESOURCES, new NodeUp(node("n1", 2), 0));
          bus.send(Addresses.LEADER_RESOURCES, new NodeUp(node("n2", 4), 0));
          return views.until(list -> latest(list, "n1").isPresent() && latest(list, "n2").isPresent());
        })
        .compose(up -> {
          Future<NodeView> next = nextViewOf(views, "n1");
          bus.send(Addresses.LEADER_RESOURCES, new NodeEligible("n1", false));
          return next;
        })
        .compose(n1 -> {
          test.verify(() -> assertThat(n1.eligible()).isFalse());
          Future<Event> event = events.next(e -> EventNames.RESOURCE_UPDATE.equals(e.event()));
          Future<NodeView> next = nextViewOf(views, "n2");
          bus.send(Addresses.LEADER_RESOURCES, new NodeMetrics("n2", metrics, 0));
          return Future.all(event, next);
        })
        .compose(both -> {
          Event event = both.resultAt(0);
          NodeView n2 = both.resultAt(1);
          test.verify(() -> {
            assertThat(event.nodeId()).isEqualTo("n2");
            assertThat(event.data().getJsonObject("metrics")).isEqualTo(metrics);
            assertThat(event.data().getInteger("runningTasks")).isZero();
            assertThat(n2.metrics()).isEqualTo(metrics);
            assertThat(n2.eligible()).isTrue();
          });
          Future<NodeViews> next = views.next(v -> !v.removed().isEmpty());
          bus.send(Addresses.LEADER_RESOURCES, new NodeDown("n1"));
          return next;
        })
        .compose(down -> {
          test.verify(() -> {
            assertThat(down.removed()).containsExactly("n1");
            assertThat(viewOf(down, "n1")).isEmpty();
          });
          return fullViews(bus, views);
        });
    }).onComplete(test.succeeding(full -> test.verify(() -> {
      assertThat(full.views()).extracting(NodeView::nodeId).containsExactly("n2");
      NodeView n2 = full.views().get(0);
      assertThat(n2.metrics()).isEqualTo(metrics);
      assertThat(n2.load().free().cpu()).isEqualTo(4.0);
      assertThat(full.removed()).isEmpty();
      test.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  @DisplayName("every change of one event-loop turn is published as one NodeViews carrying all of them")
  void coalescesOneTurnIntoOnePublish(Vertx vertx, VertxTestContext test) {
    LocalCodec.registerAll(vertx.eventBus());
    EventBus bus = vertx.eventBus();
    JsonObject metrics = new JsonObject().put("cpu", new JsonObject().put("usage", 0.75));

    recordViews(vertx).compose(views -> deployOnContext(vertx, new ResourceVerticle("c1"))
      .compose(context -> {
        // all sent within one turn of the resource verticle's event loop
        context.runOnContext(v -> {
          bus.send(Addresses.LEADER_RESOURCES, new NodeUp(node("n1", 2), 1));
          bus.send(Addresses.LEADER_RESOURCES, new NodeUp(node("n2", 2), 1));
          bus.send(Addresses.LEADER_RESOURCES, new NodeUp(node("n3", 2), 1));
          bus.send(Addresses.LEADER_RESOURCES, new NodeEligible("n1", false));
          bus.send(Addresses.LEADER_RESOURCES, new NodeMetrics("n2", metrics, 0));
          bus.send(Addresses.LEADER_RESOURCES, new NodeDown("n3"));
        });
        return views.until(list -> !list.isEmpty());
      })
      // anything else that turn published went out before the answer to this ViewsWanted
      .compose(first -> fullViews(bus, views))
      .map(full -> views.all()))
      .onComplete(test.succeeding(all -> test.verify(() -> {
        assertThat(all).hasSize(2);
        NodeViews turn = all.get(0);
        assertThat(turn.full()).isFalse();
        assertThat(turn.views()).extracting(NodeView::nodeId).containsExactlyInAnyOrder("n1", "n2");
        assertThat(viewOf(turn, "n1").orElseThrow().eligible()).isFalse();
        assertThat(viewOf(turn, "n2").orElseThrow().metrics()).isEqualTo(metrics);
        assertThat(turn.removed()).containsExactly("n3");
        assertThat(all.get(1).full()).isTrue();
        test.completeNow();
      })));
  }
}
