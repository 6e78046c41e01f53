package io.mastermind.security;

import io.mastermind.security.ReplayWindow.Check;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("ReplayWindow refuses stale messages and a nonce seen within the window")
class ReplayWindowTest {

  private static final long SKEW = 30_000;

  @Test
  @DisplayName("a timestamp further than the skew from now, either way, is stale")
  void stale() {
    ReplayWindow window = new ReplayWindow(SKEW, 1_000_000);
    assertThat(window.accept(1, 1_000_000 - SKEW, 1_000_000)).isEqualTo(Check.FRESH);
    assertThat(window.accept(2, 1_000_000 + SKEW, 1_000_000)).isEqualTo(Check.FRESH);
    assertThat(window.accept(3, 1_000_000 - SKEW - 1, 1_000_000)).isEqualTo(Check.STALE);
    assertThat(window.accept(4, 1_000_000 + SKEW + 1, 1_000_000)).isEqualTo(Check.STALE);
    assertThat(window.size()).as("stale nonces are not remembered").isEqualTo(2);
  }

  @Test
  @DisplayName("the same nonce is refused as long as its timestamp could still pass, including across a rotation")
  void replayed() {
    long t0 = 1_000_000;
    ReplayWindow window = new ReplayWindow(SKEW, t0);
    long ts = t0 + SKEW; // stamped as far ahead as allowed: passes freshness until t0 + 2 × skew
    assertThat(window.accept(42, ts, t0)).isEqualTo(Check.FRESH);
    assertThat(window.accept(42, ts, t0 + 1)).isEqualTo(Check.REPLAYED);
    assertThat(window.accept(7, t0 + 2 * SKEW, t0 + 2 * SKEW)).as("rotates here").isEqualTo(Check.FRESH);
    assertThat(window.accept(42, ts, t0 + 2 * SKEW)).isEqualTo(Check.REPLAYED);
    assertThat(window.accept(42, ts, t0 + 2 * SKEW + 1)).as("past its freshness").isEqualTo(Check.STALE);
  }

  @Test
  @DisplayName("a long quiet spell forgets both generations; zero is a nonce like any other")
  void quietSpellAndZero() {
    ReplayWindow window = new ReplayWindow(SKEW, 0);
    assertThat(window.accept(0, 0, 0)).isEqualTo(Check.FRESH);
    assertThat(window.accept(0, 0, 1)).isEqualTo(Check.REPLAYED);
    assertThat(window.accept(5, 10 * SKEW, 10 * SKEW)).isEqualTo(Check.FRESH);
    assertThat(window.size()).isEqualTo(1);
  }

  @Test
  @DisplayName("thousands of random nonces: each accepted once, refused after, the set grows and clears")
  void manyNonces() {
    ReplayWindow window = new ReplayWindow(SKEW, 0);
    Random random = new Random(7);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 50_000; i++) {
      long nonce = random.nextInt(60_000) - 30_000L;
      Check check = window.accept(nonce, 0, 0);
      assertThat(check).isEqualTo(seen.add(nonce) ? Check.FRESH : Check.REPLAYED);
    }
    assertThat(window.size()).isEqualTo(seen.size());
    window.accept(1, 4 * SKEW, 4 * SKEW); // long after: both generations forgotten
    window.accept(2, 6 * SKEW, 6 * SKEW); // one rotation: the previous generation is kept
    assertThat(window.size()).isEqualTo(2);
  }
}
