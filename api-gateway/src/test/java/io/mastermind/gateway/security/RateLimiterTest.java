package io.mastermind.gateway.security;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("RateLimiter: a token bucket per key, on a fake clock")
class RateLimiterTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  @DisplayName("a key spends its burst at once, then waits 1/rate for each further request")
  void burstThenRate() {
    RateLimiter limiter = new RateLimiter(10, 5);
    long t = 1_000 * SECOND;
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.acquire("token:a", t)).isZero();
    }
    long wait = limiter.acquire("token:a", t);
    assertThat(wait).isBetween(SECOND / 10 - 10, SECOND / 10 + 10);
    assertThat(limiter.acquire("token:a", t + SECOND / 20)).isPositive();
    assertThat(limiter.acquire("token:a", t + SECOND / 10)).isZero();
    assertThat(limiter.acquire("token:a", t + SECOND / 10)).isPositive();
  }

  @Test
  @DisplayName("keys are independent, and an idle bucket refills to the burst, not beyond")
  void independentAndCapped() {
    RateLimiter limiter = new RateLimiter(1, 2);
    long t = 0;
    assertThat(limiter.acquire("a", t)).isZero();
    assertThat(limiter.acquire("a", t)).isZero();
    assertThat(limiter.acquire("a", t)).isPositive();
    assertThat(limiter.acquire("b", t)).isZero();
    long later = t + 3600 * SECOND;
    assertThat(limiter.acquire("a", later)).isZero();
    assertThat(limiter.acquire("a", later)).isZero();
    assertThat(limiter.acquire("a", later)).isPositive();
  }

  @Test
  @DisplayName("at most maxKeys buckets are kept, least recently used dropped first")
  void bounded() {
    RateLimiter limiter = new RateLimiter(1, 1, 3);
    for (int i = 0; i < 100; i++) {
      limiter.acquire("address:10.0.0." + i, 0);
    }
    assertThat(limiter.size()).isEqualTo(3);
  }

  @Test
  @DisplayName("a rate of 0 or a burst below 1 is refused")
  void refused() {
    assertThatThrownBy(() -> new RateLimiter(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateLimiter(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
