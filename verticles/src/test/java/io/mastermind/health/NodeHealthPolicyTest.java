package io.mastermind.health;

import io.mastermind.health.NodeHealthPolicy.Health;
import io.mastermind.health.NodeHealthPolicy.Transition;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

@DisplayName("NodeHealthPolicy turns heartbeats into HEALTHY, SUSPECT and FAILED with the product's healthCheck defaults")
class NodeHealthPolicyTest {

  private static final String NODE = "worker-1";
  private static final long STEP = 100;

  private final NodeHealthPolicy policy = NodeHealthPolicy.withDefaults();
  private final List<Transition> reported = new ArrayList<>();
  private long now;

  /** Advances the clock to {@code until} in evaluate steps of 100 ms, heartbeating every {@code beatMs} if > 0. */
  private void run(long until, long beatMs) {
    while (now < until) {
      now += STEP;
      if (beatMs > 0 && now % beatMs == 0) {
        policy.heartbeat(NODE, now);
      }
      reported.addAll(policy.evaluate(now));
    }
  }

  /** 60 s of regular heartbeats from t = 0. */
  private void healthyMinute() {
    policy.heartbeat(NODE, 0);
    reported.addAll(policy.evaluate(0));
    run(60_000, 1_000);
  }

  @Test
  @DisplayName("the defaults are interval 1000 ms, timeout 3000 ms, 3 retries, suspect at phi 3.0, probe every 1000 ms")
  void defaults() {
    assertThat(NodeHealthPolicy.DEFAULT_SUSPECT_PHI).isEqualTo(3.0);
    assertThat(policy.intervalMs()).isEqualTo(1_000);
    assertThat(policy.timeoutMs()).isEqualTo(3_000);
    assertThat(policy.retries()).isEqualTo(3);
    assertThat(policy.suspectPhi()).isEqualTo(3.0);
    assertThat(policy.probeIntervalMs()).isEqualTo(1_000);
  }

  @Test
  @DisplayName("a node is unknown until its first heartbeat, then HEALTHY without a transition")
  void knownFromFirstHeartbeat() {
    assertThat(policy.health(NODE)).isNull();
    assertThat(policy.nodes()).isEmpty();
    assertThat(policy.phi(NODE, 10_000)).isZero();
    assertThat(policy.evaluate(10_000)).isEmpty();

    policy.heartbeat(NODE, 10_000);
    assertThat(policy.health(NODE)).isEqualTo(Health.HEALTHY);
    assertThat(policy.nodes()).containsExactly(NODE);
    assertThat(policy.lastHeartbeat(NODE)).hasValue(10_000);
    assertThat(policy.evaluate(10_000)).isEmpty();
  }

  @Test
  @DisplayName("a node heartbeating every 1000 ms stays HEALTHY over 60 s of simulated time")
  void staysHealthy() {
    healthyMinute();
    assertThat(reported).isEmpty();
    assertThat(policy.health(NODE)).isEqualTo(Health.HEALTHY);
    assertThat(policy.phi(NODE, now)).isLessThan(0.01);
  }

  @Test
  @DisplayName("a silent node is SUSPECT within 2000 ms and FAILED at 3000 ms, each reported exactly once")
  void silenceSuspectThenFailed() {
    healthyMinute();
    long last = now;

    run(last + 10_000, 0);

    assertThat(reported).extracting(Transition::from, Transition::to)
        .containsExactly(tuple(Health.HEALTHY, Health.SUSPECT),
            tuple(Health.SUSPECT, Health.FAILED));
    Transition suspect = reported.get(0);
    Transition failed = reported.get(1);
    assertThat(suspect.nodeId()).isEqualTo(NODE);
    assertThat(suspect.silentMs()).isBetween(1_000L, 2_000L);
    assertThat(suspect.phi()).isGreaterThanOrEqualTo(3.0);
    assertThat(failed.silentMs()).isBetween(3_000L, 3_000L + STEP);
    assertThat(policy.health(NODE)).isEqualTo(Health.FAILED);
  }

  @Test
  @DisplayName("with the defaults the node is suspected at 1800 ms of silence, the first 100 ms step past phi 3")
  void suspectTiming() {
    healthyMinute();
    long last = now;
    run(last + 1_700, 0);
    assertThat(reported).isEmpty();
    run(last + 1_800, 0);
    assertThat(reported).singleElement().extracting(Transition::to, Transition::silentMs)
        .containsExactly(Health.SUSPECT, 1_800L);
  }

  @Test
  @DisplayName("a heartbeat while SUSPECT gives SUSPECT -> HEALTHY")
  void suspectRecovers() {
    healthyMinute();
    long last = now;
    run(last + 2_000, 0);
    assertThat(policy.health(NODE)).isEqualTo(Health.SUSPECT);
    reported.clear();

    policy.heartbeat(NODE, now);
    List<Transition> transitions = policy.evaluate(now);

    assertThat(transitions).singleElement().satisfies(t -> {
      assertThat(t.from()).isEqualTo(Health.SUSPECT);
      assertThat(t.to()).isEqualTo(Health.HEALTHY);
      assertThat(t.phi()).isLessThan(3.0);
      assertThat(t.silentMs()).isZero();
    });
    assertThat(policy.evaluate(now + STEP)).isEmpty();
    assertThat(policy.health(NODE)).isEqualTo(Health.HEALTHY);
  }

