package io.mastermind.controlplane;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

import java.util.List;

/**
 * Hands an immutable message to a local consumer as is: no copy, no encoding. Refuses to go on the
 * wire, so a message of the leader's verticles sent to a remote address fails loudly instead of
 * silently serializing.
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {

  /** Every message type of this package. */
  static final List<Class<?>> TYPES = List.of(
    ControlMessages.PlacementPass.class, ControlMessages.PlacementResult.class,
    ControlMessages.ReserveRequest.class, ControlMessages.ReserveResult.class,
    ControlMessages.Release.class, ControlMessages.Claim.class,
    ControlMessages.NodeUp.class, ControlMessages.NodeDown.class, ControlMessages.NodeEligible.class,
    ControlMessages.NodeMetrics.class, ControlMessages.NodeViews.class, ControlMessages.ViewsWanted.class,
    ControlMessages.NodeJoined.class, ControlMessages.JoinClaims.class, ControlMessages.NodeLost.class,
    ControlMessages.RevokeUnstarted.class, ControlMessages.CapacityAvailable.class,
    ControlMessages.MemberLost.class, ControlMessages.EpochChanged.class, ControlMessages.Members.class);

  private final String name;

  private LocalCodec(Class<T> type) {
    this.name = "mastermind-local-" + type.getSimpleName();
  }

  /** Registers the codec of every control-plane message on this event bus, once. */
  public static synchronized void registerAll(EventBus bus) {
    for (Class<?> type : TYPES) {
      register(bus, type);
    }
  }

  private static <T> void register(EventBus bus, Class<T> type) {
    try {
      bus.registerDefaultCodec(type, new LocalCodec<>(type));
    } catch (IllegalStateException alreadyRegistered) {
      // a verticle that leads again on the same Vert.x: the codec is there from the first time
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T message) {
    throw new UnsupportedOperationException(name + " is local only");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(name + " is local only");
  }

  @Override
  public T transform(T message) {
    return message;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
