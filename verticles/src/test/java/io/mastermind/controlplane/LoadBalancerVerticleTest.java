package io.mastermind.controlplane;

import io.mastermind.balancer.Blocked;
import io.mastermind.balancer.PlacementRequest;
import io.mastermind.controlplane.ControlMessages.CapacityAvailable;
import io.mastermind.controlplane.ControlMessages.Candidate;
import io.mastermind.controlplane.ControlMessages.NodeUp;
import io.mastermind.controlplane.ControlMessages.Placed;
import io.mastermind.controlplane.ControlMessages.PlacementPass;
import io.mastermind.controlplane.ControlMessages.PlacementResult;
import io.mastermind.controlplane.ControlMessages.Release;
import io.mastermind.controlplane.ControlMessages.Reservation;
import io.mastermind.coordinator.Recorder;
import io.mastermind.protocol.Addresses;
import io.mastermind.resources.ReservationBook.Key;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.mastermind.controlplane.ControlPlaneFixtures.ONE_CPU;
import static io.mastermind.controlplane.ControlPlaneFixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load balancer with the resource verticle it asks for views and reservations (its contract), the
 * coordinator played by a test consumer.
 */
@ExtendWith(VertxExtension.class)
class LoadBalancerVerticleTest {

  private static Candidate echo(String taskId) {
    return new Candidate(taskId, 1, new PlacementRequest("compute", "echo", ONE_CPU));
  }

  private static Future<PlacementResult> pass(EventBus bus, List<Candidate> candidates, List<Reservation> released) {
    return bus.<PlacementResult>request(Addresses.LEADER_BALANCER, new PlacementPass(candidates, released))
      .map(Message::body);
  }

  /** The tasks reserved (not prefetched) on a node by a result. */
  private static List<String> reservedOn(PlacementResult result, String nodeId) {
    return result.placed().stream().filter(p -> p.nodeId().equals(nodeId) && !p.prefetched()).map(Placed::taskId).toList();
  }

  private static Reservation held(String taskId, String nodeId) {
    return new Reservation(new Key(taskId, 1), nodeId, ONE_CPU);
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a pass spreads tasks over two nodes, prefetches past capacity, blocks the rest on cpu and an unknown capability for good; released slots fill in the same pass; room coming back is announced to the coordinator")
  void placesPrefetchesBlocksAndAnnouncesCapacity(Vertx vertx, VertxTestContext test) {
    LocalCodec.registerAll(vertx.eventBus());
    EventBus bus = vertx.eventBus();
    Recorder<CapacityAvailable> capacity = new Recorder<>(vertx, "capacity available");
    MessageConsumer<Object> coordinator = bus.localConsumer(Addresses.LEADER_COORDINATOR, m -> {
      if (m.body() instanceof CapacityAvailable available) {
        capacity.add(available);
      }
    });
    AtomicInteger announcedBeforePasses = new AtomicInteger();
    AtomicReference<PlacementResult> first = new AtomicReference<>();
    List<Candidate> firstPass = new ArrayList<>(List.of(echo("t1"), echo("t2"),
      new Candidate("q1", 1, new PlacementRequest("quantum", "echo", ONE_CPU)),
      echo("t3"), echo("t4"), echo("t5"), echo("t6"), echo("t7")));

    coordinator.completion()
      .compose(v -> vertx.deployVerticle(new ResourceVerticle("c1")))
      .compose(id -> vertx.deployVerticle(new LoadBalancerVerticle("least-loaded")))
      .compose(id -> {
        bus.send(Addresses.LEADER_RESOURCES, new NodeUp(node("n1", 2), 1));
        bus.send(Addresses.LEADER_RESOURCES, new NodeUp(node("n2", 2), 1));
        // two free cores and one prefetch slot on each node, seen by the balancer in the resource verticle's views
        return capacity.until(list -> list.stream().anyMatch(c -> c.room() == 6));
      })
      .compose(announced -> {
        announcedBeforePasses.set(announced.size());
        return pass(bus, firstPass, List.of());
      })
      .compose(result -> {
        first.set(result);
        test.verify(() -> {
          assertThat(result.placed()).extracting(Placed::taskId).containsExactly("t1", "t2", "t3", "t4", "t5", "t6");
          assertThat(result.placed().get(0).nodeId()).as("least-loaded spreads").isNotEqualTo(result.placed().get(1).nodeId());
          assertThat(reservedOn(result, "n1")).hasSize(2);
          assertThat(reservedOn(result, "n2")).hasSize(2);
          assertThat(result.placed().subList(4, 6)).allMatch(Placed::prefetched)
            .extracting(Placed::nodeId).containsExactlyInAnyOrder("n1", "n2");
          assertThat(result.blocked()).containsOnlyKeys("t7", "q1");
          Blocked busy = result.blocked().get("t7");
          assertThat(busy.dimension()).isEqualTo("cpu");
          assertThat(busy.permanent()).isFalse();
          Blocked never = result.blocked().get("q1");
          assertThat(never.dimension()).isEqualTo("capability");
          assertThat(never.permanent()).isTrue();
          assertThat(result.room()).isZero();
        });
        // both cores of t1's node end: its prefetched task takes one, t7 the other, t8 its prefetch slot
        String node = result.placed().get(0).nodeId();
        List<Reservation> released = reservedOn(result, node).stream().map(t -> held(t, node)).toList();
        return pass(bus, List.of(echo("t7"), echo("t8"), echo("t9")), released);
      })
      .compose(result -> {
        String node = first.get().placed().get(0).nodeId();
        test.verify(() -> {
          assertThat(result.placed()).containsExactly(new Placed("t7", 1, node, false), new Placed("t8", 1, node, true));
          assertThat(result.blocked()).containsOnlyKeys("t9");
          assertThat(result.blocked().get("t9").dimension()).isEqualTo("cpu");
          assertThat(result.room()).isZero();
          assertThat(capacity.all()).as("no room came back").hasSize(announcedBeforePasses.get());
        });
        // a task on the other node ends, reported straight to the resource verticle: its prefetch slot frees
        String other = node.equals("n1") ? "n2" : "n1";
        Future<CapacityAvailable> next = capacity.next(c -> true);
        bus.send(Addresses.LEADER_RESOURCES, new Release(List.of(held(reservedOn(first.get(), other).get(0), other))));
        return next;
      })
      .onComplete(test.succeeding(available -> test.verify(() -> {
        assertThat(available.room()).isEqualTo(1);
        assertThat(capacity.all()).hasSize(announcedBeforePasses.get() + 1);
        test.completeNow();
      })));
  }
}