  @Test
  @DisplayName("a heartbeat after FAILED gives FAILED -> HEALTHY (restored), and regular beats keep it HEALTHY")
  void failedRestores() {
    healthyMinute();
    run(now + 30_000, 0);
    assertThat(policy.health(NODE)).isEqualTo(Health.FAILED);
    assertThat(policy.evaluate(now)).isEmpty();
    reported.clear();

    policy.heartbeat(NODE, now);
    List<Transition> transitions = policy.evaluate(now);
    assertThat(transitions).singleElement().satisfies(t -> {
      assertThat(t.from()).isEqualTo(Health.FAILED);
      assertThat(t.to()).isEqualTo(Health.HEALTHY);
    });

    // The 30 s outage did not enter the window: the detector is as sharp as before.
    run(now + 20_000, 1_000);
    assertThat(reported).isEmpty();
    long last = now;
    run(last + 2_000, 0);
    assertThat(reported).singleElement().extracting(Transition::to).isEqualTo(Health.SUSPECT);
  }

  @Test
  @DisplayName("FAILED stays FAILED, with nothing reported, until a heartbeat arrives")
  void failedStaysFailed() {
    healthyMinute();
    run(now + 4_000, 0);
    int count = reported.size();
    run(now + 120_000, 0);
    assertThat(reported).hasSize(count);
    assertThat(policy.health(NODE)).isEqualTo(Health.FAILED);
    assertThat(policy.phi(NODE, now)).isFinite();
  }

  @Test
  @DisplayName("a node whose silence already reached the timeout at the first evaluate goes HEALTHY -> FAILED directly")
  void straightToFailed() {
    policy.heartbeat(NODE, 0);
    List<Transition> transitions = policy.evaluate(5_000);
    assertThat(transitions).singleElement().satisfies(t -> {
      assertThat(t.from()).isEqualTo(Health.HEALTHY);
      assertThat(t.to()).isEqualTo(Health.FAILED);
      assertThat(t.silentMs()).isEqualTo(5_000);
    });
  }

  @Test
  @DisplayName("markFailed makes the node FAILED at once and the next evaluate reports it once")
  void markFailed() {
    healthyMinute();
    policy.markFailed(NODE, now);
    assertThat(policy.health(NODE)).isEqualTo(Health.FAILED);

    List<Transition> transitions = policy.evaluate(now);
    assertThat(transitions).singleElement().satisfies(t -> {
      assertThat(t.from()).isEqualTo(Health.HEALTHY);
      assertThat(t.to()).isEqualTo(Health.FAILED);
      assertThat(t.silentMs()).isZero();
    });
    assertThat(policy.evaluate(now + STEP)).isEmpty();

    policy.markFailed(NODE, now);
    assertThat(policy.evaluate(now + STEP)).isEmpty();
    policy.markFailed("unknown", now);
    assertThat(policy.evaluate(now + STEP)).isEmpty();
    assertThat(policy.health("unknown")).isNull();
  }

  @Test
  @DisplayName("markFailed while SUSPECT reports SUSPECT -> FAILED")
  void markFailedWhileSuspect() {
    healthyMinute();
    run(now + 2_000, 0);
    assertThat(policy.health(NODE)).isEqualTo(Health.SUSPECT);

    policy.markFailed(NODE, now);
    assertThat(policy.evaluate(now)).extracting(Transition::from, Transition::to)
        .containsExactly(tuple(Health.SUSPECT, Health.FAILED));
  }

  @Test
  @DisplayName("markFailed then a heartbeat before the next evaluate reports both changes, in order")
  void markFailedThenHeartbeat() {
    healthyMinute();
    policy.markFailed(NODE, now);
    policy.heartbeat(NODE, now + 10);
    assertThat(policy.evaluate(now + 20)).extracting(Transition::from, Transition::to)
        .containsExactly(tuple(Health.HEALTHY, Health.FAILED),
            tuple(Health.FAILED, Health.HEALTHY));
  }

  @Test
  @DisplayName("markFailed again after a not yet reported heartbeat cancels the restore")
  void markFailedCancelsRestore() {
    healthyMinute();
    policy.markFailed(NODE, now);
    policy.heartbeat(NODE, now + 10);
    policy.markFailed(NODE, now + 15);
    assertThat(policy.evaluate(now + 20)).extracting(Transition::to).containsExactly(Health.FAILED);
    assertThat(policy.health(NODE)).isEqualTo(Health.FAILED);
  }

