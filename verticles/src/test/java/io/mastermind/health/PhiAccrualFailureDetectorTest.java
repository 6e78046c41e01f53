package io.mastermind.health;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

@DisplayName("PhiAccrualFailureDetector grows suspicion with silence, relative to how regular the heartbeats were")
class PhiAccrualFailureDetectorTest {

  private static final String NODE = "node-1";

  /** Akka's formula, literally, to compare against. */
  private static double akkaPhi(double t, double mean, double stdDev) {
    double y = (t - mean) / stdDev;
    double e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
    return t > mean ? -Math.log10(e / (1.0 + e)) : -Math.log10(1.0 - 1.0 / (1.0 + e));
  }

  /** Heartbeats every {@code intervalMs} from 0; returns the time of the last one. */
  private static long beatRegularly(PhiAccrualFailureDetector detector, int beats, long intervalMs) {
    long now = 0;
    for (int i = 0; i < beats; i++) {
      now = i * intervalMs;
      detector.heartbeat(NODE, now);
    }
    return now;
  }

  @Test
  @DisplayName("an unknown node has phi 0, no last heartbeat and is not listed")
  void unknownNode() {
    PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(100, 100, 1_000);
    assertThat(detector.phi("nobody", 5_000)).isZero();
    assertThat(detector.lastHeartbeat("nobody")).isEmpty();
    assertThat(detector.stats("nobody")).isEmpty();
    assertThat(detector.nodes()).isEmpty();
  }

  @Test
  @DisplayName("phi is about 0 right after a heartbeat")
  void zeroRightAfterHeartbeat() {
    PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(100, 100, 1_000);
    detector.heartbeat(NODE, 10_000);
    assertThat(detector.phi(NODE, 10_000)).isBetween(0.0, 0.01);
    long last = beatRegularly(detector, 50, 1_000);
    assertThat(detector.phi(NODE, last)).isBetween(0.0, 0.01);
  }

  @Test
  @DisplayName("before a second heartbeat the window is bootstrapped with mean = estimate and stddev = estimate / 4")
  void bootstrap() {
    PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(100, 1, 2_000);
    detector.heartbeat(NODE, 0);

    PhiAccrualFailureDetector.Stats stats = detector.stats(NODE).orElseThrow();
    assertThat(stats.samples()).isEqualTo(2);
    assertThat(stats.meanMs()).isEqualTo(2_000.0);
    assertThat(stats.stdDevMs()).isEqualTo(500.0);
    assertThat(detector.lastHeartbeat(NODE)).hasValue(0);
    for (long t = 0; t <= 5_000; t += 250) {
      assertThat(detector.phi(NODE, t)).as("t=%d", t).isCloseTo(akkaPhi(t, 2_000, 500), within(1e-9));
    }
  }

  @Test
  @DisplayName("phi grows monotonically with silence")
  void monotone() {
    PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(100, 100, 1_000);
    long last = beatRegularly(detector, 30, 1_000);
    double previous = -1;
    for (long silence = 0; silence <= 20_000; silence += 10) {
      double phi = detector.phi(NODE, last + silence);
      assertThat(phi).as("silence %d", silence).isGreaterThanOrEqualTo(previous);
      previous = phi;
    }
  }

  @Test
  @DisplayName("with regular 1000 ms heartbeats phi stays below 1 at 1000 ms of silence and exceeds 3 before 2000 ms")
  void regularHeartbeats() {
    PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(100, 250, 1_000);
    long last = beatRegularly(detector, 200, 1_000);

    assertThat(detector.phi(NODE, last + 1_000)).isLessThan(1.0);
    assertThat(detector.phi(NODE, last + 1_999)).isGreaterThan(3.0);
    assertThat(detector.phi(NODE, last + 1_800)).isGreaterThan(3.0);
    assertThat(detector.phi(NODE, last + 1_700)).isLessThan(3.0);
  }

  @Test
  @DisplayName("the window slides: old intervals leave it, so the mean follows a changed heartbeat rate")
  void windowSlides() {
    PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(10, 1, 1_000);
    long now = 0;
    detector.heartbeat(NODE, now);
    for (int i = 0; i < 20; i++) {
      now += 500;
      detector.heartbeat(NODE, now);
    }
    PhiAccrualFailureDetector.Stats stats = detector.stats(NODE).orElseThrow();
    assertThat(stats.samples()).isEqualTo(10);
    assertThat(stats.meanMs()).isEqualTo(500.0);
    assertThat(stats.stdDevMs()).isZero();
  }

