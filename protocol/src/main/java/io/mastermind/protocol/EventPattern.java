package io.mastermind.protocol;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which live events a subscriber wants, by name: an exact name of {@link EventNames#ALL}
 * ({@code "node:health"}), {@code "*"} for every event, or {@code "prefix:*"} for every name starting
 * with {@code prefix:} ({@code "task:*"}). Pure: no Vert.x, so the WebSocket endpoint, the SockJS
 * bridge, the Java API's {@code on(name, handler)} (embedded and remote) and the CLI share it.
 *
 * <p>Only known names and known prefixes parse, so a typo is an error at subscription time rather
 * than a subscription that never fires.
 */
public final class EventPattern {

  /** Every event. */
  public static final String EVERYTHING = "*";
  private static final String PREFIX_WILDCARD = ":*";
  private static final Set<String> NAMES = Set.copyOf(EventNames.ALL);
  /** {@code task:}, {@code node:}, ... : the part of each known name up to and including its colon. */
  private static final Set<String> PREFIXES = EventNames.ALL.stream().filter(n -> n.indexOf(':') > 0)
    .map(n -> n.substring(0, n.indexOf(':') + 1)).collect(Collectors.toUnmodifiableSet());

  private final String text;
  /** Null for an exact name; "" for everything; "task:" for "task:*". */
  private final String prefix;

  private EventPattern(String text, String prefix) {
    this.text = text;
    this.prefix = prefix;
  }

  /** Parses untrusted input; throws {@link ValidationException} naming {@code field} when it is not a known name or pattern. */
  public static EventPattern parse(String text, String field) {
    if (text == null || text.isBlank()) {
      throw new ValidationException(field, field + " must be an event name or pattern");
    }
    if (text.equals(EVERYTHING)) {
      return new EventPattern(text, "");
    }
    if (text.endsWith(PREFIX_WILDCARD)) {
      String prefix = text.substring(0, text.length() - 1);
      if (PREFIXES.contains(prefix)) {
        return new EventPattern(text, prefix);
      }
      throw new ValidationException(field, field + ": unknown event prefix '" + text + "'; known: "
        + new TreeSet<>(PREFIXES).stream().map(p -> p + "*").collect(Collectors.joining(", ")));
    }
    if (NAMES.contains(text)) {
      return new EventPattern(text, null);
    }
    throw new ValidationException(field, field + ": unknown event '" + text + "'; known: " + String.join(", ", EventNames.ALL)
      + ", \"*\" or a prefix such as \"task:*\"");
  }

  /**
   * Parses a pattern given by a program (the Java API's {@code on(pattern, handler)}, the CLI's
   * {@code watch}): the same rules, failing with an {@link IllegalArgumentException}.
   */
  public static EventPattern of(String text) {
    try {
      return parse(text == null ? null : text.trim(), "event pattern");
    } catch (ValidationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  public boolean matches(String event) {
    if (event == null) {
      return false;
    }
    return prefix == null ? text.equals(event) : event.startsWith(prefix);
  }

  /** The pattern as written. */
  public String text() {
    return text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EventPattern p && p.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