  @Test
  @DisplayName("forget drops a node, its pending transitions and its history; a later heartbeat starts it afresh")
  void forget() {
    healthyMinute();
    policy.markFailed(NODE, now);
    policy.forget(NODE);

    assertThat(policy.health(NODE)).isNull();
    assertThat(policy.nodes()).isEmpty();
    assertThat(policy.lastHeartbeat(NODE)).isEmpty();
    assertThat(policy.evaluate(now)).isEmpty();
    assertThat(policy.evaluate(now + 60_000)).isEmpty();

    policy.heartbeat(NODE, now + 60_000);
    assertThat(policy.health(NODE)).isEqualTo(Health.HEALTHY);
    assertThat(policy.evaluate(now + 60_000)).isEmpty();
    policy.forget("never-seen");
  }

  @Test
  @DisplayName("nodes are tracked independently")
  void independentNodes() {
    for (long t = 0; t <= 10_000; t += STEP) {
      if (t % 1_000 == 0) {
        policy.heartbeat("a", t);
        if (t <= 5_000) {
          policy.heartbeat("b", t);
        }
      }
      reported.addAll(policy.evaluate(t));
    }
    assertThat(reported).allSatisfy(t -> assertThat(t.nodeId()).isEqualTo("b"));
    assertThat(reported).extracting(Transition::to).containsExactly(Health.SUSPECT, Health.FAILED);
    assertThat(policy.health("a")).isEqualTo(Health.HEALTHY);
    assertThat(policy.nodes()).containsExactly("a", "b");
  }

  @Test
  @DisplayName("probes are never due while HEALTHY or FAILED, and due every timeout / retries ms while SUSPECT")
  void probeCadence() {
    policy.heartbeat(NODE, 0);
    List<Long> probes = new ArrayList<>();
    for (now = 0; now <= 60_000; now += STEP) {
      if (now % 1_000 == 0) {
        policy.heartbeat(NODE, now);
      }
      policy.evaluate(now);
      assertThat(policy.probeDue(NODE, now)).as("healthy at %d", now).isFalse();
    }
    long last = 60_000;
    for (now = last + STEP; now <= last + 10_000; now += STEP) {
      policy.evaluate(now);
      if (policy.probeDue(NODE, now)) {
        assertThat(policy.health(NODE)).isEqualTo(Health.SUSPECT);
        probes.add(now - last);
        policy.probed(NODE, now);
        assertThat(policy.probeDue(NODE, now)).isFalse();
      }
    }
    // suspected at 1800 ms, probed at once and again 1000 ms later; FAILED at 3000 ms stops the probes
    assertThat(probes).containsExactly(1_800L, 2_800L);
    assertThat(policy.health(NODE)).isEqualTo(Health.FAILED);
    assertThat(policy.probeDue("unknown", now)).isFalse();
  }

  @Test
  @DisplayName("a probe is due again without a probed call, and a new suspicion starts a new probe round")
  void probeRounds() {
    healthyMinute();
    long last = now;
    run(last + 1_800, 0);
    assertThat(policy.probeDue(NODE, now)).isTrue();
    assertThat(policy.probeDue(NODE, now + 500)).isTrue();
    policy.probed(NODE, now);
    assertThat(policy.probeDue(NODE, now + 999)).isFalse();
    assertThat(policy.probeDue(NODE, now + 1_000)).isTrue();

    policy.heartbeat(NODE, now + 100); // the probe was answered
    run(now + 100, 0);
    assertThat(policy.health(NODE)).isEqualTo(Health.HEALTHY);
    assertThat(policy.probeDue(NODE, now)).isFalse();

    last = now;
    run(last + 1_800, 0);
    assertThat(policy.health(NODE)).isEqualTo(Health.SUSPECT);
    assertThat(policy.probeDue(NODE, now)).isTrue();
  }

  @Test
  @DisplayName("the probe interval is timeout / retries, at least 1 ms")
  void probeInterval() {
    assertThat(new NodeHealthPolicy(1_000, 5_000, 2, 3.0).probeIntervalMs()).isEqualTo(2_500);
    assertThat(new NodeHealthPolicy(1, 2, 10, 3.0).probeIntervalMs()).isEqualTo(1);
  }

  @Test
  @DisplayName("the constructor rejects a bad interval, a timeout below the interval, no retries and a bad phi")
  void constructorValidation() {
    assertThatThrownBy(() -> new NodeHealthPolicy(0, 3_000, 3, 3.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("intervalMs must be > 0");
    assertThatThrownBy(() -> new NodeHealthPolicy(-1, 3_000, 3, 3.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("intervalMs must be > 0");
    assertThatThrownBy(() -> new NodeHealthPolicy(1_000, 999, 3, 3.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("timeoutMs must be >= intervalMs");
    assertThatThrownBy(() -> new NodeHealthPolicy(1_000, 3_000, 0, 3.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("retries must be > 0");
    for (double phi : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> new NodeHealthPolicy(1_000, 3_000, 3, phi)).as("phi %s", phi)
          .isInstanceOf(IllegalArgumentException.class).hasMessage("suspectPhi must be a finite number > 0");
    }
    assertThat(new NodeHealthPolicy(1_000, 1_000, 1, 0.5).timeoutMs()).isEqualTo(1_000);
    assertThatThrownBy(() -> policy.heartbeat(null, 0)).isInstanceOf(NullPointerException.class);
  }
}
