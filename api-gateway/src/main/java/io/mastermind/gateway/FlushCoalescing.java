package io.mastermind.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpServerConnection;

/**
 * Lets the frames a WebSocket gets in one event-loop turn leave in one write to the socket.
 *
 * <p>Why: Vert.x flushes every frame written outside a read, and a followed task sends its socket
 * several frames (accepted, events, result) that arrive as a burst of event-bus deliveries; one
 * system call (and one wake-up of the client) per frame was a large part of the gateway's cost. Netty's
 * {@link FlushConsolidationHandler} defers such flushes to a task queued behind the burst on the same
 * event loop, so the latency added is that of the burst, not a timer. Reaches into Vert.x's
 * connection implementation for the channel; a connection of another kind is left as it is.
 */
final class FlushCoalescing {

  private static final String NAME = "mastermind-flush-coalescing";
  /** Flush anyway after this many deferred flushes, so a long burst does not hold every byte back. */
  private static final int FLUSH_AFTER = 64;

  private FlushCoalescing() {
  }

  /** Installs the handler on the connection's pipeline, once; does nothing for other connections. */
  static void install(HttpConnection connection) {
    if (connection instanceof HttpServerConnection server) {
      install(server.channelHandlerContext().pipeline());
    }
  }

  /** Puts the handler just before the pipeline's last handler (after the upgrade, Vert.x's WebSocket handler). */
  static void install(ChannelPipeline pipeline) {
    ChannelHandlerContext vertx = pipeline.lastContext();
    if (vertx != null && pipeline.get(NAME) == null) {
      pipeline.addBefore(vertx.name(), NAME, new FlushConsolidationHandler(FLUSH_AFTER, true));
    }
  }
}
