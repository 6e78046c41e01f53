package io.mastermind.balancer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.mastermind.balancer.Nodes.echo;
import static io.mastermind.balancer.Nodes.node;
import static io.mastermind.balancer.Nodes.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("LoadBalancer filters nodes that fit a request and lets its strategy choose")
class LoadBalancerTest {

  /** Records what the balancer hands its strategy; chooses the first candidate. */
  private static final class RecordingStrategy implements LoadBalancingStrategy {
    final List<List<String>> calls = new ArrayList<>();

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public NodeSnapshot choose(List<NodeSnapshot> candidates, PlacementRequest request) {
      calls.add(Nodes.ids(candidates));
      return candidates.get(0);
    }
  }

  private final RecordingStrategy recording = new RecordingStrategy();
  private final LoadBalancer balancer = new LoadBalancer(recording);

  private List<String> candidates(List<NodeSnapshot> nodes, PlacementRequest request) {
    recording.calls.clear();
    balancer.select(nodes, request);
    return recording.calls.isEmpty() ? List.of() : recording.calls.get(0);
  }

  @Nested
  @DisplayName("select")
  class Select {

    @Test
    @DisplayName("only nodes with the capability tag of the task type are candidates")
    void capabilityFilter() {
      List<NodeSnapshot> nodes = List.of(
        node("a").capabilities("compute").build(),
        node("b").capabilities("io_bound", "ml_training").build(),
        node("c").capabilities("ml_training").build());

      assertThat(candidates(nodes, request("ml_training", "echo", 1, 0, 0))).containsExactly("b", "c");
      assertThat(candidates(nodes, request("compute", "echo", 1, 0, 0))).containsExactly("a");
    }

    @Test
    @DisplayName("only nodes serving the function for the task type are candidates")
    void functionFilter() {
      List<NodeSnapshot> nodes = List.of(
        node("a").function("primes", "compute").build(),
        node("b").function("primes", "io_bound").build(),
        node("c").function("sort", "compute").build(),
        node("d").function("primes", "compute", "io_bound").build());

      assertThat(candidates(nodes, request("compute", "primes", 1, 0, 0))).containsExactly("a", "d");
      assertThat(candidates(nodes, request("io_bound", "primes", 1, 0, 0))).containsExactly("b", "d");
      assertThat(candidates(nodes, request("compute", "unknown", 1, 0, 0))).isEmpty();
    }

    @Test
    @DisplayName("a function serving '*' serves every type the node has the capability for")
    void wildcardTypes() {
      List<NodeSnapshot> nodes = List.of(
        node("a").function("echo", "*").build(),
        node("b").capabilities("compute").function("echo", "*").build());

      assertThat(candidates(nodes, request("data_processing", "echo", 1, 0, 0))).containsExactly("a");
      assertThat(candidates(nodes, request("compute", "echo", 1, 0, 0))).containsExactly("a", "b");
    }

    @Test
    @DisplayName("a request needing a gpu only goes to a node with a free gpu")
    void gpuRequirement() {
      List<NodeSnapshot> nodes = List.of(
        node("none").capacity(8, 8192, 0).build(),
        node("busy-gpu").capacity(8, 8192, 1).free(8, 8192, 0).build(),
        node("gpu").capacity(4, 4096, 1).build(),
        node("two-gpus").capacity(4, 4096, 2).free(4, 4096, 1).build());

      assertThat(candidates(nodes, request("ml_training", "echo", 1, 0, 1))).containsExactly("gpu", "two-gpus");
      assertThat(candidates(nodes, request("ml_training", "echo", 1, 0, 2))).isEmpty();
      assertThat(candidates(nodes, request("ml_training", "echo", 1, 0, 0)))
        .containsExactly("none", "busy-gpu", "gpu", "two-gpus");
    }

    @Test
    @DisplayName("only nodes with enough free cpu and memory are candidates")
    void freeResourcesFilter() {
      List<NodeSnapshot> nodes = List.of(
        node("full-cpu").capacity(4, 4096, 0).free(0.5, 4096, 0).build(),
        node("full-mem").capacity(4, 4096, 0).free(4, 100, 0).build(),
        node("room").capacity(4, 4096, 0).free(1, 1024, 0).build(),
        node("small").capacity(0.5, 8192, 0).build());

      assertThat(candidates(nodes, echo(1, 1024))).containsExactly("room");
    }

    @Test
    @DisplayName("the chosen node is the strategy's choice among the candidates")
    void returnsStrategyChoice() {
      LoadBalancer leastLoaded = new LoadBalancer(new LeastLoadedStrategy());
      List<NodeSnapshot> nodes = List.of(
        node("a").free(1, 4096, 0).build(),
        node("b").free(3, 4096, 0).build(),
        node("c").capabilities("io_bound").build());

      assertThat(leastLoaded.select(nodes, echo(1, 0))).map(NodeSnapshot::nodeId).contains("b");
    }

    @Test
    @DisplayName("nothing is selected, and the strategy not asked, when no node fits")
    void emptyWhenNothingFits() {
      List<NodeSnapshot> nodes = List.of(node("a").free(0.5, 4096, 0).build(), node("b").capabilities("io_bound").build());

      assertThat(balancer.select(nodes, echo(1, 0))).isEmpty();
      assertThat(balancer.select(List.of(), echo(1, 0))).isEmpty();
      assertThat(recording.calls).isEmpty();
    }
  }

