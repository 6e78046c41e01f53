package io.mastermind.balancer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mastermind.balancer.Nodes.echo;
import static io.mastermind.balancer.Nodes.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@DisplayName("BestFitStrategy picks the node the request fills most tightly")
class BestFitStrategyTest {

  private final BestFitStrategy strategy = new BestFitStrategy();

  @Test
  @DisplayName("its config name is best-fit")
  void name() {
    assertThat(strategy.name()).isEqualTo("best-fit");
  }

  @Test
  @DisplayName("left-over is the sum of the free fractions of cpu and memory after placement")
  void leftOver() {
    NodeSnapshot n = node("a").capacity(4, 1000, 0).free(2, 800, 0).build();

    assertThat(BestFitStrategy.leftOver(n, echo(1, 300))).isCloseTo(0.25 + 0.5, within(1e-12));
    assertThat(BestFitStrategy.leftOver(n, echo(2, 100))).isCloseTo(0.0 + 0.7, within(1e-12));
    assertThat(BestFitStrategy.leftOver(node("b").capacity(4, 0, 0).free(3, 0, 0).build(), echo(1, 0)))
      .isCloseTo(0.5, within(1e-12));
  }

  @Test
  @DisplayName("the node left with the least after taking the task wins")
  void tightest() {
    NodeSnapshot roomy = node("a").capacity(16, 16_384, 0).build();
    NodeSnapshot snug = node("b").capacity(4, 4_096, 0).free(2, 2_048, 0).build();
    NodeSnapshot half = node("c").capacity(8, 8_192, 0).free(4, 4_096, 0).build();

    assertThat(strategy.choose(List.of(roomy, snug, half), echo(2, 2_048)).nodeId()).isEqualTo("b");
    assertThat(strategy.choose(List.of(half, roomy), echo(2, 2_048)).nodeId()).isEqualTo("c");
  }

  @Test
  @DisplayName("nodes without memory capacity are compared on cpu alone")
  void cpuOnlyNodes() {
    NodeSnapshot big = node("a").capacity(16, 0, 0).build();
    NodeSnapshot small = node("b").capacity(2, 0, 0).build();
    NodeSnapshot busy = node("c").capacity(8, 0, 0).free(1.5, 0, 0).build();

    assertThat(strategy.choose(List.of(big, small, busy), echo(1, 0)).nodeId()).isEqualTo("c");
  }

  @Test
  @DisplayName("equal left-over goes to the lowest id")
  void tieByLowestId() {
    NodeSnapshot z = node("z").capacity(4, 4096, 0).free(2, 2048, 0).build();
    NodeSnapshot y = node("y").capacity(4, 4096, 0).free(2, 2048, 0).build();

    assertThat(strategy.choose(List.of(z, y), echo(1, 1024)).nodeId()).isEqualTo("y");
  }

  @Test
  @DisplayName("a cpu-only request goes to the node it fills, not the roomier one with a lower id")
  void cpuOnlyRequestOnNodesWithMemory() {
    NodeSnapshot roomy = node("a").capacity(8, 8192, 0).build();                     // 8 cpu left -> 7 after
    NodeSnapshot snug = node("b").capacity(4, 8192, 0).free(1, 8192, 0).build();     // 1 cpu left -> 0 after

    assertThat(strategy.choose(List.of(roomy, snug), echo(1, 0)).nodeId()).isEqualTo("b");
  }
}
