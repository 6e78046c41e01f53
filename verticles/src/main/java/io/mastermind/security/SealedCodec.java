package io.mastermind.security;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.function.LongSupplier;

/**
 * Puts a {@link Sealed} message on the wire signed, and checks it when it comes off: the one place
 * where signing meets encoding.
 *
 * <pre>
 *   int kidLength, kid (UTF-8)     the key id: who signs, chosen before anything is parsed
 *   int jsonLength, json           {"type","sender","receiver","payload","timestamp","nonce","re"?,"headers"?}
 *   byte macLength (0 or 32), mac  HMAC-SHA256 of exactly those json bytes under the kid's key
 * </pre>
 *
 * <p>Cost: the sender encodes the JSON once (as the JSON codec would) and runs one HMAC over those
 * bytes; the receiver runs one HMAC over the received bytes, without copying them, and then parses
 * them (as it would anyway). Inside one JVM nothing is encoded or signed ({@link #transform}). A body that fails a check still decodes, with the verdict saying
 * why, so the receiver can refuse it, count it and alert; decoding never throws.
 */
public final class SealedCodec implements MessageCodec<Sealed, Sealed> {

  public static final String NAME = "mastermind-sealed";

  private final EnvelopeSigner signer;
  private final long maxSkewMs;
  private final LongSupplier clock;

  /** @param signer this node's signer, or null when it does not sign (everything arrives {@link Verdict#UNCHECKED}) */
  public SealedCodec(EnvelopeSigner signer, long maxSkewMs, LongSupplier clock) {
    this.signer = signer;
    this.maxSkewMs = maxSkewMs;
    this.clock = clock;
  }

  @Override
  public void encodeToWire(Buffer buffer, Sealed sealed) {
    byte[] kid = sealed.kid() == null ? new byte[0] : sealed.kid().getBytes(StandardCharsets.UTF_8);
    LinkedHashMap<String, Object> fields = new LinkedHashMap<>(12);
    fields.put("type", sealed.type());
    fields.put("sender", sealed.sender());
    fields.put("receiver", sealed.receiver());
    fields.put("payload", sealed.payload());
    fields.put("timestamp", sealed.timestamp());
    fields.put("nonce", sealed.nonce());
    if (sealed.re() != 0) {
      fields.put("re", sealed.re());
    }
    if (sealed.headers() != null && !sealed.headers().isEmpty()) {
      fields.put("headers", sealed.headers());
    }
    Buffer json = new JsonObject(fields).toBuffer();
    byte[] mac = signer == null || sealed.kid() == null ? null : signer.sign(sealed.kid(), bytes(json));
    buffer.appendInt(kid.length).appendBytes(kid)
      .appendInt(json.length()).appendBuffer(json);
    if (mac == null) {
      buffer.appendByte((byte) 0);
    } else {
      buffer.appendByte((byte) mac.length).appendBytes(mac);
    }
  }

  @Override
  public Sealed decodeFromWire(int pos, Buffer buffer) {
    String kid;
    Buffer json;
    byte[] mac;
    try {
      int kidLength = buffer.getInt(pos);
      pos += 4;
      kid = kidLength == 0 ? null : buffer.getString(pos, pos + kidLength, "UTF-8");
      pos += kidLength;
      int jsonLength = buffer.getInt(pos);
      pos += 4;
      json = buffer.slice(pos, pos + jsonLength);
      pos += jsonLength;
      int macLength = buffer.getByte(pos) & 0xff;
      pos++;
      mac = macLength == 0 ? null : buffer.getBytes(pos, pos + macLength);
    } catch (RuntimeException e) {
      return malformed(null);
    }
    Verdict verdict;
    if (signer == null) {
      verdict = Verdict.UNCHECKED;
    } else if (mac == null) {
      verdict = Verdict.UNSIGNED;
    } else if (!signer.canUse(kid)) {
      verdict = Verdict.UNKNOWN_KEY;
    } else if (!signer.verify(kid, bytes(json), mac)) {
      verdict = Verdict.BAD_SIGNATURE;
    } else {
      verdict = Verdict.VALID;
    }
    Sealed sealed;
    try {
      sealed = parse(json, kid, verdict);
    } catch (RuntimeException e) {
      return malformed(kid);
    }
    if (verdict == Verdict.VALID && !ReplayWindow.fresh(sealed.timestamp(), clock.getAsLong(), maxSkewMs)) {
      return sealed.withVerdict(Verdict.STALE);
    }
    return sealed;
  }

  private static Sealed parse(Buffer bytes, String kid, Verdict verdict) {
    JsonObject json = new JsonObject(bytes);
    Object payload = json.getValue("payload");
    return new Sealed(json.getString("type"), json.getString("sender"), json.getString("receiver"), kid,
      payload instanceof JsonObject object ? object : new JsonObject(), json.getLong("timestamp", 0L),
      json.getLong("nonce", 0L), json.getLong("re", 0L), json.getJsonObject("headers"), verdict);
  }

  private static Sealed malformed(String kid) {
    return new Sealed(null, null, null, kid, new JsonObject(), 0, 0, 0, null, Verdict.MALFORMED);
  }

  /** The bytes as signed: a copy through the public Buffer API (Vert.x's internal buffer is not for applications). */
  private static ByteBuffer bytes(Buffer buffer) {
    return ByteBuffer.wrap(buffer.getBytes());
  }

  /**
   * Inside one JVM: the same message judged {@link Verdict#LOCAL}, its payload copied as the JSON codec
   * copies it (a receiver may change what it got without the sender seeing it), or handed over as it
   * is when the sender said so ({@link Sealed#handedOver}).
   */
  @Override
  public Sealed transform(Sealed sealed) {
    JsonObject payload = sealed.handedOver() || sealed.payload() == null ? sealed.payload() : sealed.payload().copy();
    return new Sealed(sealed.type(), sealed.sender(), sealed.receiver(), sealed.kid(), payload, sealed.timestamp(),
      sealed.nonce(), sealed.re(), sealed.headers(), Verdict.LOCAL, sealed.handedOver());
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
