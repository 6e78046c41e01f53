package io.mastermind.cli;

import io.mastermind.protocol.WebSocketFrames;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A blocking view of the gateway's WebSocket {@code /api/v1/ws} (SPEC section 6): frames are queued as
 * they arrive and taken with {@link #next(long)}; a closed or broken socket shows up as a frame with
 * {@code "op":"closed"}.
 */
final class GatewaySocket implements AutoCloseable {

  /** Thrown by {@link #open} when the gateway has no WebSocket (or refused the upgrade). */
  static final class Unavailable extends Exception {
    Unavailable(String message) {
      super(message, null, false, false);
    }
  }

  static final String CLOSED = "closed";

  /** The frame {@link #next} makes up when the socket went away: {@code {"op":"closed","reason"}}. */
  static boolean closed(JsonObject frame) {
    return CLOSED.equals(frame.getValue(WebSocketFrames.OP));
  }

  private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private WebSocket socket;

  private GatewaySocket() {
  }

  static GatewaySocket open(GatewayHttp http) throws Unavailable {
    String url = http.baseUrl().replaceFirst("^http", "ws") + http.webSocketPath();
    GatewaySocket result = new GatewaySocket();
    WebSocket.Builder builder = http.client().newWebSocketBuilder().connectTimeout(java.time.Duration.ofSeconds(5));
    if (http.token() != null) {
      builder.header("Authorization", "Bearer " + http.token());
    }
    try {
      result.socket = builder.buildAsync(URI.create(url), result.new Listener()).get(10, TimeUnit.SECONDS);
      return result;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof WebSocketHandshakeException refused) {
        throw new Unavailable("the gateway refused the WebSocket upgrade at " + url + " (HTTP "
          + refused.getResponse().statusCode() + ")");
      }
      throw new Unavailable("cannot open the WebSocket " + url + ": " + cause);
    } catch (TimeoutException e) {
      throw new Unavailable("the WebSocket " + url + " did not open within 10 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted");
    }
  }

  void send(JsonObject frame) {
    socket.sendText(frame.encode(), true).join();
  }

  /** The next frame, or null after {@code timeoutMs} without one. */
  JsonObject next(long timeoutMs) {
    try {
      return frames.poll(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new JsonObject().put(WebSocketFrames.OP, CLOSED).put("reason", "interrupted");
    }
  }

  @Override
  public void close() {
    if (socket != null && !socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    if (socket != null) {
      socket.abort();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        JsonObject frame = WebSocketFrames.parse(partial.toString());
        partial.setLength(0);
        if (frame != null) {
          frames.add(frame);
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      frames.add(new JsonObject().put(WebSocketFrames.OP, CLOSED).put("reason", "closed by the gateway (" + statusCode + ")"));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      frames.add(new JsonObject().put(WebSocketFrames.OP, CLOSED).put("reason", String.valueOf(error)));
    }
  }
}
