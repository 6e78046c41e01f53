package io.mastermind.gateway;

import io.mastermind.protocol.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cap on open HTTP connections, {@code http.limits.maxConnections} (WebSockets count, ours and the
 * SockJS bridge's: each holds its connection). A connection past the cap is still accepted by the OS and read, so that it can be
 * told why: its requests are answered 429 {@code LIMIT_EXCEEDED} with {@code Retry-After}, and it is
 * closed. Install it as the server's connection handler and wrap the request handler with
 * {@link #admit}. Thread-safe: connections arrive on every event loop of the server.
 */
final class Connections implements Handler<HttpConnection> {

  private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final Set<HttpConnection> overCap = ConcurrentHashMap.newKeySet();

  Connections(int max) {
    this.max = max;
  }

  @Override
  public void handle(HttpConnection connection) {
    if (open.incrementAndGet() > max) {
      overCap.add(connection);
      LOG.debug("connection from " + connection.remoteAddress() + " is over http.limits.maxConnections (" + max + ")");
    }
    onClose(connection, () -> {
      open.decrementAndGet();
      overCap.remove(connection);
    });
  }

  /**
   * Runs {@code closed} once, when the connection's socket closes. An {@link HttpConnection}'s own close
   * handler is not enough: once upgraded to a WebSocket (ours, or one of the SockJS transports), the
   * connection's channel handler is replaced and that close handler never runs, so the count would
   * only grow. The channel's close future runs whatever became of the connection. Reaching the channel
   * takes Vert.x's {@code impl} interface of server connections; any other connection falls back to
   * its close handler.
   */
  private static void onClose(HttpConnection connection, Runnable closed) {
    if (connection instanceof HttpServerConnection server) {
      server.channelHandlerContext().channel().closeFuture().addListener(done -> closed.run());
    } else {
      connection.closeHandler(v -> closed.run());
    }
  }

  /** {@code next} for requests on connections within the cap; a 429 and a close for the others. */
  Handler<HttpServerRequest> admit(Handler<HttpServerRequest> next) {
    return request -> {
      if (!overCap.isEmpty() && overCap.contains(request.connection())) {
        HttpErrors.sendAndClose(request, ErrorCode.LIMIT_EXCEEDED.httpStatus(), ErrorCode.LIMIT_EXCEEDED.name(),
          max + " connections are open on this gateway (http.limits.maxConnections); try again later");
      } else {
        next.handle(request);
      }
    };
  }

  /** Connections open now, over the cap included. */
  int open() {
    return open.get();
  }
}
