package io.mastermind.balancer;

import io.mastermind.resources.Resources;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static io.mastermind.balancer.Nodes.echo;
import static io.mastermind.balancer.Nodes.loaded;
import static io.mastermind.balancer.Nodes.node;
import static io.mastermind.balancer.Nodes.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("PlacementIndex chooses as the linear balancer does, from nodes it keeps indexed")
class PlacementIndexTest {

  private static PlacementIndex index(String strategy, NodeSnapshot... nodes) {
    PlacementIndex index = new PlacementIndex(strategy, new SplittableRandom(1));
    for (NodeSnapshot node : nodes) {
      index.upsert(node);
    }
    return index;
  }

  private static Optional<String> chosen(PlacementIndex index, PlacementRequest request) {
    return index.select(request).map(NodeSnapshot::nodeId);
  }

  /** What the node looks like after the request's resources were reserved on it. */
  private static NodeSnapshot reserved(NodeSnapshot node, PlacementRequest request) {
    return new NodeSnapshot(node.nodeId(), node.capabilities(), node.functions(), node.capacity(),
      node.free().minus(request.resources()), node.runningTasks() + 1);
  }

  @Nested
  @DisplayName("construction")
  class Construction {

    @Test
    @DisplayName("takes every strategy name of the balancer and reports it")
    void names() {
      for (String name : LoadBalancer.STRATEGIES) {
        assertThat(new PlacementIndex(name).strategy()).isEqualTo(name);
      }
    }