  @Test
  @DisplayName("jittery heartbeats (800-1200 ms) give a larger stddev, so phi grows slower than with regular ones")
  void jitterSlowsSuspicion() {
    PhiAccrualFailureDetector regular = new PhiAccrualFailureDetector(100, 10, 1_000);
    PhiAccrualFailureDetector jittery = new PhiAccrualFailureDetector(100, 10, 1_000);
    long regularLast = 0;
    long jitteryLast = 0;
    Random random = new Random(42);
    regular.heartbeat(NODE, 0);
    jittery.heartbeat(NODE, 0);
    for (int i = 0; i < 200; i++) {
      regularLast += 1_000;
      regular.heartbeat(NODE, regularLast);
      jitteryLast += 800 + random.nextInt(401);
      jittery.heartbeat(NODE, jitteryLast);
    }

    PhiAccrualFailureDetector.Stats regularStats = regular.stats(NODE).orElseThrow();
    PhiAccrualFailureDetector.Stats jitteryStats = jittery.stats(NODE).orElseThrow();
    assertThat(regularStats.stdDevMs()).isZero();
    assertThat(jitteryStats.stdDevMs()).isBetween(80.0, 150.0); // uniform over 400 ms: ~115
    assertThat(jitteryStats.meanMs()).isBetween(950.0, 1_050.0);

    for (long silence = 1_100; silence <= 1_600; silence += 100) {
      double regularPhi = regular.phi(NODE, regularLast + silence);
      double jitteryPhi = jittery.phi(NODE, jitteryLast + silence);
      assertThat(jitteryPhi).as("silence %d", silence).isLessThan(regularPhi);
    }
    assertThat(jittery.phi(NODE, jitteryLast + 1_200)).isLessThan(3.0);
    assertThat(regular.phi(NODE, regularLast + 1_200)).isGreaterThan(3.0);
  }

  @Test
  @DisplayName("the stddev floor is honoured: perfectly regular beats are judged with minStdDevMs, not 0")
  void minStdDevFloor() {
    PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(100, 200, 1_000);
    long last = beatRegularly(detector, 300, 1_000);
    assertThat(detector.stats(NODE).orElseThrow().stdDevMs()).isZero();

    for (long silence = 0; silence <= 3_000; silence += 100) {
      assertThat(detector.phi(NODE, last + silence)).as("silence %d", silence)
          .isCloseTo(akkaPhi(silence, 1_000, 200), within(1e-9));
    }
    PhiAccrualFailureDetector tighter = new PhiAccrualFailureDetector(100, 50, 1_000);
    long tighterLast = beatRegularly(tighter, 300, 1_000);
    assertThat(tighter.phi(NODE, tighterLast + 1_200)).isGreaterThan(detector.phi(NODE, last + 1_200));
  }

  @Test
  @DisplayName("phi is never NaN or infinite, even after a very long silence; it is capped")
  void neverNanOrInfinite() {
    PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(100, 1, 1_000);
    long last = beatRegularly(detector, 200, 1_000);
    long[] silences = {0, 1, 1_500, 10_000, 100_000, 86_400_000L, Long.MAX_VALUE / 2, Long.MAX_VALUE - last};
    for (long silence : silences) {
      double phi = detector.phi(NODE, last + silence);
      assertThat(phi).as("silence %d", silence).isFinite().isBetween(0.0, PhiAccrualFailureDetector.MAX_PHI);
    }
    assertThat(detector.phi(NODE, Long.MAX_VALUE)).isEqualTo(PhiAccrualFailureDetector.MAX_PHI);
    assertThat(detector.phi(NODE, Long.MIN_VALUE)).isFinite().isZero();
  }

  @Test
  @DisplayName("the stable formula equals Akka's wherever Akka's is finite")
  void matchesAkka() {
    for (double t = 0; t <= 3_000; t += 7) {
      assertThat(PhiAccrualFailureDetector.phi(t, 1_000, 150)).as("t=%f", t)
          .isCloseTo(akkaPhi(t, 1_000, 150), within(1e-9));
    }
  }

  @Test
  @DisplayName("a duplicate heartbeat adds no sample; one from before the last only moves the last heartbeat back")
  void duplicateAndBackwards() {
    PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(100, 1, 1_000);
    detector.heartbeat(NODE, 1_000);
    detector.heartbeat(NODE, 2_000);
    detector.heartbeat(NODE, 2_000);
    assertThat(detector.stats(NODE).orElseThrow().samples()).isEqualTo(3);

    detector.heartbeat(NODE, 1_500);
    assertThat(detector.stats(NODE).orElseThrow().samples()).isEqualTo(3);
    assertThat(detector.lastHeartbeat(NODE)).hasValue(1_500);
  }

  @Test
  @DisplayName("remove forgets a node and its history; nodes lists nodes in order of first heartbeat")
  void removeAndNodes() {
    PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(100, 100, 1_000);
    detector.heartbeat("b", 0);
    detector.heartbeat("a", 0);
    detector.heartbeat("c", 0);
    assertThat(detector.nodes()).containsExactly("b", "a", "c");

    detector.remove("a");
    assertThat(detector.nodes()).containsExactly("b", "c");
    assertThat(detector.phi("a", 100_000)).isZero();
    assertThat(detector.lastHeartbeat("a")).isEmpty();
    assertThatThrownBy(() -> detector.nodes().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  @DisplayName("the constructor rejects a window below 2, and a zero or negative stddev floor or first estimate")
  void constructorValidation() {
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(1, 100, 1_000))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("windowSize must be >= 2");
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(100, 0, 1_000))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("minStdDevMs must be > 0");
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(100, 100, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("firstHeartbeatEstimateMs must be > 0");
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(100, 100, 1_000).heartbeat(null, 0))
        .isInstanceOf(NullPointerException.class);
  }
}
