package io.mastermind.protocol;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@DisplayName("EventPattern selects live events by exact name, \"*\" or \"prefix:*\"")
class EventPatternTest {

  private static EventPattern parse(String text) {
    return EventPattern.parse(text, "events[0]");
  }

  @Test
  @DisplayName("\"*\" matches every event name, known or not")
  void everything() {
    EventPattern all = parse("*");
    assertThat(EventNames.ALL).allMatch(all::matches);
    assertThat(all.matches("task:future-event")).isTrue();
    assertThat(all.matches(null)).isFalse();
  }

  @Test
  @DisplayName("\"task:*\" matches exactly the task: names")
  void prefix() {
    EventPattern tasks = parse("task:*");
    assertThat(EventNames.ALL.stream().filter(tasks::matches))
      .containsExactly(EventNames.TASK_SUBMITTED, EventNames.TASK_SCHEDULED, EventNames.TASK_STARTED,
        EventNames.TASK_PROGRESS, EventNames.TASK_RETRYING, EventNames.TASK_COMPLETED, EventNames.TASK_FAILED,
        EventNames.TASK_TIMED_OUT, EventNames.TASK_CANCELLED);
    assertThat(tasks.matches("tasks:completed")).isFalse();
    assertThat(parse("node:*").matches(EventNames.NODE_HEALTH)).isTrue();
    assertThat(parse("node:*").matches(EventNames.RESOURCE_UPDATE)).isFalse();
  }

  @Test
  @DisplayName("an exact name matches only itself")
  void exact() {
    EventPattern health = parse("node:health");
    assertThat(EventNames.ALL.stream().filter(health::matches)).containsExactly(EventNames.NODE_HEALTH);
    assertThat(parse("alert").matches(EventNames.ALERT)).isTrue();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", " ", "task:nope", "Task:completed", "job:*", "alert:*", "task*", "**", "task:completed "})
  @DisplayName("unknown names and prefixes are refused naming the field")
  void refused(String text) {
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> parse(text));
    assertThat(e).isNotNull();
    assertThat(e.field()).isEqualTo("events[0]");
    assertThat(e.getMessage()).startsWith("events[0]");
  }

  @Test
  @DisplayName("patterns are equal by their text")
  void equality() {
    assertThat(parse("task:*")).isEqualTo(parse("task:*")).hasSameHashCodeAs(parse("task:*"));
    assertThat(parse("task:*").text()).isEqualTo("task:*");
  }

  @Test
  @DisplayName("of(...) is the same parser for programs: a trimmed known pattern, or an IllegalArgumentException")
  void ofForPrograms() {
    assertThat(EventPattern.of(" task:* ").matches(EventNames.TASK_PROGRESS)).isTrue();
    assertThat(EventPattern.of("node:health")).isEqualTo(parse("node:health"));
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> EventPattern.of("task:*:x")))
      .hasMessageContaining("task:*:x").hasCauseInstanceOf(ValidationException.class);
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> EventPattern.of("test:*")))
      .hasMessageContaining("unknown event prefix");
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> EventPattern.of(null))).isNotNull();
  }
}
