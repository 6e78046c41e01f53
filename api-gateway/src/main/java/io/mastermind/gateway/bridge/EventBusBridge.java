package io.mastermind.gateway.bridge;

import io.mastermind.protocol.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;

import java.util.List;
import java.util.Locale;

/**
 * The SockJS event-bus bridge of SPEC section 7, a whitelist of two addresses:
 *
 * <table>
 *   <caption>What crosses</caption>
 *   <tr><th>direction</th><th>address</th><th>as</th></tr>
 *   <tr><td>out (register)</td><td>{@value Addresses#EVENTS}</td><td>every live event</td></tr>
 *   <tr><td>in (send with a replyAddress)</td><td>{@value Addresses#GATEWAY_SUBMIT}</td>
 *       <td>a task; the reply is its status record ({@link BridgeSubmitEndpoint})</td></tr>
 * </table>
 *
 * <p>Anything else is refused with the bridge's own snake_case errors: {@code access_denied} for an
 * address off the list, and {@code rejected} for a publish, or a send without a reply address (the
 * inbound address is request-reply only).
 *
 * <p>Then {@link BridgeAccess} decides by the caller (SPEC section 10): a {@code register} needs the
 * {@code read} scope and a submission the {@code submit} scope, and both count against the caller's rate
 * limit. A refused {@code register} is answered {@code rejected}; a refused submission gets a failure reply
 * with the code's failure code ({@code FORBIDDEN} 4020, {@code LIMIT_EXCEEDED} 4016), like any other
 * refused task: the bridge marks it with {@link #REFUSED_HEADER} and {@link BridgeSubmitEndpoint} fails
 * it without looking at it. Clients cannot set that header themselves: it is removed from what they send.
 *
 * <p>The SockJS protocol answers some malformed requests with a 500 and a text body ({@code Payload
 * expected.}, {@code Broken JSON encoding.}, a missing or invalid JSONP {@code callback}, a JSONP send of
 * the wrong content type); the client caused those, so they go out as 400 with the same body. A failure
 * of the server itself (through the routing context's {@code fail}) keeps its 5xx.
 */
public final class EventBusBridge {

  /** Addresses a client may register on. */
  public static final List<String> OUTBOUND = List.of(Addresses.EVENTS);
  /** Addresses a client may send to, with a reply address. */
  public static final List<String> INBOUND = List.of(Addresses.GATEWAY_SUBMIT);
  /** Headers starting with this are the bridge's own; a client's are removed. */
  static final String HEADER_PREFIX = "mastermind-";
  /** Set by the bridge on a submission it refuses: the {@link io.mastermind.protocol.ErrorCode} name. */
  static final String REFUSED_HEADER = HEADER_PREFIX + "refused";
  /** With {@link #REFUSED_HEADER}: the message for the client. */
  static final String REFUSED_MESSAGE_HEADER = HEADER_PREFIX + "refused-message";

  private EventBusBridge() {
  }

  /** The SockJS router to mount with {@code router.route("/eventbus/*").subRouter(...)}, open to every caller. */
  public static Router router(Vertx vertx, BridgeOptions options) {
    return router(vertx, options, BridgeAccess.OPEN);
  }

  /** As {@link #router(Vertx, BridgeOptions)}, asking {@code access} about each client frame. */
  public static Router router(Vertx vertx, BridgeOptions options, BridgeAccess access) {
    SockJSBridgeOptions bridge = options.toSockJSBridgeOptions();
    OUTBOUND.forEach(address -> bridge.addOutboundPermitted(new PermittedOptions().setAddress(address)));
    INBOUND.forEach(address -> bridge.addInboundPermitted(new PermittedOptions().setAddress(address)));
    Router sockjs = SockJSHandler.create(vertx, options.toSockJSHandlerOptions()).bridge(bridge, event -> onEvent(event, access));
    sockjs.route().order(-1).handler(EventBusBridge::clientErrorsAre4xx);
    return sockjs;
  }

  /** Turns the SockJS transports' 500 answers to bad client input into 400 (see the class notes). */
  static void clientErrorsAre4xx(RoutingContext ctx) {
    ctx.addHeadersEndHandler(v -> {
      if (ctx.response().getStatusCode() == 500 && !ctx.failed()) {
        ctx.response().setStatusCode(400).setStatusMessage("Bad Request");
      }
    });
    ctx.next();
  }

  /**
   * Lets every event through the whitelist except inbound traffic that expects no reply, then asks
   * {@code access} about client frames.
   */
  static void onEvent(BridgeEvent event, BridgeAccess access) {
    JsonObject raw = event.getRawMessage();
    if (refused(event.type(), raw)) {
      event.complete(false);
      return;
    }
    if (!isClientFrame(event.type())) {
      event.complete(true);
      return;
    }
    JsonObject headers = ownHeadersRemoved(raw);
    BridgeAccess.Refusal refusal = access.check(event.socket(), event.type(), raw == null ? null : raw.getString("address"));
    if (refusal == null) {
      event.complete(true);
    } else if (event.type() == BridgeEventType.SEND && raw != null && INBOUND.contains(raw.getString("address"))) {
      // through to the endpoint, which fails it with the code: the client's reply handler gets the refusal
      raw.put("headers", headers.put(REFUSED_HEADER, refusal.code().name()).put(REFUSED_MESSAGE_HEADER, refusal.message()));
      event.complete(true);
    } else {
      event.complete(false);
    }
  }

  private static boolean isClientFrame(BridgeEventType type) {
    return type == BridgeEventType.SEND || type == BridgeEventType.PUBLISH || type == BridgeEventType.REGISTER;
  }

  /** The frame's headers without any a client wrote under our prefix (the bridge reads the same object). */
  private static JsonObject ownHeadersRemoved(JsonObject raw) {
    if (raw == null) {
      return new JsonObject();
    }
    if (!(raw.getValue("headers") instanceof JsonObject headers)) {
      raw.remove("headers"); // not an object: the bridge could not read it anyway
      return new JsonObject();
    }
    headers.fieldNames().removeIf(name -> name.toLowerCase(Locale.ROOT).startsWith(HEADER_PREFIX));
    return headers;
  }


  static boolean refused(BridgeEventType type, JsonObject frame) {
    if (type == BridgeEventType.PUBLISH) {
      return true;
    }
    return type == BridgeEventType.SEND && frame != null && INBOUND.contains(frame.getString("address"))
      && frame.getString("replyAddress") == null;
  }
}
