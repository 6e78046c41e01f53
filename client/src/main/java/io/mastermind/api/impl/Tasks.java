package io.mastermind.api.impl;

import io.mastermind.api.DistributedSystemException;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.TaskStatus;
import io.mastermind.protocol.ValidationException;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Set;

/** Small rules both implementations share. */
final class Tasks {

  static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

  private Tasks() {
  }

  static boolean ended(JsonObject record) {
    return TaskStatus.parse(record.getString("status"), "status").isTerminal();
  }

  /** The level in lower case; an unknown one is refused as the gateway does. */
  static String logLevel(String level) {
    String normalised = level == null ? null : level.trim().toLowerCase(Locale.ROOT);
    if (normalised == null || !LOG_LEVELS.contains(normalised)) {
      throw new ValidationException("level", "level must be one of " + LOG_LEVELS.stream().sorted().toList());
    }
    return normalised;
  }

  static DistributedSystemException notEnded(String id, long waitedMs) {
    return new DistributedSystemException(ErrorCode.TIMEOUT, "task " + id + " did not end within " + waitedMs
      + " ms (executeTimeoutMs); it keeps running");
  }

  static IllegalStateException notInitialized() {
    return new IllegalStateException("call initialize() first (and wait for it)");
  }
}
