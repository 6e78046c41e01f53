package io.mastermind.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

import java.util.List;

/**
 * Keeps what a client did wrong out of the error log: Vert.x's SockJS bridge logs an ERROR, with a
 * stack trace, when a client drops its socket or sends a frame too large for it, an unknown frame type,
 * or too long a reply address, and a WARN when it refuses a registration. Those are client input, not
 * server faults (the client is told with an {@code err} frame or a closed socket), so they are logged
 * at debug instead, one line without the stack trace, under {@value #DEBUG_LOGGER}. Installed by
 * {@code logback.xml}; every other event passes.
 */
public final class ClientInputLogFilter extends TurboFilter {

  static final String BRIDGE = "io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl";
  static final String DEBUG_LOGGER = "io.mastermind.gateway.bridge.ClientInput";
  /** The beginnings of the bridge's ERROR and WARN messages that only client input causes. */
  static final List<String> CLIENT_CAUSED = List.of("SockJSSocket exception", "Invalid type in incoming message",
    "Will not send message, reply address is", "Refusing to register");

  private static final org.slf4j.Logger DEBUG = LoggerFactory.getLogger(DEBUG_LOGGER);

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level == null || !level.isGreaterOrEqual(Level.WARN) || format == null || !BRIDGE.equals(logger.getName())) {
      return FilterReply.NEUTRAL;
    }
    for (String message : CLIENT_CAUSED) {
      if (format.startsWith(message)) {
        if (DEBUG.isDebugEnabled()) {
          DEBUG.debug("SockJS bridge: " + format + (t == null ? "" : ": " + t));
        }
        return FilterReply.DENY;
      }
    }
    return FilterReply.NEUTRAL;
  }
}
