package io.mastermind.balancer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mastermind.balancer.Nodes.echo;
import static io.mastermind.balancer.Nodes.loaded;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("LeastLoadedStrategy picks the least loaded node, then the least busy, then the lowest id")
class LeastLoadedStrategyTest {

  private final LeastLoadedStrategy strategy = new LeastLoadedStrategy();

  @Test
  @DisplayName("its config name is least-loaded")
  void name() {
    assertThat(strategy.name()).isEqualTo("least-loaded");
  }

  @Test
  @DisplayName("the node with the lowest load wins")
  void lowestLoad() {
    List<NodeSnapshot> nodes = List.of(loaded("a", 3, 1), loaded("b", 1, 5), loaded("c", 2, 0));

    assertThat(strategy.choose(nodes, echo(1, 0)).nodeId()).isEqualTo("b");
  }

  @Test
  @DisplayName("on equal load the node running fewer tasks wins")
  void fewerTasksOnTie() {
    List<NodeSnapshot> nodes = List.of(loaded("a", 2, 3), loaded("b", 2, 1), loaded("c", 2, 2));

    assertThat(strategy.choose(nodes, echo(1, 0)).nodeId()).isEqualTo("b");
  }

  @Test
  @DisplayName("on equal load and tasks the lowest id wins, whatever the input order")
  void lowestIdOnTie() {
    assertThat(strategy.choose(List.of(loaded("c", 1, 1), loaded("a", 1, 1), loaded("b", 1, 1)), echo(1, 0)).nodeId())
      .isEqualTo("a");
    assertThat(strategy.choose(List.of(loaded("b", 1, 1), loaded("c", 1, 1), loaded("a", 1, 1)), echo(1, 0)).nodeId())
      .isEqualTo("a");
  }

  @Test
  @DisplayName("a single candidate is chosen")
  void single() {
    assertThat(strategy.choose(List.of(loaded("only", 3.9, 9)), echo(0.1, 0)).nodeId()).isEqualTo("only");
  }
}
