package io.mastermind.scheduler;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("RetryBackoff doubles the delay from the base up to the cap")
class RetryBackoffTest {

  private final RetryBackoff backoff = RetryBackoff.DEFAULT;

  @Test
  @DisplayName("the default backoff is 200, 400, 800 ... ms")
  void doubles() {
    assertThat(backoff.delayMs(1)).isEqualTo(200);
    assertThat(backoff.delayMs(2)).isEqualTo(400);
    assertThat(backoff.delayMs(3)).isEqualTo(800);
    assertThat(backoff.delayMs(4)).isEqualTo(1_600);
    assertThat(backoff.delayMs(8)).isEqualTo(25_600);
  }

  @Test
  @DisplayName("the delay is capped at the maximum")
  void capped() {
    assertThat(backoff.delayMs(9)).isEqualTo(30_000);
    assertThat(backoff.delayMs(10)).isEqualTo(30_000);
    assertThat(new RetryBackoff(100, 1_000).delayMs(4)).isEqualTo(800);
    assertThat(new RetryBackoff(100, 1_000).delayMs(5)).isEqualTo(1_000);
  }

  @Test
  @DisplayName("huge retry numbers do not overflow into a short or negative delay")
  void noOverflow() {
    assertThat(backoff.delayMs(63)).isEqualTo(30_000);
    assertThat(backoff.delayMs(64)).isEqualTo(30_000);
    assertThat(backoff.delayMs(65)).isEqualTo(30_000);
    assertThat(backoff.delayMs(1_000)).isEqualTo(30_000);
    assertThat(backoff.delayMs(Integer.MAX_VALUE)).isEqualTo(30_000);
    RetryBackoff uncapped = new RetryBackoff(200, Long.MAX_VALUE);
    assertThat(uncapped.delayMs(Integer.MAX_VALUE)).isPositive().isGreaterThanOrEqualTo(uncapped.delayMs(41));
  }

  @Test
  @DisplayName("retry 0 or below counts as the first retry")
  void zeroOrNegativeRetry() {
    assertThat(backoff.delayMs(0)).isEqualTo(200);
    assertThat(backoff.delayMs(-5)).isEqualTo(200);
    assertThat(backoff.delayMs(Integer.MIN_VALUE)).isEqualTo(200);
  }

  @Test
  @DisplayName("a zero base gives no delay at all")
  void zeroBase() {
    RetryBackoff none = new RetryBackoff(0, 0);
    assertThat(none.delayMs(1)).isZero();
    assertThat(none.delayMs(50)).isZero();
  }

  @Test
  @DisplayName("a negative base or a max below the base is rejected")
  void rejectsBadBounds() {
    assertThatThrownBy(() -> new RetryBackoff(-1, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryBackoff(100, 99)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a large base never wraps around to a shorter delay")
  void largeBaseDoesNotWrap() {
    RetryBackoff big = new RetryBackoff(1L << 24, Long.MAX_VALUE);
    for (int retry = 1; retry < 100; retry++) {
      assertThat(big.delayMs(retry + 1)).as("retry %d", retry + 1).isGreaterThanOrEqualTo(big.delayMs(retry));
    }
  }
}
