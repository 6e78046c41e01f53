package io.mastermind.node;

import java.util.Locale;
import java.util.Set;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Sets the level of the root and {@code io.mastermind} loggers when logback is the SLF4J backend.
 * The backend is recognised by the class name of SLF4J's logger factory, so nothing of logback is
 * loaded (or needed on the class path) when an application embedding the node uses another backend;
 * then {@link #set} answers {@code false} and the caller says so instead of failing with a
 * ClassCastException.
 */
final class LogLevels {

  static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");
  private static final String LOGBACK_CONTEXT = "ch.qos.logback.classic.LoggerContext";

  private LogLevels() {
  }

  /** The class name of the SLF4J backend's logger factory, for messages. */
  static String backend() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    return factory == null ? "none" : factory.getClass().getName();
  }

  static boolean isLogback() {
    return LOGBACK_CONTEXT.equals(backend());
  }

  /** Applies {@code level} (one of {@link #LEVELS}); false when the backend is not logback. */
  static boolean set(String level) {
    if (!isLogback()) {
      return false;
    }
    Logback.set(level.toUpperCase(Locale.ROOT));
    return true;
  }

  /** Touched only once logback is known to be there. */
  private static final class Logback {
    static void set(String level) {
      ch.qos.logback.classic.Level l = ch.qos.logback.classic.Level.toLevel(level);
      ch.qos.logback.classic.LoggerContext context = (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory();
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(l);
      context.getLogger("io.mastermind").setLevel(l);
    }
  }
}
