package io.mastermind.api;

import java.util.Objects;

/**
 * Which live events a subscription wants: {@code "*"} (every event), an exact name
 * ({@code "task:completed"}), or a prefix ending in {@code *} ({@code "task:*"}, {@code "node:*"}).
 * The same syntax the WebSocket's {@code subscribe} op takes (SPEC section 6).
 */
public final class EventPattern {

  public static final String ALL = "*";

  private final String pattern;
  private final String prefix;

  private EventPattern(String pattern) {
    this.pattern = pattern;
    this.prefix = pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : null;
  }

  /** @throws IllegalArgumentException when blank, or when a {@code *} is anywhere but last */
  public static EventPattern of(String pattern) {
    if (pattern == null || pattern.isBlank()) {
      throw new IllegalArgumentException("event pattern must be \"*\", an event name or a prefix such as \"task:*\"");
    }
    String trimmed = pattern.trim();
    int star = trimmed.indexOf('*');
    if (star >= 0 && star != trimmed.length() - 1) {
      throw new IllegalArgumentException("event pattern '" + pattern + "': '*' may only end the pattern");
    }
    return new EventPattern(trimmed);
  }

  public boolean matches(String eventName) {
    if (eventName == null) {
      return false;
    }
    return prefix == null ? pattern.equals(eventName) : eventName.startsWith(prefix);
  }

  @Override
  public String toString() {
    return pattern;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventPattern other && other.pattern.equals(pattern);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pattern);
  }
}
