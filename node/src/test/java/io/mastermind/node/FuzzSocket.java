package io.mastermind.node;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The JDK's WebSocket client with everything it receives queued as text (binary messages decoded as
 * UTF-8), for the fuzz test: it sends what the test says, garbage included, and never interprets.
 */
final class FuzzSocket implements AutoCloseable {

  final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  /** The close code once the server closed the socket (or -1 when the connection broke). */
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final WebSocket socket;

  private FuzzSocket(WebSocket socket) {
    this.socket = socket;
  }

  static FuzzSocket open(HttpClient client, URI uri) throws Exception {
    Listener listener = new Listener();
    WebSocket socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, listener)
      .get(10, TimeUnit.SECONDS);
    FuzzSocket fuzz = new FuzzSocket(socket);
    listener.owner = fuzz;
    return fuzz;
  }

  /** Sends a text message; false when the socket was closed under it. */
  boolean text(String text) {
    try {
      socket.sendText(text, true).get(10, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  boolean binary(byte[] bytes) {
    try {
      socket.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** Every message received so far, in order ({@link #await} moves them here). */
  final List<String> seen = new ArrayList<>();

  /**
   * The first message received, now or before, that matches, or null after {@code timeout} (or once
   * closed with nothing left to read). Messages read meanwhile stay in {@link #seen}.
   */
  String await(Predicate<String> matching, Duration timeout) throws InterruptedException {
    for (String message : seen) {
      if (matching.test(message)) {
        return message;
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String message = left <= 0 ? null : received.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
      if (message != null) {
        seen.add(message);
        if (matching.test(message)) {
          return message;
        }
      } else if (left <= 0 || closed.isDone() && received.isEmpty()) {
        return null;
      }
    }
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
    }
    socket.abort();
  }

  private static final class Listener implements WebSocket.Listener {
    private FuzzSocket owner;
    private final StringBuilder partial = new StringBuilder();
    private final ByteArrayOutputStream partialBytes = new ByteArrayOutputStream();
    private final BlockingQueue<String> early = new LinkedBlockingQueue<>();

    private void deliver(String message) {
      if (owner == null) {
        early.add(message);
      } else {
        early.drainTo(owner.received);
        owner.received.add(message);
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        deliver(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      partialBytes.write(bytes, 0, bytes.length);
      if (last) {
        deliver(partialBytes.toString(StandardCharsets.UTF_8));
        partialBytes.reset();
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      if (owner != null) {
        early.drainTo(owner.received);
        owner.closed.complete(statusCode);
      }
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      if (owner != null) {
        owner.closed.complete(-1);
      }
    }
  }
}
