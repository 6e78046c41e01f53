package io.mastermind.scheduler;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
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

@Label("TaskQueue properties")
class TaskQueuePropertyTest {

  record Add(String id, int level) {
  }

  record TimedAdd(String id, int level, long gap) {
  }

  @Provide
  Arbitrary<List<Add>> adds() {
    // a small id pool so some adds replace a queued id
    Arbitrary<String> ids = Arbitraries.integers().between(0, 30).map(i -> "t" + i);
    Arbitrary<Integer> levels = Arbitraries.integers().between(0, TaskQueue.LEVELS - 1);
    return Combinators.combine(ids, levels).as(Add::new).list().ofMaxSize(60);
  }

  @Property(tries = 300)
  @Label("with no waiting time, placement order is level descending then insertion order")
  void orderAtEnqueueTime(@ForAll("adds") List<Add> adds, @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long now) {
    TaskQueue<Integer> queue = new TaskQueue<>(TaskQueue.DEFAULT_AGING_INTERVAL_MS);
    Map<String, Integer> model = new LinkedHashMap<>();
    for (Add add : adds) {
      queue.add(add.id(), add.level(), now, add.level());
      model.remove(add.id());
      model.put(add.id(), add.level());
    }

    List<Map.Entry<String, Integer>> expected = new ArrayList<>(model.entrySet());
    expected.sort(Comparator.comparing(Map.Entry<String, Integer>::getValue).reversed()); // stable sort

    List<TaskQueue.Entry<Integer>> actual = queue.inOrder(now, Integer.MAX_VALUE);
    assertThat(actual).extracting(TaskQueue.Entry::id)
      .containsExactlyElementsOf(expected.stream().map(Map.Entry::getKey).toList());
    assertThat(actual).extracting(TaskQueue.Entry::level)
      .containsExactlyElementsOf(expected.stream().map(Map.Entry::getValue).toList());
    assertThat(queue.size()).isEqualTo(model.size());

    List<String> polled = new ArrayList<>();
    while (!queue.isEmpty()) {
      polled.add(queue.poll(now).orElseThrow().id());
    }
    assertThat(polled).containsExactlyElementsOf(expected.stream().map(Map.Entry::getKey).toList());
  }

  @Provide
  Arbitrary<List<TimedAdd>> timedAdds() {
    Arbitrary<Integer> levels = Arbitraries.integers().between(0, TaskQueue.LEVELS - 1);
    Arbitrary<Long> gaps = Arbitraries.longs().between(0, 20_000);
    return Combinators.combine(levels, gaps).as((level, gap) -> new TimedAdd(null, level, gap)).list().ofMaxSize(40);
  }

  @Property(tries = 300)
  @Label("with aging, placement order follows level * interval + waited (exact ties excluded)")
  void orderWithAging(@ForAll("timedAdds") List<TimedAdd> adds, @ForAll @LongRange(min = 0, max = 100_000) long extra) {
    long aging = TaskQueue.DEFAULT_AGING_INTERVAL_MS;
    TaskQueue<Integer> queue = new TaskQueue<>(aging);
    long time = 0;
    record Expected(String id, int level, long at, int seq) {
    }
    List<Expected> model = new ArrayList<>();
    for (int i = 0; i < adds.size(); i++) {
      time += adds.get(i).gap();
      queue.add("t" + i, adds.get(i).level(), time, i);
      model.add(new Expected("t" + i, adds.get(i).level(), time, i));
    }
    long now = time + extra;
    // exact integer key; ties between different levels are excluded (see TaskQueueTest#exactTieGoesToHigherLevel)
    Comparator<Expected> order = Comparator.<Expected>comparingLong(e -> e.level() * aging + (now - e.at())).reversed()
      .thenComparing(Comparator.comparingInt(Expected::level).reversed())
      .thenComparingInt(Expected::seq);
    for (Expected a : model) {
      for (Expected b : model) {
        Assume.that(a.level() == b.level() || a.level() * aging + (now - a.at()) != b.level() * aging + (now - b.at()));
      }
    }
    model.sort(order);

    assertThat(queue.inOrder(now, Integer.MAX_VALUE)).extracting(TaskQueue.Entry::id)
      .containsExactlyElementsOf(model.stream().map(Expected::id).toList());
  }

  @Property(tries = 300)
  @Label("position(id) is the 1-based index of id in inOrder, with aging and removals; 0 when not queued")
  void positionAgreesWithOrder(@ForAll("timedAdds") List<TimedAdd> adds, @ForAll @LongRange(min = 0, max = 100_000) long extra,
                               @ForAll @LongRange(min = 0, max = 5) long removeEvery) {
    TaskQueue<Integer> queue = new TaskQueue<>(1_000);
    long now = 0;
    for (int i = 0; i < adds.size(); i++) {
      now += adds.get(i).gap();
      queue.add("t" + i, adds.get(i).level(), now, i);
      if (removeEvery > 0 && i % removeEvery == 0) {
        queue.remove("t" + (i / 2));
      }
    }
    long at = now + extra;
    List<TaskQueue.Entry<Integer>> order = queue.inOrder(at, Integer.MAX_VALUE);
    for (int i = 0; i < order.size(); i++) {
      assertThat(queue.position(order.get(i).id(), at)).as(order.get(i).id()).isEqualTo(i + 1);
    }
    assertThat(queue.position("absent", at)).isZero();
  }

  @net.jqwik.api.Example
  @Label("position stays right through thousands of adds, re-adds and removals (index growth and compaction)")
  void positionAtScale() {
    java.util.Random random = new java.util.Random(7);
    TaskQueue<Integer> queue = new TaskQueue<>(1_000);
    long now = 0;
    for (int step = 0; step < 6_000; step++) {
      now += random.nextInt(40);
      String id = "t" + random.nextInt(2_000);
      if (random.nextInt(3) == 0) {
        queue.remove(id);
      } else {
        queue.add(id, random.nextInt(TaskQueue.LEVELS), now, step); // an id queued again moves to the back
      }
      if (step % 1_000 == 999) {
        long at = now + random.nextInt(5_000);
        List<TaskQueue.Entry<Integer>> order = queue.inOrder(at, Integer.MAX_VALUE);
        for (int i = 0; i < order.size(); i++) {
          assertThat(queue.position(order.get(i).id(), at)).as(order.get(i).id()).isEqualTo(i + 1);
        }
      }
    }
    while (!queue.isEmpty()) { // drained from the front: the index compacts as it empties
      String head = queue.poll(now).orElseThrow().id();
      assertThat(queue.position(head, now)).isZero();
      if (!queue.isEmpty()) {
        assertThat(queue.position(queue.inOrder(now, 1).get(0).id(), now)).isEqualTo(1);
      }
    }
  }
}
