package io.mastermind.gateway;

import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.ValidationException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * The gateway's last word on every failure, so that each one is answered in the API's error shape
 * ({@code {"error":{"code","message"}}}, or a NexusResponse on the Nexus route) with a 4xx when the
 * client caused it, and a 5xx only for an outage or a bug:
 *
 * <table>
 *   <caption>Where failures come from and what answers them</caption>
 *   <tr><th>failure</th><th>caught by</th><th>answer</th></tr>
 *   <tr><td>a request line or header Netty cannot parse, too long a URI or header</td>
 *       <td>{@link #invalidRequest} (the server's invalid-request handler)</td><td>400, 414, 431; connection closed</td></tr>
 *   <tr><td>a bad percent-escape or invalid UTF-8 in the path or query: Vert.x Web fails while matching
 *       routes, before any route runs</td><td>the router's error handler for 400</td><td>400 {@code BAD_REQUEST}</td></tr>
 *   <tr><td>no route (404), wrong method (405), body too large (413), other statuses Vert.x Web sets</td>
 *       <td>the router's error handlers, 400 to 599</td><td>that status</td></tr>
 *   <tr><td>a handler throws or calls {@code fail}</td><td>the route-wide failure handler</td>
 *       <td>by exception type: bad JSON and bad fields 400, event-bus failures by their code, anything
 *       else 500 {@code INTERNAL} (a bug, logged with its stack trace)</td></tr>
 * </table>
 *
 * Client errors are logged at debug, one line without a stack trace; only 5xx are logged as errors.
 */
final class FailureHandler {

  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);
  /** What an answer echoes of the request path at most. */
  private static final int MAX_ECHOED_PATH = 200;

  /** Registers the route-wide failure handler and an error handler for every 4xx and 5xx status. */
  void install(Router router) {
    router.route().failureHandler(ctx -> respond(ctx, ctx.statusCode(), ctx.failure()));
    for (int status = 400; status < 600; status++) {
      int registered = status;
      // ctx.statusCode() is -1 here when Vert.x Web failed while matching (a bad escape): use the registration's
      router.errorHandler(registered, ctx -> respond(ctx, ctx.statusCode() > 0 ? ctx.statusCode() : registered, ctx.failure()));
    }
  }

  /**
   * The HTTP server's handler of requests Netty could not decode: our error shape instead of an empty
   * body, then the connection is closed (what follows a malformed request cannot be trusted).
   */
  static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = cause instanceof TooLongHttpLineException ? 414 : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    String message = switch (status) {
      case 414 -> "the request line is too long";
      case 431 -> "the request headers are too large";
      default -> "the request could not be parsed as HTTP" + (cause == null ? "" : ": " + printable(cause.getMessage()));
    };
    LOG.debug("invalid request from " + request.remoteAddress() + ": " + message);
    HttpErrors.sendAndClose(request, status, ErrorCode.BAD_REQUEST.name(), message);
  }

  private static void respond(RoutingContext ctx, int status, Throwable failure) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    if (failure instanceof DecodeException || failure instanceof ValidationException || failure instanceof ReplyException) {
      debug(ctx, status, failure);
      HttpErrors.fail(ctx, failure);
      return;
    }
    if (failure instanceof HttpException http) {
      status = http.getStatusCode();
    } else if (failure instanceof IllegalArgumentException && (status < 400 || status >= 500)) {
      // a parser of client input (a query string, a header, a number) refused it
      status = 400;
    }
    if (status >= 400 && status < 500) {
      debug(ctx, status, failure);
      clientError(ctx, status, failure);
      return;
    }
    String method = String.valueOf(ctx.request().method());
    LOG.error("internal error answering " + method + " " + echoedPath(ctx), failure);
    HttpErrors.send(ctx, ErrorCode.INTERNAL, "internal error" + (failure == null ? "" : ": " + printable(failure.getMessage())), null);
  }

  private static void clientError(RoutingContext ctx, int status, Throwable failure) {
    String method = String.valueOf(ctx.request().method());
    switch (status) {
      case 400 -> HttpErrors.send(ctx, ErrorCode.BAD_REQUEST, failure == null || failure.getMessage() == null
        ? "the request URI could not be decoded (a bad percent-escape or invalid UTF-8)"
        : "bad request: " + printable(failure.getMessage()), null);
      case 401 -> HttpErrors.send(ctx, ErrorCode.UNAUTHORIZED, "a valid API token is required", null);
      case 404 -> HttpErrors.send(ctx, ErrorCode.NOT_FOUND, "no route for " + method + " " + echoedPath(ctx), null);
      case 405 -> HttpErrors.send(ctx, ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed on " + echoedPath(ctx), null);
      case 413 -> HttpErrors.send(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "body is larger than the limit (http.bodyLimit)", null);
      case 415 -> HttpErrors.send(ctx, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json", null);
      default -> HttpErrors.send(ctx, status, "HTTP_" + status,
        failure == null || failure.getMessage() == null ? "request refused" : printable(failure.getMessage()), null);
    }
  }

  private static void debug(RoutingContext ctx, int status, Throwable failure) {
    if (LOG.isDebugEnabled()) {
      LOG.debug(status + " for " + ctx.request().method() + " " + echoedPath(ctx) + " from " + ctx.request().remoteAddress()
        + (failure == null ? "" : ": " + failure));
    }
  }

  /** The path as sent (not decoded), cut short and without control characters. */
  static String echoedPath(RoutingContext ctx) {
    String path = printable(ctx.request().path());
    return path.length() > MAX_ECHOED_PATH ? path.substring(0, MAX_ECHOED_PATH) + "…" : path;
  }

  /** {@code text} with control characters replaced by {@code ?}. */
  static String printable(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), 512));
    for (int i = 0; i < text.length() && out.length() < 512; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    return out.toString();
  }
}
