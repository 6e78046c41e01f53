package io.mastermind.worker;

import io.mastermind.resources.Resources;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

@Label("SlotGate properties")
class SlotGatePropertyTest {

  private static final double EPSILON = 1e-9;
  private static final Resources CAPACITY = new Resources(4, 8_192, 1);
  private static final int THREADS = 4;

  sealed interface Step permits Enqueue, Finish, Withdraw {
  }

  record Enqueue(Resources need) implements Step {
  }

  /** Ends the {@code pick}-th running task (modulo), if any runs. */
  record Finish(int pick) implements Step {
  }

  /** Withdraws the {@code pick}-th waiting task (modulo), if any waits. */
  record Withdraw(int pick) implements Step {
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    // cpu on a 0.1 grid most of the time so exact fills happen; now and then more than the node has
    Arbitrary<Double> cpu = Arbitraries.frequencyOf(
      Tuple.of(6, Arbitraries.integers().between(1, 30).map(i -> i / 10.0)),
      Tuple.of(2, Arbitraries.doubles().between(0.05, 4)),
      Tuple.of(1, Arbitraries.doubles().between(4.5, 16)));
    Arbitrary<Long> memory = Arbitraries.frequencyOf(
      Tuple.of(3, Arbitraries.just(0L)),
      Tuple.of(3, Arbitraries.longs().between(1, 8_192)),
      Tuple.of(1, Arbitraries.longs().between(8_193, 20_000)));
    Arbitrary<Integer> gpu = Arbitraries.frequency(Tuple.of(5, 0), Tuple.of(1, 1));
    Arbitrary<Step> enqueue = Combinators.combine(cpu, memory, gpu).as((c, m, g) -> new Enqueue(new Resources(c, m, g)));
    return Arbitraries.frequencyOf(
        Tuple.of(5, enqueue),
        Tuple.of(4, Arbitraries.integers().between(0, 100).map(Finish::new)),
        Tuple.of(1, Arbitraries.integers().between(0, 100).map(Withdraw::new)))
      .list().ofMaxSize(120);
  }

  @Property(tries = 500)
  @Label("never overcommits (but for one oversized task alone), starts in arrival order, never idles with work waiting")
  void gateInvariants(@ForAll("steps") List<Step> steps) {
    SlotGate<Integer> gate = new SlotGate<>(CAPACITY, THREADS);
    Map<Integer, Resources> waiting = new LinkedHashMap<>();
    Map<Integer, Resources> running = new LinkedHashMap<>();
    int next = 0;

    for (Step step : steps) {
      if (step instanceof Enqueue e) {
        gate.enqueue(next, e.need());
        waiting.put(next++, e.need());
      } else if (step instanceof Finish f && !running.isEmpty()) {
        Integer done = new ArrayList<>(running.keySet()).get(f.pick() % running.size());
        assertThat(gate.remove(done)).isTrue();
        running.remove(done);
      } else if (step instanceof Withdraw w && !waiting.isEmpty()) {
        Integer withdrawn = new ArrayList<>(waiting.keySet()).get(w.pick() % waiting.size());
        assertThat(gate.remove(withdrawn)).isTrue();
        waiting.remove(withdrawn);
      }

      for (Integer started : gate.startable()) {
        assertThat(waiting.keySet().iterator().next()).as("starts the head of the queue").isEqualTo(started);
        running.put(started, waiting.remove(started));
      }

      Resources held = running.values().stream().reduce(Resources.ZERO, Resources::plus);
      assertThat(gate.runningCount()).isEqualTo(running.size()).isLessThanOrEqualTo(THREADS);
      assertThat(gate.waitingCount()).isEqualTo(waiting.size());
      assertThat(gate.used().cpu()).isCloseTo(held.cpu(), offset(1e-6));
      assertThat(gate.used().memory()).isEqualTo(held.memory());
      assertThat(gate.used().gpu()).isEqualTo(held.gpu());
      if (running.size() > 1) {
        assertThat(held.cpu()).as("cpu of %s", running).isLessThanOrEqualTo(CAPACITY.cpu() + EPSILON);
        assertThat(held.memory()).isLessThanOrEqualTo(CAPACITY.memory());
        assertThat(held.gpu()).isLessThanOrEqualTo(CAPACITY.gpu());
      }
      if (running.isEmpty()) {
        assertThat(waiting).as("an idle node starts its head, however big").isEmpty();
      } else if (!waiting.isEmpty()) {
        Resources head = waiting.values().iterator().next();
        boolean fits = running.size() < THREADS && CAPACITY.covers(held) && CAPACITY.minus(held).covers(head);
        assertThat(fits).as("the head %s stays queued only when it does not fit beside %s", head, held).isFalse();
      }
    }
  }
}
