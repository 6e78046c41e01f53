package io.mastermind.gateway.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an API token may do (SPEC section 10). Scopes do not imply one another: a token that may
 * submit but not read gets its own tasks' answers, yet cannot list tasks or subscribe to events.
 */
public enum Scope {
  /** GET routes, WebSocket {@code subscribe}, the bridge's events. */
  READ,
  /** POST and DELETE of tasks, WebSocket {@code submit} and {@code cancel}, the bridge's submit, the Nexus. */
  SUBMIT,
  /** {@code PUT /api/v1/log-level}, {@code POST} and {@code DELETE} of nodes. */
  ADMIN;

  /** Every scope: what a token given as a plain string, or any caller when tokens are off, holds. */
  public static final Set<Scope> ALL = Set.copyOf(EnumSet.allOf(Scope.class));

  /** The name in config and in messages: {@code read}, {@code submit}, {@code admin}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @param where names the setting in the message, e.g. {@code apiTokens[2].scopes} */
  public static Scope parse(String name, String where) {
    if (name != null) {
      for (Scope scope : values()) {
        if (scope.wireName().equals(name.trim().toLowerCase(Locale.ROOT))) {
          return scope;
        }
      }
    }
    throw new IllegalArgumentException(where + ": unknown scope '" + name + "', choose from " + names());
  }

  static String names() {
    return Arrays.stream(values()).map(Scope::wireName).collect(Collectors.joining(", "));
  }
}
