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

  private EventBusBridge() {
  }

  /** The SockJS router to mount with {@code router.route("/eventbus/*").subRouter(...)}. */
  public static Router router(Vertx vertx, BridgeOptions options) {
    SockJSBridgeOptions bridge = options.toSockJSBridgeOptions();
    OUTBOUND.forEach(address -> bridge.addOutboundPermitted(new PermittedOptions().setAddress(address)));
    INBOUND.forEach(address -> bridge.addInboundPermitted(new PermittedOptions().setAddress(address)));
    Router sockjs = SockJSHandler.create(vertx, options.toSockJSHandlerOptions()).bridge(bridge, EventBusBridge::onEvent);
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

  /** Lets every event through the whitelist except inbound traffic that expects no reply. */
  static void onEvent(BridgeEvent event) {
    event.complete(!refused(event.type(), event.getRawMessage()));
  }

  static boolean refused(BridgeEventType type, JsonObject frame) {
    if (type == BridgeEventType.PUBLISH) {
      return true;
    }
    return type == BridgeEventType.SEND && frame != null && INBOUND.contains(frame.getString("address"))
      && frame.getString("replyAddress") == null;
  }
}
