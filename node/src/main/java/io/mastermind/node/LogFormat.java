package io.mastermind.node;

import org.slf4j.LoggerFactory;

/**
 * The console log format of a node process ({@code mastermind node}): puts the node id in logback's
 * context (property {@code nodeId}: every text line shows it, every JSON line carries it under
 * {@code context.properties.nodeId}, whatever thread logs) and, for {@code logging.format: json},
 * gives the console appenders logback's own {@code JsonEncoder}: one JSON object a line. The task id,
 * where a line is about one task, is in the MDC ({@code mdc.taskId}). Only the process entry point
 * calls this: an application embedding nodes owns its logging, and does nothing here when SLF4J's
 * backend is not logback.
 */
final class LogFormat {

  static final String NODE_ID = "nodeId";

  private LogFormat() {
  }

  static void apply(String format, String nodeId) {
    if (!LogLevels.isLogback()) {
      return;
    }
    Logback.apply("json".equals(format), nodeId);
  }

  /** Touched only once logback is known to be there. */
  private static final class Logback {
    static void apply(boolean json, String nodeId) {
      ch.qos.logback.classic.LoggerContext context = (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory();
      context.putProperty(NODE_ID, nodeId);
      if (!json) {
        return;
      }
      ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      for (var it = root.iteratorForAppenders(); it.hasNext(); ) {
        if (it.next() instanceof ch.qos.logback.core.ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> console) {
          ch.qos.logback.classic.encoder.JsonEncoder encoder = new ch.qos.logback.classic.encoder.JsonEncoder();
          encoder.setContext(context);
          encoder.setWithSequenceNumber(false);
          encoder.setWithNanoseconds(false);
          encoder.setWithArguments(false);
          encoder.setWithFormattedMessage(true);
          encoder.start();
          console.stop();
          console.setEncoder(encoder);
          console.start();
        }
      }
    }
  }
}
