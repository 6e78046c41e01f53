package io.mastermind.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A codec for JSON the sender hands over: on the wire exactly what the JsonObject codec writes (so any
 * node decodes a JsonObject), but a local consumer receives the sent object itself instead of a deep
 * copy. The sender must not touch the object after sending it, and consumers treat it as read-only;
 * the embedded Java API copies at its boundary (what the user gives, and what it gives the user).
 *
 * <p>Used for the live events and for the per-task messages between the leader's parts and a worker
 * in the same JVM (submissions, assignment batches, result batches, answers with records). Why: each
 * local delivery of a JsonObject was a deep copy (measured: events ~5% of the leader's event loop at
 * 3k tasks/s; with assignments, submissions and answers ~12% of a standalone node's cpu).
 */
public final class SharedJsonCodec implements MessageCodec<JsonObject, JsonObject> {

  public static final String NAME = "mastermind-shared-json";
  public static final DeliveryOptions DELIVERY = new DeliveryOptions().setCodecName(NAME);

  /** Handed over without a copy when local, with a send timeout. */
  public static DeliveryOptions delivery(long timeoutMs) {
    return new DeliveryOptions().setCodecName(NAME).setSendTimeout(timeoutMs);
  }

  /** Registers the codec on this event bus, once; every node registers it so remote nodes can decode. */
  public static synchronized void register(EventBus bus) {
    try {
      bus.registerCodec(new SharedJsonCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // registered by another verticle of this node
    }
  }

  /**
   * A plain JsonObject is encoded straight into the message's buffer (its length written in front
   * afterwards); {@code toBuffer()} encoded into a byte array, wrapped it and then copied it. A subclass
   * may carry its text already ({@code EncodedJsonObject}): it gives it with {@code toBuffer()}.
   */
  @Override
  public void encodeToWire(Buffer buffer, JsonObject json) {
    if (json.getClass() != JsonObject.class) {
      Buffer encoded = json.toBuffer();
      buffer.appendInt(encoded.length());
      buffer.appendBuffer(encoded);
      return;
    }
    int at = buffer.length();
    buffer.appendInt(0);
    try (JsonGenerator generator = FACTORY.createGenerator(new Appending(buffer))) {
      JacksonCodec.encodeJson(json, generator);
    } catch (IOException e) {
      throw new EncodeException(e.getMessage(), e);
    }
    buffer.setInt(at, buffer.length() - at - 4);
  }

  private static final JsonFactory FACTORY = new JsonFactory();

  /** What a generator writes, appended to a buffer (it writes in chunks of its own buffer's size). */
  private static final class Appending extends OutputStream {
    private final Buffer buffer;

    Appending(Buffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public void write(int b) {
      buffer.appendByte((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      buffer.appendBytes(bytes, offset, length);
    }
  }

  @Override
  public JsonObject decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    int start = pos + 4;
    return new JsonObject(buffer.slice(start, start + length));
  }

  @Override
  public JsonObject transform(JsonObject json) {
    return json;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
