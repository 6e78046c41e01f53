package io.mastermind.security;

import io.mastermind.protocol.Envelope;
import io.mastermind.protocol.MessageType;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * A message as a {@link SecureChannel} took it: its body is the JSON payload (whether it travelled
 * sealed or plain), {@link #reply} signs the answer to a sealed request, and {@link #verdict} says how
 * far its origin was checked. Handlers written against {@code Message<JsonObject>} take it as is.
 */
public final class Opened implements Message<JsonObject> {

  private final SecureChannel channel;
  private final Message<Object> raw;
  private final Sealed sealed;
  private final Verdict verdict;
  /** A control-plane envelope: plain, its JSON is the whole envelope and the body is its payload. */
  private final boolean enveloped;
  private Envelope envelope;
  private MultiMap headers;

  Opened(SecureChannel channel, Message<Object> raw, Sealed sealed, Verdict verdict, boolean enveloped) {
    this.channel = channel;
    this.raw = raw;
    this.sealed = sealed;
    this.verdict = verdict;
    this.enveloped = enveloped;
  }

  public Verdict verdict() {
    return verdict;
  }

  /** The sealed form, or null when it travelled as plain JSON. */
  public Sealed sealed() {
    return sealed;
  }

  Message<Object> raw() {
    return raw;
  }

  /** The node whose key signed it, or null when unsigned. */
  public String kid() {
    return sealed == null ? null : sealed.kid();
  }

  /**
   * The control-plane envelope.
   *
   * @throws RuntimeException when a plain body is not an envelope (the type is checked for sealed ones)
   */
  public Envelope envelope() {
    if (envelope == null) {
      envelope = sealed != null
        ? new Envelope(MessageType.parse(sealed.type()), sealed.sender(), sealed.receiver(), sealed.payload(), sealed.timestamp())
        : Envelope.fromJson((JsonObject) raw.body());
    }
    return envelope;
  }

  /** Who it says it is from (the envelope's or request's sender), or null when a plain request does not say. */
  public String sender() {
    if (sealed != null) {
      return sealed.sender();
    }
    return enveloped && raw.body() instanceof JsonObject json ? json.getString("sender") : null;
  }

  @Override
  public String address() {
    return raw.address();
  }

  /**
   * The headers the message travelled with, outside any signature: for what decides nothing, such as a
   * trace context ({@link #headers()} of a signed message are the signed ones only).
   */
  public MultiMap wireHeaders() {
    return raw.headers();
  }

  @Override
  public MultiMap headers() {
    if (sealed == null) {
      return raw.headers();
    }
    if (headers == null) {
      headers = MultiMap.caseInsensitiveMultiMap();
      if (sealed.headers() != null) {
        for (Map.Entry<String, Object> e : sealed.headers()) {
          headers.add(e.getKey(), String.valueOf(e.getValue()));
        }
      }
    }
    return headers;
  }

  @Override
  public JsonObject body() {
    if (sealed != null) {
      return sealed.payload();
    }
    return enveloped ? envelope().payload() : (JsonObject) raw.body();
  }

  @Override
  public String replyAddress() {
    return raw.replyAddress();
  }

  @Override
  public boolean isSend() {
    return raw.isSend();
  }

  /** Answers; the answer to a sealed request is sealed too (a failure travels as it is: it decides nothing). */
  @Override
  public void reply(Object message, DeliveryOptions options) {
    if (sealed == null || !(message == null || message instanceof JsonObject)) {
      raw.reply(message, options);
      return;
    }
    JsonObject headerJson = null;
    if (options.getHeaders() != null && !options.getHeaders().isEmpty()) {
      headerJson = new JsonObject();
      for (Map.Entry<String, String> e : options.getHeaders()) {
        headerJson.put(e.getKey(), e.getValue());
      }
    }
    Sealed answer = channel.answer(sealed, (JsonObject) message, headerJson);
    DeliveryOptions plain = new DeliveryOptions(options).setHeaders(null); // the headers travel signed, inside
    raw.reply(SecureChannel.outgoing(answer, plain), SecureChannel.delivery(answer, plain));
  }

  @Override
  public <R> Future<Message<R>> replyAndRequest(Object message, DeliveryOptions options) {
    return raw.replyAndRequest(message, options);
  }
}
