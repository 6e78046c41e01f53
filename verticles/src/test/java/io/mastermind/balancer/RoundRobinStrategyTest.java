package io.mastermind.balancer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.mastermind.balancer.Nodes.echo;
import static io.mastermind.balancer.Nodes.loaded;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("RoundRobinStrategy takes the nodes in id order, one after the other")
class RoundRobinStrategyTest {

  private final RoundRobinStrategy strategy = new RoundRobinStrategy();

  private String next(String... ids) {
    List<NodeSnapshot> nodes = new ArrayList<>();
    for (String id : ids) {
      nodes.add(loaded(id, 0, 0));
    }
    return strategy.choose(nodes, echo(1, 0)).nodeId();
  }

  @Test
  @DisplayName("its config name is round-robin")
  void name() {
    assertThat(strategy.name()).isEqualTo("round-robin");
  }

  @Test
  @DisplayName("rotates through the nodes in id order regardless of the input order or load")
  void rotatesInIdOrder() {
    List<String> picks = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      picks.add(strategy.choose(List.of(loaded("c", 3, 9), loaded("a", 0, 0), loaded("b", 2, 1)), echo(1, 0)).nodeId());
    }

    assertThat(picks).containsExactly("a", "b", "c", "a", "b", "c", "a");
  }

  @Test
  @DisplayName("a node leaving does not make the rotation repeat or skip another node")
  void nodeLeaves() {
    assertThat(next("a", "b", "c", "d")).isEqualTo("a");
    assertThat(next("a", "b", "c", "d")).isEqualTo("b");
    // b, the last one chosen, leaves: c is next, not d
    assertThat(next("a", "c", "d")).isEqualTo("c");
    assertThat(next("a", "c", "d")).isEqualTo("d");
    assertThat(next("a", "c", "d")).isEqualTo("a");
  }

  @Test
  @DisplayName("a node leaving that was next in turn hands the turn to the one after it")
  void nextNodeLeaves() {
    assertThat(next("a", "b", "c")).isEqualTo("a");
    assertThat(next("a", "c")).isEqualTo("c");
    assertThat(next("a", "c")).isEqualTo("a");
  }

  @Test
  @DisplayName("a node joining gets its turn in id order")
  void nodeJoins() {
    assertThat(next("a", "c")).isEqualTo("a");
    assertThat(next("a", "b", "c")).isEqualTo("b");
    assertThat(next("a", "b", "c")).isEqualTo("c");
    // joining behind the last chosen node
    assertThat(next("a", "b", "c", "d")).isEqualTo("d");
    assertThat(next("a", "b", "c", "d")).isEqualTo("a");
  }

  @Test
  @DisplayName("every node gets the same share over full rounds")
  void fair() {
    List<String> picks = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      picks.add(next("n1", "n2", "n3"));
    }

    assertThat(picks).filteredOn("n1"::equals).hasSize(100);
    assertThat(picks).filteredOn("n2"::equals).hasSize(100);
    assertThat(picks).filteredOn("n3"::equals).hasSize(100);
  }

  @Test
  @DisplayName("when the last chosen node is the highest id, the rotation wraps to the lowest")
  void wraps() {
    assertThat(next("z")).isEqualTo("z");
    assertThat(next("a", "m", "z")).isEqualTo("a");
  }
}
