package io.mastermind.node;

import io.mastermind.testsupport.TestHttp;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A client of the SockJS bridge's raw WebSocket transport ({@code /eventbus/websocket}): JSON frames
 * out as text, JSON frames in (the bridge sends them as binary messages) queued. Pings like the official client does, unless told not to.
 */
final class BridgeSocket implements AutoCloseable {

  final BlockingQueue<JsonObject> frames;
  /** Completes with the close code when the server closes the socket. */
  final CompletableFuture<Integer> closed;
  private final WebSocket socket;
  private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();

  private BridgeSocket(WebSocket socket, Listener listener, long pingEveryMs) {
    this.socket = socket;
    this.frames = listener.frames;
    this.closed = listener.closed;
    if (pingEveryMs > 0) {
      pinger.scheduleAtFixedRate(() -> {
        if (!closed.isDone()) {
          send(new JsonObject().put("type", "ping"));
        }
      }, pingEveryMs, pingEveryMs, TimeUnit.MILLISECONDS);
    }
  }

  /** @param query e.g. {@code "?access_token=T"}, or "" */
  static BridgeSocket open(String httpUrl, String query, long pingEveryMs) throws Exception {
    return connect(httpUrl, query, pingEveryMs).get(10, TimeUnit.SECONDS);
  }

  static CompletableFuture<BridgeSocket> connect(String httpUrl, String query, long pingEveryMs) {
    URI uri = URI.create(httpUrl.replaceFirst("^http", "ws") + "/eventbus/websocket" + query);
    Listener listener = new Listener();
    return TestHttp.builder().build().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
      .buildAsync(uri, listener)
      .thenApply(ws -> new BridgeSocket(ws, listener, pingEveryMs));
  }

  void send(JsonObject frame) {
    synchronized (socket) {
      socket.sendText(frame.encode(), true).join();
    }
  }

  void register(String address) {
    send(new JsonObject().put("type", "register").put("address", address));
  }

  void request(String address, Object body, String replyAddress) {
    send(new JsonObject().put("type", "send").put("address", address).put("body", body).put("replyAddress", replyAddress));
  }

  /** The next frame that matches, skipping others; fails after {@code timeout}. */
  JsonObject next(Predicate<JsonObject> matching, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonObject frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
      if (frame == null) {
        throw new AssertionError("no matching frame within " + timeout + "; left unread: " + frames);
      }
      if (matching.test(frame)) {
        return frame;
      }
    }
  }

  /** The next {@code err} frame without an address (the bridge's own refusals). */
  JsonObject nextError(Duration timeout) throws InterruptedException {
    return next(f -> "err".equals(f.getString("type")) && f.getString("address") == null, timeout);
  }

  @Override
  public void close() {
    pinger.shutdownNow();
    if (!closed.isDone()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
  }

  private static final class Listener implements WebSocket.Listener {
    private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final ByteArrayOutputStream partialBytes = new ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(new JsonObject(partial.toString()));
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    /** The bridge writes its frames as binary WebSocket messages on the raw transport. */
    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      partialBytes.write(bytes, 0, bytes.length);
      if (last) {
        frames.add(new JsonObject(partialBytes.toString(StandardCharsets.UTF_8)));
        partialBytes.reset();
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.completeExceptionally(error);
    }
  }
}
