package io.mastermind.balancer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;

import static io.mastermind.balancer.Nodes.echo;
import static io.mastermind.balancer.Nodes.loaded;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("PowerOfTwoChoicesStrategy samples two distinct candidates and takes the less loaded")
class PowerOfTwoChoicesStrategyTest {

  /** Returns scripted values from nextInt(bound) and fails on any other use. */
  private static RandomGenerator scripted(int... values) {
    Deque<Integer> queue = new ArrayDeque<>();
    for (int v : values) {
      queue.add(v);
    }
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new AssertionError("unexpected nextLong()");
      }

      @Override
      public int nextInt(int bound) {
        int v = queue.removeFirst();
        assertThat(v).isBetween(0, bound - 1);
        return v;
      }
    };
  }

  @Test
  @DisplayName("its config name is power-of-two")
  void name() {
    assertThat(new PowerOfTwoChoicesStrategy(new Random(1)).name()).isEqualTo("power-of-two");
    assertThat(new PowerOfTwoChoicesStrategy().name()).isEqualTo("power-of-two");
  }

  @Test
  @DisplayName("a single candidate is returned without drawing a random number")
  void single() {
    PowerOfTwoChoicesStrategy strategy = new PowerOfTwoChoicesStrategy(scripted());

    assertThat(strategy.choose(List.of(loaded("only", 3, 3)), echo(1, 0)).nodeId()).isEqualTo("only");
  }

  @Test
  @DisplayName("with two candidates it always picks the less loaded one")
  void twoCandidates() {
    PowerOfTwoChoicesStrategy strategy = new PowerOfTwoChoicesStrategy(new Random(42));
    NodeSnapshot busy = loaded("a", 3, 3);
    NodeSnapshot light = loaded("b", 1, 1);

    for (int i = 0; i < 500; i++) {
      assertThat(strategy.choose(List.of(busy, light), echo(1, 0)).nodeId()).isEqualTo("b");
      assertThat(strategy.choose(List.of(light, busy), echo(1, 0)).nodeId()).isEqualTo("b");
    }
  }

  @Test
  @DisplayName("with equally loaded candidates the tie-break of least-loaded applies")
  void tieBreak() {
    PowerOfTwoChoicesStrategy strategy = new PowerOfTwoChoicesStrategy(new Random(7));
    for (int i = 0; i < 200; i++) {
      assertThat(strategy.choose(List.of(loaded("b", 2, 1), loaded("a", 2, 1)), echo(1, 0)).nodeId()).isEqualTo("a");
      assertThat(strategy.choose(List.of(loaded("a", 2, 2), loaded("b", 2, 1)), echo(1, 0)).nodeId()).isEqualTo("b");
    }
  }

  @Test
  @DisplayName("the two samples are distinct: the same index is never compared with itself")
  void distinctSamples() {
    NodeSnapshot heavy = loaded("a", 3.5, 0);
    NodeSnapshot light = loaded("b", 0.5, 0);
    NodeSnapshot medium = loaded("c", 2, 0);
    List<NodeSnapshot> nodes = List.of(heavy, light, medium);

    // first = 0, second draw 0 of the 2 remaining -> index 1
    assertThat(new PowerOfTwoChoicesStrategy(scripted(0, 0)).choose(nodes, echo(1, 0)).nodeId()).isEqualTo("b");
    // first = 0, second draw 1 -> index 2
    assertThat(new PowerOfTwoChoicesStrategy(scripted(0, 1)).choose(nodes, echo(1, 0)).nodeId()).isEqualTo("c");
    // first = 2, second draw 0 -> index 0
    assertThat(new PowerOfTwoChoicesStrategy(scripted(2, 0)).choose(nodes, echo(1, 0)).nodeId()).isEqualTo("c");
    // first = 1, second draw 1 -> index 2
    assertThat(new PowerOfTwoChoicesStrategy(scripted(1, 1)).choose(nodes, echo(1, 0)).nodeId()).isEqualTo("b");
  }

  @Test
  @DisplayName("with three or more candidates it always picks a candidate, never the most loaded")
  void neverMostLoaded() {
    PowerOfTwoChoicesStrategy strategy = new PowerOfTwoChoicesStrategy(new Random(2024));
    List<NodeSnapshot> nodes = List.of(loaded("a", 1, 0), loaded("b", 3.5, 0), loaded("c", 2, 0), loaded("d", 0.5, 0),
      loaded("e", 2.5, 0));
    Map<String, Integer> counts = new HashMap<>();

    for (int i = 0; i < 5_000; i++) {
      NodeSnapshot chosen = strategy.choose(nodes, echo(1, 0));
      assertThat(nodes).contains(chosen);
      counts.merge(chosen.nodeId(), 1, Integer::sum);
    }

    assertThat(counts).doesNotContainKey("b");
    // the k-th least loaded wins the pairs with the n-k more loaded ones: 4, 3, 2, 1 and 0 of 10 pairs
    assertThat(counts.get("d")).isGreaterThan(counts.get("a"));
    assertThat(counts.get("a")).isGreaterThan(counts.get("c"));
    assertThat(counts.get("c")).isGreaterThan(counts.get("e"));
    assertThat(counts.get("e")).isPositive();
  }
}
