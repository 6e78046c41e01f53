package io.mastermind.gateway.security;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("AuthFailureTracker: 10 failed authentications in a minute slow an address down, on a fake clock")
class AuthFailureTrackerTest {

  private static final long MS = 1_000_000L;
  private static final long MINUTE = 60_000 * MS;

  private final AuthFailureTracker tracker = new AuthFailureTracker(10, MINUTE, 1_000 * MS);

  @Test
  @DisplayName("nine failures change nothing; the tenth slows the address and says so once")
  void threshold() {
    long t = 5 * MINUTE;
    for (int i = 0; i < 9; i++) {
      assertThat(tracker.failed("10.0.0.9", t + i * MS)).isFalse();
      assertThat(tracker.admit("10.0.0.9", t + i * MS)).isZero();
    }
    assertThat(tracker.failed("10.0.0.9", t + 9 * MS)).isTrue();
    assertThat(tracker.failed("10.0.0.9", t + 10 * MS)).isFalse(); // already slowed: no second alert
    assertThat(tracker.failures("10.0.0.9", t + 10 * MS)).isEqualTo(10);
    assertThat(tracker.admit("10.0.0.9", t + 11 * MS)).isPositive();
    assertThat(tracker.admit("10.0.0.1", t + 11 * MS)).as("another address").isZero();
  }

  @Test
  @DisplayName("a slowed address gets one attempt per delay, and is refused in between")
  void oneAttemptPerDelay() {
    long t = 0;
    for (int i = 0; i < 10; i++) {
      tracker.failed("a", t);
    }
    assertThat(tracker.admit("a", t + 500 * MS)).isEqualTo(500 * MS);
    assertThat(tracker.admit("a", t + 1_000 * MS)).isZero();
    assertThat(tracker.admit("a", t + 1_001 * MS)).isPositive();
    assertThat(tracker.admit("a", t + 2_000 * MS)).isZero();
  }

  @Test
  @DisplayName("failures spread over more than the window never slow; an address that stops failing recovers after one window")
  void window() {
    for (int i = 0; i < 30; i++) {
      assertThat(tracker.failed("slow", i * 7_000 * MS)).isFalse();
    }
    long t = 10 * MINUTE;
    for (int i = 0; i < 10; i++) {
      tracker.failed("b", t);
    }
    assertThat(tracker.admit("b", t + 10 * MS)).isPositive();
    assertThat(tracker.admit("b", t + MINUTE)).isZero();
    assertThat(tracker.admit("b", t + MINUTE + 10 * MS)).isZero();
  }

  @Test
  @DisplayName("at most maxAddresses are remembered")
  void bounded() {
    AuthFailureTracker small = new AuthFailureTracker(2, MINUTE, MS, 2);
    small.failed("a", 0);
    small.failed("b", 0);
    small.failed("c", 0);
    assertThat(small.failures("a", 0)).isZero();
    assertThat(small.failures("c", 0)).isEqualTo(1);
  }
}
