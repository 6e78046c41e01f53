package io.mastermind.node;

import io.mastermind.protocol.WebSocketFrames;
import io.mastermind.protocol.WebSocketFrames.Op;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The real Vert.x WebSocket client, for tests: sends frames, records every frame it receives, in
 * order, and answers futures of the first frame matching a predicate.
 */
final class WsClient {

  private record Waiter(Predicate<JsonObject> match, Promise<JsonObject> promise) {
  }

  private final WebSocketClient client;
  private final WebSocket socket;
  private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final Promise<Short> closed = Promise.promise();

  private WsClient(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.textMessageHandler(text -> received(new JsonObject(text)));
    socket.closeHandler(v -> closed.tryComplete(socket.closeStatusCode()));
  }

  static Future<WsClient> connect(Vertx vertx, WebSocketConnectOptions options) {
    WebSocketClient client = vertx.createWebSocketClient();
    return client.connect(options).map(socket -> new WsClient(client, socket))
      .onFailure(err -> client.close());
  }

  /** A frame from the client: {@code {"op": op, "ref": ref}}. */
  static JsonObject frame(Op op, Object ref) {
    return new JsonObject().put(WebSocketFrames.OP, op.wireName()).put(WebSocketFrames.REF, ref);
  }

  /** Matches frames with this op and ref ({@code ref} null matches frames without one). */
  static Predicate<JsonObject> is(Op op, Object ref) {
    return f -> op.wireName().equals(f.getString(WebSocketFrames.OP)) && Objects.equals(ref, f.getValue(WebSocketFrames.REF));
  }

  static String eventName(JsonObject frame) {
    return frame.getJsonObject(WebSocketFrames.EVENT).getString("event");
  }

  static String errorCode(JsonObject frame) {
    return frame.getJsonObject(WebSocketFrames.ERROR).getString("code");
  }

  WsClient send(JsonObject frame) {
    socket.writeTextMessage(frame.encode());
    return this;
  }

  WsClient sendText(String text) {
    socket.writeTextMessage(text);
    return this;
  }

  /** One frame, however large: the client does not split it into fragments. */
  WsClient sendWholeFrame(String text) {
    socket.writeFrame(WebSocketFrame.textFrame(text, true));
    return this;
  }

  WsClient sendBinary(Buffer data) {
    socket.writeBinaryMessage(data);
    return this;
  }

  /** Sends {@code frame} and answers the first frame with its op answer and the same ref. */
  Future<JsonObject> request(JsonObject frame, Op answer) {
    Object ref = frame.getValue(WebSocketFrames.REF);
    return send(frame).await(f -> Objects.equals(ref, f.getValue(WebSocketFrames.REF))
      && (answer.wireName().equals(f.getString(WebSocketFrames.OP)) || Op.ERROR.wireName().equals(f.getString(WebSocketFrames.OP))));
  }

  /** The first frame received (already, or from now on) that matches. */
  synchronized Future<JsonObject> await(Predicate<JsonObject> match) {
    for (JsonObject frame : frames) {
      if (match.test(frame)) {
        return Future.succeededFuture(frame);
      }
    }
    Promise<JsonObject> promise = Promise.promise();
    waiters.add(new Waiter(match, promise));
    return promise.future();
  }

  /** Every frame received so far, in order. */
  List<JsonObject> frames() {
    return List.copyOf(frames);
  }

  List<JsonObject> frames(Predicate<JsonObject> match) {
    return frames.stream().filter(match).toList();
  }

  WebSocket socket() {
    return socket;
  }

  /** Completes with the close status once the server (or we) closed the socket. */
  Future<Short> closed() {
    return closed.future();
  }

  Future<Void> close() {
    return socket.close().eventually(() -> client.close());
  }

  private void received(JsonObject frame) {
    List<Waiter> matched = new ArrayList<>();
    synchronized (this) {
      frames.add(frame);
      waiters.removeIf(w -> w.match().test(frame) && matched.add(w));
    }
    matched.forEach(w -> w.promise().tryComplete(frame)); // outside the lock: listeners may await again
  }
}
