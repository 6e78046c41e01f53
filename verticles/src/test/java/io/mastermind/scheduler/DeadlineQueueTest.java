package io.mastermind.scheduler;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("DeadlineQueue hands out due keys in deadline order, once each, and honours cancel and reschedule")
class DeadlineQueueTest {

  private final DeadlineQueue<String> queue = new DeadlineQueue<>();

  @Test
  @DisplayName("expired returns every key due at or before now, earliest deadline first, and removes them")
  void expiredInOrder() {
    queue.add("c", 300);
    queue.add("a", 100);
    queue.add("d", 400);
    queue.add("b", 200);

    assertThat(queue.expired(99)).isEmpty();
    assertThat(queue.expired(300)).containsExactly("a", "b", "c");
    assertThat(queue.size()).isEqualTo(1);
    assertThat(queue.contains("a")).isFalse();
    assertThat(queue.contains("d")).isTrue();
    assertThat(queue.expired(300)).as("handed out once").isEmpty();
    assertThat(queue.expired(Long.MAX_VALUE)).containsExactly("d");
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  @DisplayName("keys due at the same time come out in the order they were added")
  void sameDeadline() {
    queue.add("x", 50);
    queue.add("y", 50);
    queue.add("z", 50);

    assertThat(queue.expired(50)).containsExactly("x", "y", "z");
  }

  @Test
  @DisplayName("cancel removes a scheduled key and answers false for one not scheduled")
  void cancel() {
    queue.add("a", 100);
    queue.add("b", 100);

    assertThat(queue.cancel("a")).isTrue();
    assertThat(queue.cancel("a")).isFalse();
    assertThat(queue.cancel("never")).isFalse();
    assertThat(queue.contains("a")).isFalse();
    assertThat(queue.size()).isEqualTo(1);
    assertThat(queue.expired(100)).containsExactly("b");
  }

  @Test
  @DisplayName("adding a scheduled key again replaces its deadline instead of scheduling it twice")
  void reAddReplaces() {
    queue.add("a", 100);
    queue.add("b", 150);
    queue.add("a", 200);

    assertThat(queue.size()).isEqualTo(2);
    assertThat(queue.expired(150)).containsExactly("b");
    assertThat(queue.contains("a")).isTrue();
    assertThat(queue.expired(200)).containsExactly("a");

    queue.add("c", 500);
    queue.add("c", 10);
    assertThat(queue.expired(10)).as("rescheduled earlier").containsExactly("c");
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  @DisplayName("clear forgets everything")
  void clear() {
    queue.add("a", 1);
    queue.add("b", 2);

    queue.clear();

    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.contains("a")).isFalse();
    assertThat(queue.expired(Long.MAX_VALUE)).isEmpty();
    assertThat(queue.cancel("b")).isFalse();
  }
}
