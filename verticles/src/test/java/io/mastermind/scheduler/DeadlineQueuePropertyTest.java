package io.mastermind.scheduler;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Label("DeadlineQueue properties")
class DeadlineQueuePropertyTest {

  sealed interface Op permits Add, Cancel, Sweep {
  }

  record Add(int key, long deadline) implements Op {
  }

  record Cancel(int key) implements Op {
  }

  record Sweep(long now) implements Op {
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Integer> key = Arbitraries.integers().between(0, 15);
    Arbitrary<Long> time = Arbitraries.longs().between(0, 100);
    return Arbitraries.<Op>oneOf(
        Combinators.combine(key, time).as(Add::new),
        key.map(Cancel::new),
        time.map(Sweep::new))
      .list().ofMaxSize(60);
  }

  @Property(tries = 300)
  @Label("against a map of key to deadline, every sweep returns exactly the due keys in deadline order")
  void matchesAMap(@ForAll("ops") List<Op> ops, @ForAll @LongRange(min = 0, max = 100) long finalSweep) {
    DeadlineQueue<Integer> q = new DeadlineQueue<>();
    Map<Integer, Long> model = new LinkedHashMap<>();
    Map<Integer, Long> addedAt = new LinkedHashMap<>();
    long step = 0;
    for (Op op : ops) {
      step++;
      if (op instanceof Add a) {
        q.add(a.key(), a.deadline());
        model.put(a.key(), a.deadline());
        addedAt.put(a.key(), step);
      } else if (op instanceof Cancel c) {
        assertThat(q.cancel(c.key())).isEqualTo(model.remove(c.key()) != null);
      } else if (op instanceof Sweep s) {
        assertThat(q.expired(s.now())).isEqualTo(due(model, addedAt, s.now()));
      }
      assertThat(q.size()).isEqualTo(model.size());
      model.keySet().forEach(k -> assertThat(q.contains(k)).isTrue());
    }
    assertThat(q.expired(finalSweep)).isEqualTo(due(model, addedAt, finalSweep));
  }

  private static List<Integer> due(Map<Integer, Long> model, Map<Integer, Long> addedAt, long now) {
    List<Integer> due = new ArrayList<>(model.entrySet().stream().filter(e -> e.getValue() <= now)
      .sorted(Comparator.<Map.Entry<Integer, Long>>comparingLong(Map.Entry::getValue)
        .thenComparingLong(e -> addedAt.get(e.getKey())))
      .map(Map.Entry::getKey).toList());
    due.forEach(model::remove);
    return due;
  }
}
