package io.mastermind.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

import java.nio.charset.StandardCharsets;

/**
 * Joins the frames of a client's messages (a message may come in fragments) with a bound: a message
 * longer than the limit is not kept, only reported once its last fragment arrived, so the socket
 * stays usable. Control frames (ping, pong, close) are Vert.x's business and are ignored here.
 *
 * <p>Done here rather than with Vert.x's {@code textMessageHandler}, which on an oversized message
 * only reports an exception and then hands the message's remaining fragments on as if they were a
 * message of their own.
 */
final class MessageAssembler {

  /** What the assembled messages turn into. */
  interface Listener {
    void text(String message);

    void binary();

    void tooLarge(int limit);
  }

  private final int maxMessageSize;
  private final Listener listener;
  private Buffer partial;
  private boolean text;
  private boolean skipping;

  MessageAssembler(int maxMessageSize, Listener listener) {
    this.maxMessageSize = maxMessageSize;
    this.listener = listener;
  }

  void frame(WebSocketFrame frame) {
    if (frame.isText() || frame.isBinary()) {
      text = frame.isText();
      partial = Buffer.buffer();
      skipping = false;
    } else if (!frame.isContinuation() || partial == null) {
      return; // a control frame, or a continuation of nothing
    }
    Buffer data = frame.binaryData();
    if (!skipping && partial.length() + data.length() > maxMessageSize) {
      skipping = true;
      partial = Buffer.buffer();
    }
    if (!skipping) {
      partial.appendBuffer(data);
    }
    if (frame.isFinal()) {
      Buffer message = partial;
      partial = null;
      if (skipping) {
        listener.tooLarge(maxMessageSize);
      } else if (text) {
        listener.text(message.toString(StandardCharsets.UTF_8));
      } else {
        listener.binary();
      }
    }
  }
}
