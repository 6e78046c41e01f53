package io.mastermind.resources;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Resources is an amount of cpu, memory and gpus that never goes negative")
class ResourcesTest {

  @Test
  @DisplayName("covers compares every dimension")
  void covers() {
    Resources node = new Resources(4, 8192, 1);

    assertThat(node.covers(new Resources(4, 8192, 1))).isTrue();
    assertThat(node.covers(Resources.ZERO)).isTrue();
    assertThat(node.covers(new Resources(4.5, 0, 0))).isFalse();
    assertThat(node.covers(new Resources(1, 8193, 0))).isFalse();
    assertThat(node.covers(new Resources(1, 0, 2))).isFalse();
  }

  @Test
  @DisplayName("covers forgives floating point dust in cpu sums")
  void coversWithEpsilon() {
    assertThat(new Resources(0.3, 0, 0).covers(new Resources(0.1 + 0.2, 0, 0))).isTrue();
    assertThat(new Resources(0.3, 0, 0).covers(new Resources(0.3 + 1e-6, 0, 0))).isFalse();
  }

  @Test
  @DisplayName("plus adds and minus subtracts without going below zero")
  void plusAndMinus() {
    Resources a = new Resources(2.5, 1024, 1);
    Resources b = new Resources(1, 2048, 2);

    assertThat(a.plus(b)).isEqualTo(new Resources(3.5, 3072, 3));
    assertThat(a.minus(b)).isEqualTo(new Resources(1.5, 0, 0));
    assertThat(b.minus(a)).isEqualTo(new Resources(0, 1024, 1));
  }

  @Test
  @DisplayName("negative amounts are rejected")
  void rejectsNegative() {
    assertThatThrownBy(() -> new Resources(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Resources(0, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Resources(0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
