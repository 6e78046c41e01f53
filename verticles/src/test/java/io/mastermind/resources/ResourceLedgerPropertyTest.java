package io.mastermind.resources;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

@Label("ResourceLedger properties")
class ResourceLedgerPropertyTest {

  private static final double CPU_TOLERANCE = 1e-9;
  private static final Map<String, Resources> NODES = Map.of(
    "n1", new Resources(8, 16_384, 1),
    "n2", new Resources(4, 8_192, 0),
    "n3", new Resources(2.5, 4_096, 2));
  private static final List<String> NODE_IDS = List.of("n1", "n2", "n3");

  sealed interface Step permits Allocate, Release, RemoveNode {
  }

  record Allocate(String node, Resources request) implements Step {
  }

  /** Releases the {@code pick}-th id ever issued (modulo), live or not, so double releases happen. */
  record Release(int pick) implements Step {
  }

  /** Removes the node and registers it again with the same capacity. */
  record RemoveNode(String node) implements Step {
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<String> node = Arbitraries.of(NODE_IDS);
    // cpu on a 0.1 grid part of the time, so exact fills (and their rounding) happen
    Arbitrary<Double> cpu = Arbitraries.oneOf(
      Arbitraries.doubles().between(0.5, 4),
      Arbitraries.integers().between(5, 40).map(i -> i / 10.0));
    Arbitrary<Long> memory = Arbitraries.longs().between(0, 4096);
    Arbitrary<Integer> gpu = Arbitraries.frequency(Tuple.of(4, 0), Tuple.of(1, 1));
    Arbitrary<Step> allocate = Combinators.combine(node, cpu, memory, gpu)
      .as((n, c, m, g) -> new Allocate(n, new Resources(c, m, g)));
    Arbitrary<Step> release = Arbitraries.integers().between(0, 1_000).map(Release::new);
    Arbitrary<Step> remove = node.map(RemoveNode::new);
    return Arbitraries.frequencyOf(
        Tuple.of(6, allocate),
        Tuple.of(4, release),
        Tuple.of(1, remove))
      .list().ofMaxSize(80);
  }

  @Property(tries = 400)
  @Label("random allocate/release never overcommits a node and releasing everything restores capacity")
  void neverOvercommits(@ForAll("steps") List<Step> steps) {
    ResourceLedger ledger = new ResourceLedger();
    NODES.forEach(ledger::registerNode);
    Map<String, Allocate> live = new LinkedHashMap<>();
    List<String> issued = new ArrayList<>();

    for (Step step : steps) {
      if (step instanceof Allocate a) {
        Resources before = sumOn(live, a.node());
        Optional<String> id = ledger.allocate(a.node(), a.request());
        if (id.isPresent()) {
          assertThat(live).doesNotContainKey(id.get());
          assertThat(issued).doesNotContain(id.get());
          live.put(id.get(), a);
          issued.add(id.get());
        } else {
          // a refusal must be justified: the request really does not fit next to what is held
          Resources cap = NODES.get(a.node());
          assertThat(before.cpu() + a.request().cpu() > cap.cpu() - CPU_TOLERANCE
            || before.memory() + a.request().memory() > cap.memory()
            || before.gpu() + a.request().gpu() > cap.gpu())
            .as("refused %s on %s holding %s", a.request(), a.node(), before).isTrue();
        }
      } else if (step instanceof Release r) {
        if (issued.isEmpty()) {
          assertThat(ledger.release("n1#1")).isFalse();
        } else {
          String id = issued.get(r.pick() % issued.size());
          boolean wasLive = live.remove(id) != null;
          assertThat(ledger.release(id)).as("release %s", id).isEqualTo(wasLive);
        }
      } else if (step instanceof RemoveNode rm) {
        List<String> expected = live.entrySet().stream()
          .filter(e -> e.getValue().node().equals(rm.node())).map(Map.Entry::getKey).toList();
        assertThat(ledger.removeNode(rm.node())).containsExactlyInAnyOrderElementsOf(expected);
        expected.forEach(live::remove);
        ledger.registerNode(rm.node(), NODES.get(rm.node()));
      }
      assertInvariants(ledger, live);
    }

    for (String id : List.copyOf(live.keySet())) {
      assertThat(ledger.release(id)).isTrue();
      live.remove(id);
      assertInvariants(ledger, live);
    }
    assertThat(ledger.reservationCount()).isZero();
    for (String node : NODE_IDS) {
      Resources available = ledger.available(node);
      Resources capacity = NODES.get(node);
      assertThat(available.cpu()).isCloseTo(capacity.cpu(), offset(CPU_TOLERANCE));
      assertThat(available.memory()).isEqualTo(capacity.memory());
      assertThat(available.gpu()).isEqualTo(capacity.gpu());
    }
  }

  private static Resources sumOn(Map<String, Allocate> live, String node) {
    return live.values().stream().filter(a -> a.node().equals(node)).map(Allocate::request)
      .reduce(Resources.ZERO, Resources::plus);
  }

  /** Checks every node; collects violations so the (hot) happy path costs one AssertJ call. */
  private static void assertInvariants(ResourceLedger ledger, Map<String, Allocate> live) {
    List<String> violations = new ArrayList<>();
    if (ledger.reservationCount() != live.size()) {
      violations.add("reservationCount " + ledger.reservationCount() + " != " + live.size());
    }
    for (String node : NODE_IDS) {
      Resources capacity = NODES.get(node);
      Resources held = sumOn(live, node);
      Resources available = ledger.available(node);
      long count = live.values().stream().filter(a -> a.node().equals(node)).count();
      check(violations, ledger.capacity(node).equals(capacity), node, "capacity changed", ledger.capacity(node));
      check(violations, ledger.reservationCount(node) == count, node, "reservationCount", ledger.reservationCount(node));
      // reserved never exceeds capacity
      check(violations, held.cpu() <= capacity.cpu() + CPU_TOLERANCE, node, "cpu held over capacity", held);
      check(violations, held.memory() <= capacity.memory(), node, "memory held over capacity", held);
      check(violations, held.gpu() <= capacity.gpu(), node, "gpus held over capacity", held);
      // available is never negative and capacity == available + held
      check(violations, available.cpu() >= 0 && available.memory() >= 0 && available.gpu() >= 0, node,
        "negative available", available);
      check(violations, Math.abs(available.cpu() + held.cpu() - capacity.cpu()) <= CPU_TOLERANCE, node,
        "cpu available + held != capacity", available + " + " + held);
      check(violations, available.memory() + held.memory() == capacity.memory(), node,
        "memory available + held != capacity", available + " + " + held);
      check(violations, available.gpu() + held.gpu() == capacity.gpu(), node,
        "gpus available + held != capacity", available + " + " + held);
    }
    assertThat(violations).isEmpty();
  }

  private static void check(List<String> violations, boolean ok, String node, String what, Object detail) {
    if (!ok) {
      violations.add(node + ": " + what + " (" + detail + ")");
    }
  }
}
