package io.mastermind.health;

import io.mastermind.health.NodeHealthPolicy.Health;
import io.mastermind.health.NodeHealthPolicy.Transition;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Label("NodeHealthPolicy and PhiAccrualFailureDetector properties")
class NodeHealthPolicyPropertyTest {

  /** One step of a random scenario: a heartbeat, a markFailed or a forget of one of three nodes, then time passes. */
  record Op(int kind, int node, long advanceMs) {
  }

  @Provide
  Arbitrary<List<Op>> scenarios() {
    Arbitrary<Integer> kinds = Arbitraries.integers().between(0, 20); // mostly heartbeats
    Arbitrary<Integer> nodes = Arbitraries.integers().between(0, 2);
    Arbitrary<Long> advances = Arbitraries.longs().between(0, 4_000);
    return Combinators.combine(kinds, nodes, advances).as(Op::new).list().ofMaxSize(200);
  }

  @Property(tries = 300)
  @Label("reported transitions chain per node (each from is the previous to), never repeat a state, and end in health()")
  void transitionsChain(@ForAll("scenarios") List<Op> ops) {
    NodeHealthPolicy policy = NodeHealthPolicy.withDefaults();
    Map<String, Health> last = new HashMap<>();
    long now = 0;
    for (Op op : ops) {
      String node = "n" + op.node();
      if (op.kind() == 0) {
        policy.markFailed(node, now);
      } else if (op.kind() == 1) {
        policy.forget(node);
        last.remove(node);
      } else {
        policy.heartbeat(node, now);
        last.putIfAbsent(node, Health.HEALTHY);
      }
      for (long t = now + 100; t <= now + op.advanceMs(); t += 100) {
        check(policy.evaluate(t), last);
      }
      now += op.advanceMs();
      check(policy.evaluate(now), last);
      for (String known : policy.nodes()) {
        assertThat(policy.health(known)).isEqualTo(last.get(known));
        assertThat(policy.phi(known, now)).isFinite().isNotNegative();
      }
    }
  }

  private static void check(List<Transition> transitions, Map<String, Health> last) {
    for (Transition t : transitions) {
      assertThat(t.from()).isNotEqualTo(t.to());
      assertThat(last.get(t.nodeId())).as("from of %s", t).isEqualTo(t.from());
      assertThat(t.phi()).isFinite().isNotNegative();
      assertThat(t.silentMs()).isNotNegative();
      last.put(t.nodeId(), t.to());
    }
  }

  @Property(tries = 100)
  @Label("heartbeats every 800-1200 ms never make a node SUSPECT")
  void jitterStaysHealthy(@ForAll @Size(min = 1, max = 300) List<@IntRange(min = 800, max = 1_200) Integer> gaps) {
    NodeHealthPolicy policy = NodeHealthPolicy.withDefaults();
    long now = 0;
    policy.heartbeat("n", 0);
    List<Transition> reported = new ArrayList<>();
    for (int gap : gaps) {
      for (long t = now + 100; t < now + gap; t += 100) {
        reported.addAll(policy.evaluate(t));
      }
      now += gap;
      policy.heartbeat("n", now);
      reported.addAll(policy.evaluate(now));
    }
    assertThat(reported).isEmpty();
  }

  @Property(tries = 300)
  @Label("phi is finite, non-negative and non-decreasing in the silence, whatever the window")
  void phiMonotone(@ForAll @Size(max = 150) List<@IntRange(min = 1, max = 100_000) Integer> gaps,
                   @ForAll @IntRange(min = 1, max = 5_000) int minStdDev,
                   @ForAll @IntRange(min = 1, max = 100_000) int silence,
                   @ForAll @IntRange(min = 1, max = 100_000) int more) {
    PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(100, minStdDev, 1_000);
    long now = 0;
    detector.heartbeat("n", now);
    for (int gap : gaps) {
      now += gap;
      detector.heartbeat("n", now);
    }
    double phi = detector.phi("n", now + silence);
    double later = detector.phi("n", now + silence + more);
    assertThat(phi).isFinite().isBetween(0.0, PhiAccrualFailureDetector.MAX_PHI);
    assertThat(later).isFinite().isGreaterThanOrEqualTo(phi);
  }
}
