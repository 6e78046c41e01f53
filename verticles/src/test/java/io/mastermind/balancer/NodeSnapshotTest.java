package io.mastermind.balancer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static io.mastermind.balancer.Nodes.node;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("NodeSnapshot computes load and decides whether a request fits")
class NodeSnapshotTest {

  @Test
  @DisplayName("load is the busier of cpu and memory")
  void load() {
    assertThat(node("a").capacity(4, 1000, 0).free(1, 1000, 0).build().load()).isEqualTo(0.75);
    assertThat(node("a").capacity(4, 1000, 0).free(4, 100, 0).build().load()).isEqualTo(0.9);
    assertThat(node("a").capacity(4, 1000, 0).build().load()).isZero();
    assertThat(node("a").capacity(4, 0, 0).free(2, 0, 0).build().load()).isEqualTo(0.5);
    assertThat(node("a").capacity(0, 1000, 0).build().load()).isEqualTo(1.0);
  }

  @Test
  @DisplayName("serves matches a function's listed types or '*'")
  void serves() {
    NodeSnapshot n = node("a").function("primes", "compute").function("echo", "*").build();

    assertThat(n.serves("primes", "compute")).isTrue();
    assertThat(n.serves("primes", "io_bound")).isFalse();
    assertThat(n.serves("echo", "ml_training")).isTrue();
    assertThat(n.serves("sort", "compute")).isFalse();
  }

  @Test
  @DisplayName("couldHold looks at capacity, fits also at what is free now")
  void couldHoldAndFits() {
    NodeSnapshot n = node("a").capacity(4, 4096, 1).free(1, 1024, 0).build();

    assertThat(n.couldHold(Nodes.request("compute", "echo", 4, 4096, 1))).isTrue();
    assertThat(n.fits(Nodes.request("compute", "echo", 4, 4096, 1))).isFalse();
    assertThat(n.fits(Nodes.request("compute", "echo", 1, 1024, 0))).isTrue();
    assertThat(n.fits(Nodes.request("compute", "echo", 1, 1024, 1))).isFalse();
    assertThat(n.couldHold(Nodes.request("compute", "echo", 4.5, 0, 0))).isFalse();
    assertThat(n.couldHold(Nodes.request("gpu", "echo", 1, 0, 0))).isFalse();
    assertThat(n.couldHold(Nodes.request("compute", "other", 1, 0, 0))).isFalse();
  }
}
