package io.mastermind.cluster;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FinishedIndexTest {

  @Test
  @DisplayName("agrees with a HashMap over random adds, moves and removes, through growth and probe runs")
  void agreesWithAMap() {
    FinishedIndex index = new FinishedIndex(16);
    Map<Long, Long> expected = new HashMap<>();
    Random random = new Random(7);
    for (int step = 0; step < 200_000; step++) {
      // few distinct homes: long probe runs, and deletions inside them
      long hash = (random.nextInt(3_000) * 1024L) << 32 | random.nextInt(4);
      int op = random.nextInt(10);
      if (op < 5 && !expected.containsKey(hash)) {
        long key = random.nextInt(1_000_000);
        assertThat(index.add(hash, key)).isTrue();
        expected.put(hash, key);
      } else if (op < 7 && expected.containsKey(hash)) {
        long to = random.nextInt(1_000_000);
        assertThat(index.move(hash, expected.get(hash), to)).isTrue();
        assertThat(index.move(hash, expected.get(hash), to + 1)).as("moved only from where it is").isEqualTo(expected.get(hash) == to);
        expected.put(hash, to);
      } else {
        assertThat(index.remove(hash)).isEqualTo(expected.getOrDefault(hash, FinishedIndex.NONE));
        expected.remove(hash);
      }
      if (step % 997 == 0) {
        for (var e : expected.entrySet()) {
          assertThat(index.get(e.getKey())).isEqualTo(e.getValue());
        }
        assertThat(index.size()).isEqualTo(expected.size());
      }
    }
  }

  @Test
  @DisplayName("a hash added twice is pinned: never moved, never released, kept through removals")
  void duplicatePins() {
    FinishedIndex index = new FinishedIndex();
    long hash = FinishedIndex.hash("task-1");
    assertThat(index.add(hash, 10)).isTrue();
    assertThat(index.add(hash, 11)).as("the second add pins").isFalse();
    assertThat(index.get(hash)).isEqualTo(FinishedIndex.PINNED);
    assertThat(index.move(hash, 10, 12)).isFalse();
    assertThat(index.remove(hash)).isEqualTo(FinishedIndex.PINNED);
    assertThat(index.get(hash)).as("still pinned after a removal").isEqualTo(FinishedIndex.PINNED);

    long other = FinishedIndex.hash("task-2");
    index.add(other, 20);
    index.pinIfPresent(other);
    assertThat(index.get(other)).isEqualTo(FinishedIndex.PINNED);
    index.pinIfPresent(FinishedIndex.hash("absent"));
    assertThat(index.get(FinishedIndex.hash("absent"))).isEqualTo(FinishedIndex.NONE);
  }

  @Test
  @DisplayName("ids differing in one character, or only in order, hash apart")
  void hashSpreads() {
    Map<Long, String> seen = new HashMap<>();
    for (int i = 0; i < 200_000; i++) {
      for (String id : new String[] {"t" + i, "Aa" + i, "BB" + i, i + "-x"}) {
        String before = seen.put(FinishedIndex.hash(id), id);
        assertThat(before == null || before.equals(id)).as("%s and %s", id, before).isTrue();
      }
    }
  }
}
