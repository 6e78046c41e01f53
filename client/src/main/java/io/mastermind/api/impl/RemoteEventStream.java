package io.mastermind.api.impl;

import io.mastermind.protocol.WebSocketFrames;
import io.mastermind.protocol.WebSocketFrames.Op;
import io.mastermind.api.DistributedSystemException;
import io.mastermind.api.DistributedSystemOptions;
import io.mastermind.protocol.EventPattern;
import io.mastermind.api.EventSubscription;
import io.mastermind.protocol.ErrorCode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One remote subscription: its own WebSocket to the gateway's endpoint ({@code /api/v1/ws} by default), one {@code subscribe} op with its
 * pattern, then every {@code event} frame to the handler. One socket per subscription keeps the meaning
 * plain whatever the server does with several subscriptions on one socket.
 *
 * <p>The first connection must succeed ({@link #ready()} fails otherwise, e.g. a gateway without the
 * WebSocket answers the upgrade with 404). A connection lost after that is re-opened with exponential
 * backoff ({@code reconnectBaseMs} doubling up to {@code reconnectMaxMs}) and subscribed again, until
 * {@link #cancel()}; events published while it was away are not replayed.
 *
 * <p>All state is touched on one Vert.x context.
 */
final class RemoteEventStream implements EventSubscription {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteEventStream.class);
  private static final AtomicLong REFS = new AtomicLong();

  private final EventPattern pattern;
  private final Handler<JsonObject> handler;
  private final Promise<Void> ready = Promise.promise();
  private final String ref = "sub-" + REFS.incrementAndGet();
  private Context context;
  private WebSocketClient client;
  private WebSocketConnectOptions connect;
  private DistributedSystemOptions options;
  private WebSocket socket;
  private boolean cancelled;
  private int failures;
  private long timer = -1;

  RemoteEventStream(EventPattern pattern, Handler<JsonObject> handler) {
    this.pattern = pattern;
    this.handler = handler;
  }

  /** Opens the socket; {@link #ready()} tells how the first attempt went. */
  Future<Void> start(Context context, WebSocketClient client, WebSocketConnectOptions connect,
                     DistributedSystemOptions options) {
    this.context = context;
    this.client = client;
    this.connect = connect;
    this.options = options;
    context.runOnContext(v -> open());
    return ready.future();
  }

  @Override
  public EventPattern pattern() {
    return pattern;
  }

  @Override
  public Future<Void> ready() {
    return ready.future();
  }

  @Override
  public Future<Void> cancel() {
    if (context == null) {
      cancelled = true;
      ready.tryFail("cancelled before it started");
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      cancelled = true;
      ready.tryFail("cancelled");
      if (timer >= 0) {
        context.owner().cancelTimer(timer);
      }
      if (socket != null && !socket.isClosed()) {
        socket.writeTextMessage(WebSocketFrames.unsubscribe(ref).encode());
        socket.close().onComplete(ar -> done.tryComplete());
      } else {
        done.tryComplete();
      }
    });
    return done.future();
  }

  private void open() {
    if (cancelled) {
      return;
    }
    client.connect(connect).onComplete(ar -> {
      if (ar.failed()) {
        onLost(refusal(ar.cause()));
        return;
      }
      WebSocket ws = ar.result();
      if (cancelled) {
        ws.close();
        return;
      }
      socket = ws;
      ws.textMessageHandler(this::onFrame);
      ws.exceptionHandler(err -> LOG.debug("event stream '" + pattern + "': " + err));
      ws.closeHandler(v -> {
        if (socket == ws) {
          socket = null;
          onLost(new DistributedSystemException(ErrorCode.UNAVAILABLE, "the gateway closed the event stream"));
        }
      });
      ws.writeTextMessage(WebSocketFrames.subscribe(ref, List.of(pattern.toString())).encode());
      long waiting = context.owner().setTimer(options.getRequestTimeoutMs(), t -> {
        if (!ready.future().isComplete() && socket == ws) {
          ready.tryFail(new DistributedSystemException(ErrorCode.UNAVAILABLE,
            "the gateway did not answer 'subscribed' within " + options.getRequestTimeoutMs() + " ms"));
          ws.close();
        }
      });
      ready.future().onComplete(done -> context.owner().cancelTimer(waiting));
    });
  }

  private void onFrame(String text) {
    JsonObject frame = WebSocketFrames.parse(text);
    if (frame == null) {
      return;
    }
    Op op = WebSocketFrames.op(frame);
    if (op == null) {
      return; // an op this client does not know
    }
    switch (op) {
      case SUBSCRIBED -> {
        failures = 0;
        ready.tryComplete();
      }
      case EVENT -> {
        JsonObject event = frame.getJsonObject("event");
        if (event != null && pattern.matches(event.getString("event"))) {
          try {
            handler.handle(event);
          } catch (RuntimeException e) {
            LOG.warn("event handler for '" + pattern + "' threw", e);
          }
        }
      }
      case ERROR -> {
        JsonObject error = frame.getJsonObject("error", new JsonObject());
        DistributedSystemException failure = DistributedSystemException.fromHttp(400, new JsonObject().put("error", error));
        if (!ready.future().isComplete()) {
          ready.tryFail(failure);
          cancel();
        } else {
          LOG.warn("event stream '" + pattern + "': " + failure.getMessage());
        }
      }
      default -> {
        // pong, unsubscribed: nothing to do
      }
    }
  }

  /** The first connection failing fails {@link #ready()}; later losses reconnect with backoff. */
  private void onLost(DistributedSystemException why) {
    if (cancelled) {
      return;
    }
    if (!ready.future().isComplete()) {
      ready.tryFail(why);
      cancelled = true;
      return;
    }
    long delay = Math.min(options.getReconnectMaxMs(), options.getReconnectBaseMs() << Math.min(failures, 20));
    failures++;
    LOG.info("event stream '" + pattern + "' lost (" + why.reason() + "); reconnecting in " + delay + " ms");
    timer = context.owner().setTimer(delay, t -> {
      timer = -1;
      open();
    });
  }

  private DistributedSystemException refusal(Throwable cause) {
    if (cause instanceof UpgradeRejectedException rejected) {
      int status = rejected.getStatus();
      ErrorCode code = status == 401 ? ErrorCode.UNAUTHORIZED : ErrorCode.UNAVAILABLE;
      return new DistributedSystemException(code, code.name(), "live events need the gateway's WebSocket "
        + connect.getURI() + ", and its upgrade was refused with HTTP " + status, null, status, cause);
    }
    return new DistributedSystemException(ErrorCode.UNAVAILABLE, ErrorCode.UNAVAILABLE.name(),
      "cannot open the event stream " + connect.getURI() + ": " + cause.getMessage(), null, 503, cause);
  }
}