    @Test
    @DisplayName("an unknown or missing name throws IllegalArgumentException naming the choices")
    void unknown() {
      assertThatThrownBy(() -> new PlacementIndex("random"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("random")
        .hasMessageContaining("least-loaded");
      assertThatThrownBy(() -> new PlacementIndex(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("an empty index places nothing and could never place anything")
    void empty() {
      PlacementIndex index = new PlacementIndex("least-loaded");

      assertThat(index.select(echo(1, 0))).isEmpty();
      assertThat(index.canEverPlace(echo(1, 0))).isFalse();
      assertThat(index.size()).isZero();
    }
  }

  @Nested
  @DisplayName("filters, whatever the strategy")
  class Filters {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"least-loaded", "round-robin", "best-fit", "power-of-two"})
    @DisplayName("only a node with the capability of the task type is chosen")
    void capability(String strategy) {
      PlacementIndex index = index(strategy, node("a").capabilities("compute").build(),
        node("b").capabilities("io_bound").build());

      assertThat(chosen(index, request("io_bound", "echo", 1, 0, 0))).contains("b");
      assertThat(chosen(index, request("compute", "echo", 1, 0, 0))).contains("a");
      assertThat(chosen(index, request("ml_training", "echo", 1, 0, 0))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"least-loaded", "round-robin", "best-fit", "power-of-two"})
    @DisplayName("only a node serving the function for the type is chosen; '*' serves every type it has")
    void function(String strategy) {
      PlacementIndex index = index(strategy,
        node("a").function("primes", "compute").build(),
        node("b").function("primes", "io_bound").build(),
        node("c").capabilities("compute").function("echo", "*").build());

      assertThat(chosen(index, request("compute", "primes", 1, 0, 0))).contains("a");
      assertThat(chosen(index, request("io_bound", "primes", 1, 0, 0))).contains("b");
      assertThat(chosen(index, request("compute", "echo", 1, 0, 0))).contains("c");
      assertThat(chosen(index, request("io_bound", "echo", 1, 0, 0))).isEmpty();
      assertThat(chosen(index, request("compute", "unknown", 1, 0, 0))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"least-loaded", "round-robin", "best-fit", "power-of-two"})
    @DisplayName("a gpu request goes only to a node with a free gpu")
    void gpu(String strategy) {
      PlacementIndex index = index(strategy,
        node("none").capacity(8, 8192, 0).build(),
        node("busy-gpu").capacity(8, 8192, 1).free(8, 8192, 0).build(),
        node("gpu").capacity(4, 4096, 1).build());

      assertThat(chosen(index, request("ml_training", "echo", 1, 0, 1))).contains("gpu");
      assertThat(chosen(index, request("ml_training", "echo", 1, 0, 2))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"least-loaded", "round-robin", "best-fit", "power-of-two"})
    @DisplayName("only a node with enough free cpu and memory is chosen, with the records' cpu slack")
    void freeResources(String strategy) {
      PlacementIndex index = index(strategy,
        node("full-cpu").capacity(4, 4096, 0).free(0.25, 4096, 0).build(),
        node("full-mem").capacity(4, 4096, 0).free(4, 100, 0).build(),
        node("room").capacity(4, 4096, 0).free(0.1 + 0.2, 1024, 0).build(),
        node("small").capacity(0.25, 8192, 0).build());

      assertThat(chosen(index, echo(0.3, 1024))).contains("room");
      assertThat(chosen(index, echo(1, 1024))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"least-loaded", "round-robin", "best-fit", "power-of-two"})
    @DisplayName("a node whose free exceeds its capacity is held to its capacity, as NodeSnapshot.fits does")
    void capacityBound(String strategy) {
      PlacementIndex index = index(strategy, node("odd").capacity(1, 1024, 0).free(4, 4096, 0).build());

      assertThat(chosen(index, echo(2, 0))).isEmpty();
      assertThat(chosen(index, echo(1, 0))).contains("odd");
    }
  }

  @Nested
  @DisplayName("least-loaded")
  class LeastLoaded {

    @Test
    @DisplayName("the lowest load wins, then the fewest running tasks, then the lowest id")
    void order() {
      assertThat(chosen(index("least-loaded", loaded("a", 3, 1), loaded("b", 1, 5), loaded("c", 2, 0)), echo(1, 0)))
        .contains("b");
      assertThat(chosen(index("least-loaded", loaded("a", 2, 3), loaded("b", 2, 1), loaded("c", 2, 2)), echo(1, 0)))
        .contains("b");
      assertThat(chosen(index("least-loaded", loaded("c", 1, 1), loaded("a", 1, 1), loaded("b", 1, 1)), echo(1, 0)))
        .contains("a");
    }

    @Test
    @DisplayName("the least loaded node that does not fit is passed over for the next that does")
    void leastLoadedMustFit() {
      PlacementIndex index = index("least-loaded",
        node("small").capacity(2, 4096, 0).build(),                     // load 0, but only 2 cores
        node("big").capacity(16, 16_384, 0).free(8, 16_384, 0).build(), // load 0.5
        node("mid").capacity(8, 8192, 0).free(2, 8192, 0).build());     // load 0.75

      assertThat(chosen(index, echo(1, 0))).contains("small");
      assertThat(chosen(index, echo(4, 0))).contains("big");
    }
  }

  @Nested
  @DisplayName("round-robin")
  class RoundRobin {

    @Test
    @DisplayName("rotates through the fitting nodes in id order, skipping those that do not fit")
    void rotates() {
      PlacementIndex index = index("round-robin", loaded("c", 3, 9), loaded("a", 0, 0), loaded("b", 2, 1),
        node("d").capacity(4, 4096, 0).free(0.5, 4096, 0).build());
      List<String> picks = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        picks.add(chosen(index, echo(1, 0)).orElseThrow());
      }

      assertThat(picks).containsExactly("a", "b", "c", "a", "b", "c", "a");
    }

    @Test
    @DisplayName("a node leaving or joining does not make the rotation repeat or skip another")
    void membership() {
      PlacementIndex index = index("round-robin", loaded("a", 0, 0), loaded("b", 0, 0), loaded("c", 0, 0),
        loaded("d", 0, 0));
      assertThat(chosen(index, echo(1, 0))).contains("a");
      assertThat(chosen(index, echo(1, 0))).contains("b");
      index.remove("b");
      assertThat(chosen(index, echo(1, 0))).contains("c");
      index.upsert(loaded("bb", 0, 0));
      assertThat(chosen(index, echo(1, 0))).contains("d");
      assertThat(chosen(index, echo(1, 0))).contains("a");
      assertThat(chosen(index, echo(1, 0))).contains("bb");
    }

    @Test
    @DisplayName("one turn for all requests, as the strategy keeps: requests of other types move it too")
    void sharedTurn() {
      PlacementIndex index = index("round-robin", loaded("a", 0, 0), loaded("b", 0, 0), loaded("c", 0, 0));
      LoadBalancer linear = new LoadBalancer(new RoundRobinStrategy());
      List<NodeSnapshot> nodes = List.of(loaded("a", 0, 0), loaded("b", 0, 0), loaded("c", 0, 0));
      for (String type : List.of("compute", "io_bound", "compute", "ml_training", "io_bound")) {
        PlacementRequest request = request(type, "echo", 1, 0, 0);
        assertThat(chosen(index, request)).isEqualTo(linear.select(nodes, request).map(NodeSnapshot::nodeId));
      }
    }
  }

  @Nested
  @DisplayName("best-fit")
  class BestFit {

    @Test
    @DisplayName("the node left with the least after taking the task wins (the strategy's cases)")
    void tightest() {
      NodeSnapshot roomy = node("a").capacity(16, 16_384, 0).build();
      NodeSnapshot snug = node("b").capacity(4, 4_096, 0).free(2, 2_048, 0).build();
      NodeSnapshot half = node("c").capacity(8, 8_192, 0).free(4, 4_096, 0).build();

      assertThat(chosen(index("best-fit", roomy, snug, half), echo(2, 2_048))).contains("b");
      assertThat(chosen(index("best-fit", half, roomy), echo(2, 2_048))).contains("c");
      assertThat(chosen(index("best-fit", node("a").capacity(16, 0, 0).build(), node("b").capacity(2, 0, 0).build(),
        node("c").capacity(8, 0, 0).free(1.5, 0, 0).build()), echo(1, 0))).contains("c");
      assertThat(chosen(index("best-fit", node("a").capacity(8, 8192, 0).build(),
        node("b").capacity(4, 8192, 0).free(1, 8192, 0).build()), echo(1, 0))).contains("b");
    }

    @Test
    @DisplayName("equal free cpu goes to the least free memory, then to the lowest id")
    void ties() {
      PlacementIndex index = index("best-fit",
        node("z").capacity(4, 4096, 0).free(2, 2048, 0).build(),
        node("y").capacity(4, 4096, 0).free(2, 2048, 0).build(),
        node("x").capacity(4, 4096, 0).free(2, 4096, 0).build());

      assertThat(chosen(index, echo(1, 1024))).contains("y");
      assertThat(chosen(index, echo(1, 3000))).contains("x");
    }

    @Test
    @DisplayName("a request without a gpu may go to a gpu node when it is the tightest")
    void gpuNodesTakeOtherWork() {
      PlacementIndex index = index("best-fit",
        node("plain").capacity(8, 8192, 0).build(),
        node("gpu").capacity(4, 4096, 1).free(1, 1024, 1).build());

      assertThat(chosen(index, echo(1, 512))).contains("gpu");
      assertThat(chosen(index, echo(2, 512))).contains("plain");
    }
  }

  @Nested
  @DisplayName("power-of-two")
  class PowerOfTwo {

    @Test
    @DisplayName("of two fitting nodes it always takes the less loaded; a single one is taken")
    void twoAndOne() {
      PlacementIndex index = index("power-of-two", loaded("a", 3, 3), loaded("b", 1, 1),
        node("c").capacity(4, 4096, 0).free(0.5, 4096, 0).build());
      for (int i = 0; i < 200; i++) {
        assertThat(chosen(index, echo(1, 0))).contains("b");
      }
      assertThat(chosen(index, echo(2, 0))).contains("b");
      assertThat(chosen(index, echo(3.5, 0))).isEmpty();
    }

    @Test
    @DisplayName("spreads over the fitting nodes, never the most loaded, more often the less loaded")
    void spreads() {
      PlacementIndex index = index("power-of-two", loaded("a", 1, 0), loaded("b", 3.5, 0), loaded("c", 2, 0),
        loaded("d", 0.5, 0), loaded("e", 2.5, 0));
      Map<String, Integer> counts = new HashMap<>();
      for (int i = 0; i < 5_000; i++) {
        counts.merge(chosen(index, echo(0.5, 0)).orElseThrow(), 1, Integer::sum);
      }

      assertThat(counts).doesNotContainKey("b");
      assertThat(counts.get("d")).isGreaterThan(counts.get("a"));
      assertThat(counts.get("a")).isGreaterThan(counts.get("c"));
      assertThat(counts.get("c")).isGreaterThan(counts.get("e"));
      assertThat(counts.get("e")).isPositive();
    }

    @Test
    @DisplayName("finds the few fitting nodes among many that do not fit")
    void fewFit() {
      PlacementIndex index = new PlacementIndex("power-of-two", new SplittableRandom(3));
      for (int i = 0; i < 1_000; i++) {
        index.upsert(node(String.format("busy%04d", i)).capacity(4, 4096, 0).free(0.5, 4096, 0).build());
      }
      index.upsert(loaded("x", 2, 0));
      index.upsert(loaded("y", 1, 0));

      for (int i = 0; i < 50; i++) {
        assertThat(chosen(index, echo(1, 0))).contains("y");
      }
      index.remove("y");
      assertThat(chosen(index, echo(1, 0))).contains("x");
      index.remove("x");
      assertThat(chosen(index, echo(1, 0))).isEmpty();
    }
  }

  @Nested
  @DisplayName("upsert and remove change the answer")
  class Changes {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"least-loaded", "round-robin", "best-fit", "power-of-two"})
    @DisplayName("a reservation that fills a node moves the next choice; its release brings the node back")
    void reserveAndRelease(String strategy) {
      NodeSnapshot only = node("a").capacity(4, 4096, 0).build();
      PlacementIndex index = index(strategy, only);
      PlacementRequest all = echo(4, 4096);

      assertThat(chosen(index, all)).contains("a");
      index.upsert(reserved(only, all));
      assertThat(chosen(index, echo(0.5, 0))).isEmpty();
      assertThat(index.canEverPlace(all)).isTrue();
      index.upsert(only);
      assertThat(chosen(index, all)).contains("a");
    }

