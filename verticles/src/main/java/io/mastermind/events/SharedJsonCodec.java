package io.mastermind.events;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * The live events' codec: on the wire exactly what the JsonObject codec writes (so any node decodes a
 * JsonObject), but local consumers receive the published object itself instead of a deep copy each.
 * Every consumer of {@code mastermind.events} must treat the event as read-only; the embedded Java API
 * copies before it hands one to user code.
 *
 * <p>Why: the leader publishes four events per task and each local consumer got its own deep copy
 * (measured: ~5% of the leader's event loop at 3k tasks/s).
 */
public final class SharedJsonCodec implements MessageCodec<JsonObject, JsonObject> {

  public static final String NAME = "mastermind-shared-json";
  public static final DeliveryOptions DELIVERY = new DeliveryOptions().setCodecName(NAME);

  /** Registers the codec on this event bus, once; every node registers it so remote nodes can decode. */
  public static synchronized void register(EventBus bus) {
    try {
      bus.registerCodec(new SharedJsonCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // registered by another verticle of this node
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, JsonObject json) {
    Buffer encoded = json.toBuffer();
    buffer.appendInt(encoded.length());
    buffer.appendBuffer(encoded);
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
