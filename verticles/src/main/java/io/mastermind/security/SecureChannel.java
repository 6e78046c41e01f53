package io.mastermind.security;

import io.mastermind.events.SharedJsonCodec;
import io.mastermind.protocol.Envelope;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.MessageType;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * How one component of a node (a verticle, the coordinator client) talks to other nodes: every
 * sender and receiver of a message that may cross the cluster goes through one of these, so what a
 * message looks like on the wire and how it is signed and checked is decided here and in
 * {@link SealedCodec}, nowhere else.
 *
 * <ul>
 *   <li>Signing off ({@link ClusterSecurity#off()}): the messages of today, plain JSON (control-plane
 *       envelopes as {@link Envelope} JSON), taken as they come.</li>
 *   <li>Signing on: every message is a {@link Sealed} (signed by the codec when it leaves the JVM);
 *       a receiver takes only those with an accepted {@link Verdict}, written by the right node
 *       ({@link Author}), for its address or message types, fresh and not seen before (a
 *       {@link ReplayWindow} per channel); a requester takes only a signed answer to that very
 *       request (its nonce). Anything else is refused: counted, logged and alerted by
 *       {@link ClusterSecurity}, and answered with {@link ErrorCode#UNAUTHORIZED} when it expects an
 *       answer.</li>
 * </ul>
 * Not thread-safe on the receiving side (its replay window): one channel per verticle, used on its
 * context. Sending and requests may be used from any thread.
 */
public final class SecureChannel {

  /** Whose key must have signed a message for a receiver to take it. */
  public enum Author {
    /** Any node of the cluster (e.g. a gateway's request to the coordinator). */
    ANY,
    /** The node the message names as its sender (e.g. a worker's heartbeat or results). */
    SENDER,
    /** This channel's own node: a message addressed to it, signed with its key by a holder of the cluster secret. */
    SELF
  }

  private final EventBus bus;
  private final ClusterSecurity security;
  private final String selfId;
  private ReplayWindow replays;

  SecureChannel(EventBus bus, ClusterSecurity security, String selfId) {
    this.bus = bus;
    this.security = security;
    this.selfId = selfId;
  }

  /** The channel of the security installed on {@code bus} (off when none), speaking as {@code selfId}. */
  public static SecureChannel of(EventBus bus, String selfId) {
    return ClusterSecurity.of(bus).channel(bus, selfId);
  }

  public boolean signing() {
    return security.signing();
  }

  public String selfId() {
    return selfId;
  }

  // ---- sending --------------------------------------------------------------------------------

  /**
   * A control-plane envelope. {@code kid}: whose key signs it: the sender's own for what a node says
   * about itself, the receiving node's for what a coordinator tells one node.
   */
  public Object envelope(MessageType type, String sender, String receiver, String kid, JsonObject payload) {
    if (!signing()) {
      return Envelope.of(type, sender, receiver, payload).toJson();
    }
    return seal(type.wireName(), sender, receiver, kid, payload, 0, null);
  }

  /** A request to {@code address} from this node, signed with its own key; body as today when signing is off. */
  public Object call(String address, String receiver, JsonObject payload) {
    return signing() ? seal(address, selfId, receiver, selfId, payload, 0, null) : payload;
  }

  /** As {@link #call(String, String, JsonObject)}, signed with {@code kid}'s key (a coordinator's word to node {@code kid}). */
  public Object callAs(String address, String kid, JsonObject payload) {
    return signing() ? seal(address, selfId, kid, kid, payload, 0, null) : payload;
  }

  /**
   * Request-reply; the answer is refused (failing with a {@link RefusedAnswerException}, code
   * {@link ErrorCode#UNAUTHORIZED}) unless it answers this very request.
   */
  public Future<Opened> request(String address, Object body, DeliveryOptions options) {
    return bus.<Object>request(address, outgoing(body, options), delivery(body, options))
      .compose(reply -> openReply(address, reply, body));
  }

  public void send(String address, Object body) {
    bus.send(address, body);
  }

  public void publish(String address, Object body) {
    bus.publish(address, body);
  }

  /**
   * A sealed body asked to travel with {@link SharedJsonCodec} (handed over, not copied, in the same
   * JVM) travels with the sealed codec instead, handed over likewise; a plain body as asked.
   */
  static Object outgoing(Object body, DeliveryOptions options) {
    return body instanceof Sealed sealed && SharedJsonCodec.NAME.equals(options.getCodecName()) ? sealed.toHandOver() : body;
  }

  /** The options for {@code body}: a sealed body always takes its own codec. */
  static DeliveryOptions delivery(Object body, DeliveryOptions options) {
    return body instanceof Sealed && options.getCodecName() != null ? new DeliveryOptions(options).setCodecName(null) : options;
  }

  Sealed seal(String type, String sender, String receiver, String kid, JsonObject payload, long re, JsonObject headers) {
    long nonce;
    do {
      nonce = ThreadLocalRandom.current().nextLong();
    } while (nonce == 0);
    return new Sealed(type, sender, receiver, kid, payload == null ? new JsonObject() : payload, System.currentTimeMillis(),
      nonce, re, headers, Verdict.LOCAL);
  }

  /** The signed answer to {@code request}: from this node, signed with the request's key, naming its nonce. */
  Sealed answer(Sealed request, JsonObject payload, JsonObject headers) {
    return seal(Sealed.REPLY, selfId, request.sender(), request.kid(), payload, request.nonce(), headers);
  }

  // ---- receiving ------------------------------------------------------------------------------

  /** Requests sent to {@code address} by any node (their type is the address). */
  public MessageConsumer<Object> requests(String address, Handler<Opened> handler) {
    return bus.consumer(address, message -> {
      Opened opened = open(message, false, Author.ANY, Set.of(address));
      if (opened.verdict().accepted()) {
        handler.handle(opened);
      } else {
        refuse(opened);
      }
    });
  }

  /**
   * Control-plane envelopes of {@code types} sent to {@code address}, written by {@code author};
   * {@code refused} (may be null) hears of each message refused, before it is counted and answered.
   */
  public MessageConsumer<Object> envelopes(String address, Author author, Set<MessageType> types, Handler<Opened> handler,
                                           Handler<Opened> refused) {
    Set<String> names = types.stream().map(MessageType::wireName).collect(Collectors.toUnmodifiableSet());
    return bus.consumer(address, message -> {
      Opened opened = open(message, true, author, names);
      if (opened.verdict().accepted()) {
        handler.handle(opened);
      } else {
        if (refused != null) {
          refused.handle(opened); // before the refusal is answered: whoever hears the answer sees its effect
        }
        refuse(opened);
      }
    });
  }

  Opened open(Message<Object> message, boolean enveloped, Author author, Set<String> types) {
    Object body = message.body();
    if (!(body instanceof Sealed sealed)) {
      return new Opened(this, message, null, signing() ? Verdict.UNSIGNED : Verdict.UNCHECKED, enveloped);
    }
    Verdict verdict = sealed.verdict();
    if (verdict == Verdict.LOCAL || verdict == Verdict.VALID) {
      if (!types.contains(sealed.type()) || !authored(sealed, author)) {
        verdict = Verdict.WRONG_IDENTITY;
      } else if (verdict == Verdict.VALID) {
        verdict = switch (replays().accept(sealed.nonce(), sealed.timestamp(), System.currentTimeMillis())) {
          case FRESH -> Verdict.VALID;
          case STALE -> Verdict.STALE;
          case REPLAYED -> Verdict.REPLAYED;
        };
      }
    }
    return new Opened(this, message, sealed, verdict, enveloped);
  }

  private boolean authored(Sealed sealed, Author author) {
    return switch (author) {
      case ANY -> sealed.kid() != null;
      case SENDER -> sealed.kid() != null && sealed.kid().equals(sealed.sender());
      case SELF -> selfId.equals(sealed.kid()) && selfId.equals(sealed.receiver());
    };
  }

  private ReplayWindow replays() {
    if (replays == null) {
      replays = new ReplayWindow(security.maxSkewMs(), System.currentTimeMillis());
    }
    return replays;
  }

  private void refuse(Opened opened) {
    Sealed sealed = opened.sealed();
    security.refused(opened.verdict(), opened.address(), sealed == null ? null : sealed.type(),
      sealed == null ? null : sealed.sender(), sealed == null ? null : sealed.kid());
    if (opened.replyAddress() != null) {
      opened.raw().fail(ErrorCode.UNAUTHORIZED.failureCode(), "message refused: " + opened.verdict().wireName());
    }
  }

  private Future<Opened> openReply(String address, Message<Object> reply, Object request) {
    if (!(request instanceof Sealed asked)) {
      return Future.succeededFuture(new Opened(this, reply, null, Verdict.UNCHECKED, false));
    }
    Object body = reply.body();
    Sealed answer = body instanceof Sealed sealed ? sealed : null;
    Verdict verdict = answer == null ? Verdict.UNSIGNED : answer.verdict();
    if ((verdict == Verdict.LOCAL || verdict == Verdict.VALID) && (!Sealed.REPLY.equals(answer.type())
      || answer.re() != asked.nonce() || !Objects.equals(answer.kid(), asked.kid()))) {
      verdict = Verdict.WRONG_IDENTITY;
    }
    if (!verdict.accepted()) {
      security.refused(verdict, "answer from " + address, answer == null ? null : answer.type(),
        answer == null ? null : answer.sender(), answer == null ? null : answer.kid());
      return Future.failedFuture(new RefusedAnswerException("the answer from " + address + " was refused: "
        + verdict.wireName()));
    }
    return Future.succeededFuture(new Opened(this, reply, answer, verdict, false));
  }
}