  @Nested
  @DisplayName("canEverPlace")
  class CanEverPlace {

    @Test
    @DisplayName("a node that is busy now but large enough could place the request")
    void busyButLargeEnough() {
      List<NodeSnapshot> nodes = List.of(node("a").capacity(4, 4096, 1).free(0, 0, 0).build());

      assertThat(LoadBalancer.canEverPlace(nodes, request("compute", "echo", 4, 4096, 1))).isTrue();
    }

    @Test
    @DisplayName("a request larger than every node, or needing a gpu none has, can never be placed")
    void tooLarge() {
      List<NodeSnapshot> nodes = List.of(node("a").capacity(4, 4096, 0).build(), node("b").capacity(2, 8192, 0).build());

      assertThat(LoadBalancer.canEverPlace(nodes, echo(4, 8192))).isFalse();
      assertThat(LoadBalancer.canEverPlace(nodes, echo(4.5, 0))).isFalse();
      assertThat(LoadBalancer.canEverPlace(nodes, request("compute", "echo", 1, 0, 1))).isFalse();
      assertThat(LoadBalancer.canEverPlace(nodes, echo(2, 8192))).isTrue();
    }

    @Test
    @DisplayName("a type no node has the capability for, or a function none serves, can never be placed")
    void noCapabilityOrFunction() {
      List<NodeSnapshot> nodes = List.of(node("a").capabilities("compute").function("primes", "compute").build());

      assertThat(LoadBalancer.canEverPlace(nodes, request("io_bound", "primes", 1, 0, 0))).isFalse();
      assertThat(LoadBalancer.canEverPlace(nodes, request("compute", "sort", 1, 0, 0))).isFalse();
      assertThat(LoadBalancer.canEverPlace(nodes, request("compute", "primes", 1, 0, 0))).isTrue();
      assertThat(LoadBalancer.canEverPlace(List.of(), request("compute", "primes", 1, 0, 0))).isFalse();
    }
  }

  @Nested
  @DisplayName("tasksToReplace")
  class TasksToReplace {

    @Test
    @DisplayName("returns, sorted, the tasks whose node is no longer eligible")
    void nodeGone() {
      Map<String, String> assigned = new LinkedHashMap<>();
      assigned.put("t3", "n2");
      assigned.put("t1", "n2");
      assigned.put("t2", "n1");
      assigned.put("t0", "n3");

      assertThat(LoadBalancer.tasksToReplace(assigned, Set.of("n1"))).containsExactly("t0", "t1", "t3");
      assertThat(LoadBalancer.tasksToReplace(assigned, Set.of("n1", "n2", "n3"))).isEmpty();
      assertThat(LoadBalancer.tasksToReplace(assigned, Set.of())).containsExactly("t0", "t1", "t2", "t3");
      assertThat(LoadBalancer.tasksToReplace(Map.of(), Set.of("n1"))).isEmpty();
    }
  }

  @Nested
  @DisplayName("strategy(name)")
  class StrategyByName {

    @Test
    @DisplayName("every listed name yields the strategy of that name")
    void knownNames() {
      assertThat(LoadBalancer.STRATEGIES).containsExactly("least-loaded", "round-robin", "best-fit", "power-of-two");
      for (String name : LoadBalancer.STRATEGIES) {
        assertThat(LoadBalancer.strategy(name).name()).isEqualTo(name);
      }
      assertThat(LoadBalancer.strategy("least-loaded")).isInstanceOf(LeastLoadedStrategy.class);
      assertThat(LoadBalancer.strategy("round-robin")).isInstanceOf(RoundRobinStrategy.class);
      assertThat(LoadBalancer.strategy("best-fit")).isInstanceOf(BestFitStrategy.class);
      assertThat(LoadBalancer.strategy("power-of-two")).isInstanceOf(PowerOfTwoChoicesStrategy.class);
    }

    @Test
    @DisplayName("each call gives a fresh instance, so round-robin state is not shared")
    void freshInstances() {
      assertThat(LoadBalancer.strategy("round-robin")).isNotSameAs(LoadBalancer.strategy("round-robin"));
    }

    @Test
    @DisplayName("the default is least-loaded")
    void defaultStrategy() {
      assertThat(LoadBalancer.DEFAULT_STRATEGY).isEqualTo("least-loaded");
      assertThat(LoadBalancer.STRATEGIES).contains(LoadBalancer.DEFAULT_STRATEGY);
    }

    @Test
    @DisplayName("an unknown name throws IllegalArgumentException naming the name and the choices")
    void unknownName() {
      assertThatThrownBy(() -> LoadBalancer.strategy("random"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("random")
        .hasMessageContaining("least-loaded")
        .hasMessageContaining("round-robin")
        .hasMessageContaining("best-fit")
        .hasMessageContaining("power-of-two");
      assertThatThrownBy(() -> LoadBalancer.strategy("Least-Loaded")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> LoadBalancer.strategy("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("the balancer exposes the strategy it was built with")
    void exposesStrategy() {
      assertThat(balancer.strategy()).isSameAs(recording);
    }
  }
}
