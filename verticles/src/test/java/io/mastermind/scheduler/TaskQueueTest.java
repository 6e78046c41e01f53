package io.mastermind.scheduler;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("TaskQueue orders waiting tasks by priority level, FIFO within a level, with aging")
class TaskQueueTest {

  private static final long AGING = 10_000;
  private static final int LOW = 0;
  private static final int NORMAL = 1;
  private static final int HIGH = 2;
  private static final int CRITICAL = 3;

  private final TaskQueue<String> queue = new TaskQueue<>(AGING);

  private List<String> ids(long now) {
    return queue.inOrder(now, Integer.MAX_VALUE).stream().map(TaskQueue.Entry::id).toList();
  }

  @Test
  @DisplayName("a new queue is empty and polls nothing")
  void emptyQueue() {
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.size()).isZero();
    assertThat(queue.poll(0)).isEmpty();
    assertThat(queue.inOrder(0, 10)).isEmpty();
  }

  @Test
  @DisplayName("critical comes before high, high before normal, normal before low")
  void ordersByLevel() {
    queue.add("low", LOW, 0, "l");
    queue.add("normal", NORMAL, 0, "n");
    queue.add("critical", CRITICAL, 0, "c");
    queue.add("high", HIGH, 0, "h");

    assertThat(ids(0)).containsExactly("critical", "high", "normal", "low");
  }

  @Test
  @DisplayName("tasks of one level leave in arrival order")
  void fifoWithinLevel() {
    queue.add("a", HIGH, 100, "a");
    queue.add("b", HIGH, 200, "b");
    queue.add("c", HIGH, 200, "c");
    queue.add("d", HIGH, 300, "d");

    assertThat(ids(300)).containsExactly("a", "b", "c", "d");
  }

  @Test
  @DisplayName("tasks enqueued at the same instant keep insertion order within a level")
  void fifoAtSameInstant() {
    for (int i = 0; i < 20; i++) {
      queue.add("t" + i, NORMAL, 5_000, "x");
    }
    assertThat(ids(5_000)).containsExactlyElementsOf(
      java.util.stream.IntStream.range(0, 20).mapToObj(i -> "t" + i).toList());
  }

  @Test
  @DisplayName("a low task that waited more than three aging intervals goes before a fresh critical one")
  void agingLetsOldLowTaskOvertakeFreshCritical() {
    queue.add("old-low", LOW, 0, "l");
    queue.add("fresh-critical", CRITICAL, 35_000, "c");

    assertThat(ids(35_000)).containsExactly("old-low", "fresh-critical");
  }

  @Test
  @DisplayName("a low task one millisecond past three aging intervals already goes first")
  void agingJustPastThreeIntervals() {
    queue.add("old-low", LOW, 0, "l");
    queue.add("fresh-critical", CRITICAL, 30_001, "c");

    assertThat(ids(30_001)).containsExactly("old-low", "fresh-critical");
  }

  @Test
  @DisplayName("a low task that waited exactly three aging intervals ties and yields to the higher level")
  void agingTieGoesToHigherLevel() {
    queue.add("old-low", LOW, 0, "l");
    queue.add("fresh-critical", CRITICAL, 30_000, "c");

    assertThat(ids(30_000)).containsExactly("fresh-critical", "old-low");
  }

  @Test
  @DisplayName("a low task that waited less than three intervals stays behind a fresh critical one")
  void agingNotYetEnough() {
    queue.add("old-low", LOW, 0, "l");
    queue.add("fresh-critical", CRITICAL, 29_999, "c");

    assertThat(ids(29_999)).containsExactly("fresh-critical", "old-low");
  }

  @Test
  @DisplayName("a normal task a bit more than one interval older than a high one goes first, and stays first")
  void agingOrderIsStableOverTime() {
    queue.add("normal", NORMAL, 0, "n");
    queue.add("high", HIGH, 11_000, "h");
    queue.add("high-2", HIGH, 9_000 + 11_000, "h2");

    // at 11 s: normal 2.1, high 2.0, high-2 2.0 (not yet enqueued: no wait)
    assertThat(ids(11_000)).containsExactly("normal", "high", "high-2");
    // waiting adds the same to every score, so the order no longer changes
    assertThat(ids(20_000)).containsExactly("normal", "high", "high-2");
    assertThat(ids(1_000_000)).containsExactly("normal", "high", "high-2");

    TaskQueue<String> other = new TaskQueue<>(AGING);
    other.add("normal", NORMAL, 0, "n");
    other.add("high", HIGH, 9_000, "h");
    // at 9 s: normal 1.9, high 2.0
    assertThat(other.inOrder(9_000, 10)).extracting(TaskQueue.Entry::id).containsExactly("high", "normal");
    assertThat(other.inOrder(500_000, 10)).extracting(TaskQueue.Entry::id).containsExactly("high", "normal");
  }

  @Test
  @DisplayName("a normal task that waited 2.5 intervals goes before a fresh critical one")
  void agingAcrossOtherLevels() {
    queue.add("normal", NORMAL, 0, "n");
    queue.add("critical", CRITICAL, 25_000, "c");
    queue.add("high", HIGH, 25_000, "h");

    assertThat(ids(25_000)).containsExactly("normal", "critical", "high");
  }

  @Test
  @DisplayName("a now before a task's enqueue time counts as no wait at all")
  void nowBeforeEnqueueTimeIsNoWait() {
    queue.add("low", LOW, 50_000, "l");
    queue.add("high", HIGH, 50_000, "h");

    assertThat(ids(0)).containsExactly("high", "low");
    assertThat(queue.get("low").orElseThrow().scaledScore(0, AGING)).isZero();
  }

  @Test
  @DisplayName("remove takes a task out and reports whether it was there")
  void remove() {
    queue.add("a", NORMAL, 0, "a");
    queue.add("b", NORMAL, 1, "b");

    assertThat(queue.remove("a")).isTrue();
    assertThat(queue.remove("a")).isFalse();
    assertThat(queue.remove("unknown")).isFalse();
    assertThat(queue.contains("a")).isFalse();
    assertThat(queue.contains("b")).isTrue();
    assertThat(queue.get("a")).isEmpty();
    assertThat(queue.size()).isEqualTo(1);
    assertThat(ids(1)).containsExactly("b");
  }

  @Test
  @DisplayName("poll returns the next task in placement order and removes it")
  void poll() {
    queue.add("low", LOW, 0, "l");
    queue.add("high", HIGH, 0, "h");
    queue.add("normal", NORMAL, 0, "n");

    TaskQueue.Entry<String> first = queue.poll(0).orElseThrow();
    assertThat(first.id()).isEqualTo("high");
    assertThat(first.item()).isEqualTo("h");
    assertThat(first.level()).isEqualTo(HIGH);
    assertThat(queue.contains("high")).isFalse();
    assertThat(queue.poll(0)).map(TaskQueue.Entry::id).contains("normal");
    assertThat(queue.poll(0)).map(TaskQueue.Entry::id).contains("low");
    assertThat(queue.poll(0)).isEmpty();
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  @DisplayName("inOrder returns at most max tasks and leaves them queued")
  void inOrderLimitsAndDoesNotRemove() {
    for (int i = 0; i < 5; i++) {
      queue.add("t" + i, i % 4, i, "x");
    }

    assertThat(queue.inOrder(10, 2)).extracting(TaskQueue.Entry::id).containsExactly("t3", "t2");
    assertThat(queue.inOrder(10, 0)).isEmpty();
    assertThat(queue.inOrder(10, 100)).hasSize(5);
    assertThat(queue.size()).isEqualTo(5);
  }

  @Test
  @DisplayName("re-adding a queued id replaces the task and moves it to the back of its new level")
  void reAddReplaces() {
    queue.add("a", NORMAL, 0, "first");
    queue.add("b", NORMAL, 1, "b");
    queue.add("a", NORMAL, 2, "second");

    assertThat(queue.size()).isEqualTo(2);
    assertThat(ids(2)).containsExactly("b", "a");
    assertThat(queue.get("a").orElseThrow().item()).isEqualTo("second");
    assertThat(queue.get("a").orElseThrow().enqueuedAt()).isEqualTo(2);
  }

  @Test
  @DisplayName("re-adding an id at another level leaves no copy at the old level")
  void reAddAtOtherLevel() {
    queue.add("a", LOW, 0, "a");
    queue.add("b", NORMAL, 0, "b");
    queue.add("a", CRITICAL, 0, "a2");

    assertThat(queue.size()).isEqualTo(2);
    assertThat(ids(0)).containsExactly("a", "b");
    assertThat(queue.get("a").orElseThrow().level()).isEqualTo(CRITICAL);
    assertThat(queue.remove("a")).isTrue();
    assertThat(ids(0)).containsExactly("b");
  }

  @Test
  @DisplayName("when the clock steps back, later arrivals still queue behind earlier ones")
  void clockSteppingBackKeepsFifo() {
    queue.add("a", NORMAL, 5_000, "a");
    queue.add("b", NORMAL, 1_000, "b");
    queue.add("c", NORMAL, 3_000, "c");

    assertThat(ids(6_000)).containsExactly("a", "b", "c");
    assertThat(queue.get("b").orElseThrow().enqueuedAt()).isEqualTo(5_000);
    assertThat(queue.get("c").orElseThrow().enqueuedAt()).isEqualTo(5_000);
    // b may not look older than a (which would let it overtake a higher level by aging)
    queue.add("h", HIGH, 5_000, "h");
    assertThat(ids(20_000)).containsExactly("h", "a", "b", "c");
  }

  @Test
  @DisplayName("a level outside 0..3 is rejected and leaves the queue unchanged")
  void rejectsBadLevel() {
    queue.add("a", NORMAL, 0, "a");

    assertThatThrownBy(() -> queue.add("a", 4, 0, "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> queue.add("b", -1, 0, "x")).isInstanceOf(IllegalArgumentException.class);
    assertThat(queue.get("a").orElseThrow().item()).isEqualTo("a");
    assertThat(queue.size()).isEqualTo(1);
  }

  @Test
  @DisplayName("the aging interval must be positive")
  void rejectsBadAgingInterval() {
    assertThatThrownBy(() -> new TaskQueue<String>(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TaskQueue<String>(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("equal scores go to the higher level even when the fractions are not exact in binary")
  void exactTieGoesToHigherLevel() {
    // low waited 10 353 ms, normal waited 353 ms: both score exactly 1.0353
    queue.add("low", LOW, 9_647, "l");
    queue.add("normal", NORMAL, 19_647, "n");

    assertThat(ids(20_000)).containsExactly("normal", "low");
  }
}
