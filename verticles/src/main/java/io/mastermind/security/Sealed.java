package io.mastermind.security;

import io.vertx.core.json.JsonObject;

/**
 * A message between nodes as it travels when the cluster secret is set: the envelope of SPEC section 7
 * ({@code type, sender, receiver, payload, timestamp}) plus a random {@code nonce}, the nonce of the
 * request it answers ({@code re}, 0 when not a reply), a few {@code headers} (null when none), and the
 * id of the key that signs it ({@code kid}). {@link SealedCodec} signs it on the way out and sets the
 * {@link #verdict} on the way in; inside one JVM the receiver gets {@link Verdict#LOCAL} and a copy of
 * the payload, or the payload itself when it was sent {@link #handedOver}.
 *
 * <p>For the control-plane envelopes {@code type} is the {@link io.mastermind.protocol.MessageType}
 * wire name; for requests to an address it is that address (so a signed request cannot be replayed to
 * another one); for replies it is {@value #REPLY}.
 */
public record Sealed(String type, String sender, String receiver, String kid, JsonObject payload, long timestamp,
                     long nonce, long re, JsonObject headers, Verdict verdict, boolean handedOver) {

  public static final String REPLY = "reply";

  /** A message whose payload a receiver in the same JVM gets as a copy. */
  public Sealed(String type, String sender, String receiver, String kid, JsonObject payload, long timestamp,
                long nonce, long re, JsonObject headers, Verdict verdict) {
    this(type, sender, receiver, kid, payload, timestamp, nonce, re, headers, verdict, false);
  }

  /** The same message as a receiver judged it. */
  Sealed withVerdict(Verdict judged) {
    return judged == verdict ? this : new Sealed(type, sender, receiver, kid, payload, timestamp, nonce, re, headers, judged,
      handedOver);
  }

  /**
   * The same message, its payload handed over to a receiver in the same JVM instead of copied, as
   * {@link io.mastermind.events.SharedJsonCodec} does for plain JSON: the sender must not change it
   * afterwards, and receivers treat it as read-only. Not on the wire.
   */
  Sealed toHandOver() {
    return handedOver ? this : new Sealed(type, sender, receiver, kid, payload, timestamp, nonce, re, headers, verdict, true);
  }
}