    @Test
    @DisplayName("least-loaded follows the load as reservations come and go")
    void leastLoadedFollowsLoad() {
      NodeSnapshot a = loaded("a", 1, 0);
      NodeSnapshot b = loaded("b", 2, 0);
      PlacementIndex index = index("least-loaded", a, b);

      assertThat(chosen(index, echo(1, 0))).contains("a");
      index.upsert(reserved(a, echo(2, 0)));   // a now at 3 of 4 cores
      assertThat(chosen(index, echo(1, 0))).contains("b");
      index.upsert(a);
      assertThat(chosen(index, echo(1, 0))).contains("a");
    }

    @Test
    @DisplayName("best-fit follows free capacity as reservations come and go")
    void bestFitFollowsFree() {
      NodeSnapshot a = loaded("a", 1, 0);   // 3 free
      NodeSnapshot b = loaded("b", 2, 0);   // 2 free
      PlacementIndex index = index("best-fit", a, b);

      assertThat(chosen(index, echo(1, 0))).contains("b");
      index.upsert(reserved(a, echo(2, 0))); // a now 1 free
      assertThat(chosen(index, echo(1, 0))).contains("a");
      assertThat(chosen(index, echo(1.5, 0))).contains("b");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"least-loaded", "round-robin", "best-fit", "power-of-two"})
    @DisplayName("a removed node is never chosen again; joining again makes it a candidate")
    void removeAndRejoin(String strategy) {
      PlacementIndex index = index(strategy, loaded("a", 0, 0));

      assertThat(index.remove("a")).isTrue();
      assertThat(index.remove("a")).isFalse();
      assertThat(chosen(index, echo(1, 0))).isEmpty();
      assertThat(index.canEverPlace(echo(1, 0))).isFalse();
      assertThat(index.node("a")).isEmpty();
      index.upsert(loaded("a", 0, 0));
      assertThat(chosen(index, echo(1, 0))).contains("a");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"least-loaded", "round-robin", "best-fit", "power-of-two"})
    @DisplayName("a node that is not eligible (suspect) is not chosen but still counts for canEverPlace")
    void ineligible(String strategy) {
      NodeSnapshot a = node("a").capacity(8, 8192, 0).build();
      PlacementIndex index = index(strategy, a, node("b").capacity(2, 2048, 0).build());

      index.upsert(a, false);
      assertThat(index.isEligible("a")).isFalse();
      assertThat(index.size()).isEqualTo(2);
      assertThat(chosen(index, echo(4, 0))).isEmpty();
      assertThat(index.canEverPlace(echo(4, 0))).isTrue();
      assertThat(chosen(index, echo(1, 0))).contains("b");

      index.upsert(a);
      assertThat(index.isEligible("a")).isTrue();
      assertThat(chosen(index, echo(4, 0))).contains("a");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"least-loaded", "round-robin", "best-fit", "power-of-two"})
    @DisplayName("a node declaring other capabilities or functions moves to the pools they make")
    void newDeclaration(String strategy) {
      PlacementIndex index = index(strategy, node("a").capabilities("compute").function("primes", "compute").build());
      assertThat(chosen(index, request("compute", "primes", 1, 0, 0))).contains("a");

      index.upsert(node("a").capabilities("io_bound").function("sleep", "io_bound").build());

      assertThat(chosen(index, request("compute", "primes", 1, 0, 0))).isEmpty();
      assertThat(index.canEverPlace(request("compute", "primes", 1, 0, 0))).isFalse();
      assertThat(chosen(index, request("io_bound", "sleep", 1, 0, 0))).contains("a");
      assertThat(index.size()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"least-loaded", "round-robin", "best-fit", "power-of-two"})
    @DisplayName("many joins and leaves between choices keep every answer right")
    void churn(String strategy) {
      PlacementIndex index = new PlacementIndex(strategy, new SplittableRandom(5));
      for (int i = 0; i < 500; i++) {
        index.upsert(node(String.format("n%03d", i)).capacity(4, 4096, 0).free(0.5, 4096, 0).build());
      }
      assertThat(chosen(index, echo(1, 0))).isEmpty();
      for (int i = 0; i < 500; i += 2) {
        index.remove(String.format("n%03d", i));
      }
      index.upsert(node("n499").capacity(4, 4096, 0).build());
      index.upsert(node("m").capacity(4, 4096, 0).free(2, 4096, 0).build());

      assertThat(chosen(index, echo(3, 0))).contains("n499");
      assertThat(chosen(index, echo(1.5, 0))).isPresent().get().isIn("n499", "m");
      assertThat(index.size()).isEqualTo(251);
    }
  }

  @Nested
  @DisplayName("pools shared by the functions that the same nodes serve")
  class SharedPools {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"least-loaded", "round-robin", "best-fit", "power-of-two"})
    @DisplayName("a new declaration serving only some of them splits them apart, keeping every answer")
    void split(String strategy) {
      // primes and echo for compute are served by the same nodes, so share a pool
      PlacementIndex index = index(strategy,
        node("a").capabilities("compute").function("primes", "compute").function("echo", "*").build(),
        node("b").capabilities("compute").function("primes", "compute").function("echo", "*").build());
      assertThat(chosen(index, request("compute", "primes", 1, 0, 0))).get().isIn("a", "b");

      // c serves echo but not primes: echo's pool now holds a, b and c, primes' still a and b
      index.upsert(node("c").capabilities("compute").function("echo", "*").capacity(16, 16_384, 0).build());
      index.upsert(node("a").capabilities("compute").function("primes", "compute").function("echo", "*")
        .free(0.5, 4096, 0).build());

      assertThat(chosen(index, request("compute", "primes", 8, 0, 0))).isEmpty();
      assertThat(chosen(index, request("compute", "echo", 8, 0, 0))).contains("c");
      assertThat(chosen(index, request("compute", "primes", 1, 0, 0))).contains("b");
      assertThat(index.canEverPlace(request("compute", "primes", 8, 0, 0))).isFalse();
      assertThat(index.canEverPlace(request("compute", "echo", 8, 0, 0))).isTrue();

      index.remove("b");
      assertThat(chosen(index, request("compute", "primes", 1, 0, 0))).isEmpty();
      assertThat(chosen(index, request("compute", "echo", 1, 0, 0))).contains("c");
    }
  }

  @Nested
  @DisplayName("canEverPlace")
  class CanEverPlace {

    @Test
    @DisplayName("asks for one node holding every resource at once, not the maxima of different nodes")
    void oneNodeForAll() {
      PlacementIndex index = index("least-loaded",
        node("cpu").capacity(16, 1024, 0).free(0, 0, 0).build(),
        node("mem").capacity(2, 65_536, 0).build(),
        node("gpu").capacity(4, 4096, 1).build());

      assertThat(index.canEverPlace(echo(16, 1024))).isTrue();
      assertThat(index.canEverPlace(echo(2, 65_536))).isTrue();
      assertThat(index.canEverPlace(echo(16, 65_536))).isFalse();
      assertThat(index.canEverPlace(request("compute", "echo", 4, 4096, 1))).isTrue();
      assertThat(index.canEverPlace(request("compute", "echo", 16, 0, 1))).isFalse();
      assertThat(index.canEverPlace(request("compute", "other", 1, 0, 0))).isFalse();
    }

    @Test
    @DisplayName("follows capacity changes and leaves")
    void followsCapacity() {
      PlacementIndex index = index("best-fit", node("a").capacity(4, 4096, 0).build());
      assertThat(index.canEverPlace(echo(8, 0))).isFalse();

      index.upsert(node("a").capacity(8, 4096, 0).build());
      assertThat(index.canEverPlace(echo(8, 0))).isTrue();
      assertThat(chosen(index, echo(8, 0))).contains("a");

      index.upsert(node("b").capacity(8, 4096, 0).build());
      index.remove("a");
      assertThat(index.canEverPlace(echo(8, 0))).isTrue();
      index.remove("b");
      assertThat(index.canEverPlace(echo(8, 0))).isFalse();
    }

    @Test
    @DisplayName("agrees with LoadBalancer.canEverPlace on the members")
    void agreesWithLinear() {
      List<NodeSnapshot> members = List.of(node("a").capacity(4, 4096, 0).build(),
        node("b").capabilities("ml_training").capacity(8, 2048, 2).build());
      PlacementIndex index = index("round-robin", members.toArray(new NodeSnapshot[0]));
      for (PlacementRequest r : List.of(echo(4, 4096), echo(8, 2048), request("ml_training", "echo", 8, 2048, 2),
        request("ml_training", "echo", 8, 4096, 0), request("ml_training", "echo", 0.5, 0, 3))) {
        assertThat(index.canEverPlace(r)).as(r.toString()).isEqualTo(LoadBalancer.canEverPlace(members, r));
      }
    }
  }

  @Test
  @DisplayName("node(id) returns the latest snapshot upserted")
  void latestSnapshot() {
    NodeSnapshot first = loaded("a", 0, 0);
    NodeSnapshot second = reserved(first, echo(1, 0));
    PlacementIndex index = index("least-loaded", first);
    index.upsert(second);

    assertThat(index.node("a")).containsSame(second);
    assertThat(index.select(echo(1, 0))).containsSame(second);
    assertThat(second.free()).isEqualTo(new Resources(3, 4096, 0));
  }
}
