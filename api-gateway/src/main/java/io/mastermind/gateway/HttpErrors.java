package io.mastermind.gateway;

import io.mastermind.protocol.ErrorCode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.OptionalLong;

/**
 * Every error the gateway answers: {@code {"error":{"code","message","field"?}}} with the status of
 * its {@link ErrorCode}. Route handlers call {@link #fail}; nothing writes an error body inline.
 * A refusal that means "try again later" (429, 503) also carries {@code Retry-After}, see
 * {@link #retryAfterSeconds(int)}. On the Nexus route the same error is wrapped in a NexusResponse
 * ({@link NexusRoutes#errorResponse}); {@link FailureHandler} sends whatever no handler answered here.
 */
final class HttpErrors {

  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

  private HttpErrors() {
  }

  /**
   * Answers a failure by its type: bad JSON 400 {@code INVALID_JSON}; a bad field 400
   * {@code INVALID_FIELD}; an event-bus failure by the code it carries (or 503 {@code UNAVAILABLE});
   * an IllegalArgumentException, which Vert.x and the JDK throw for input they cannot parse (a query
   * string with a bad escape, a number), 400 {@code BAD_REQUEST}; anything else is a bug: 500
   * {@code INTERNAL}, logged with its stack trace.
   */
  static void fail(RoutingContext ctx, Throwable failure) {
    if (failure instanceof DecodeException decode) {
      // our own messages ("body is required", "body must be a JSON object") say more than Jackson's
      String message = String.valueOf(decode.getMessage());
      send(ctx, ErrorCode.INVALID_JSON, message.startsWith("body ") ? message
        : decode instanceof JsonBounds.TooDeep ? "body: " + message : "body is not valid JSON", null);
    } else if (failure instanceof IllegalArgumentException) {
      send(ctx, ErrorCode.BAD_REQUEST, "bad request: " + FailureHandler.printable(failure.getMessage()), null);
    } else {
      ApiError error = ApiError.of(failure);
      if (error.code() == ErrorCode.INTERNAL) {
        LOG.error("internal error answering " + ctx.request().method() + " " + FailureHandler.echoedPath(ctx), failure);
      }
      send(ctx, error.code().httpStatus(), error.toJson());
    }
  }

  static void send(RoutingContext ctx, ErrorCode code, String message, String field) {
    send(ctx, code.httpStatus(), code.name(), message, field);
  }

  static void send(RoutingContext ctx, int status, String code, String message, String field) {
    send(ctx, status, ApiError.json(code, message, field));
  }

  private static void send(RoutingContext ctx, int status, JsonObject error) {
    if (ctx.response().ended()) {
      return;
    }
    retryAfter(ctx, status);
    JsonObject body = NexusRoutes.owns(ctx) ? NexusRoutes.errorResponse(ctx, error) : new JsonObject().put("error", error);
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  /**
   * For a request outside the router (refused at the connection, or not parseable as HTTP): the error,
   * then the connection is closed once the answer is written.
   */
  static void sendAndClose(HttpServerRequest request, int status, String code, String message) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    retryAfterSeconds(status).ifPresent(seconds -> response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds)));
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .putHeader(HttpHeaders.CONNECTION, "close")
      .end(new JsonObject().put("error", ApiError.json(code, message, null)).encode())
      .onComplete(done -> request.connection().close());
  }

  /**
   * When a client should try again, in seconds, for an answer of {@code status}: a 429 ({@code
   * QUEUE_FULL}: the queue is at {@code scheduler.maxQueuedTasks}; {@code LIMIT_EXCEEDED}) or a 503
   * ({@code UNAVAILABLE}: no coordinator answered, e.g. during a leader change) refuses for now, not
   * for good, and says so with {@code Retry-After} (RFC 9110, 10.2.3). Nothing else is retried as is.
   */
  static OptionalLong retryAfterSeconds(int status) {
    return status == 429 || status == 503 ? OptionalLong.of(GatewayOptions.RETRY_AFTER_SECONDS) : OptionalLong.empty();
  }

  /**
   * Adds {@code Retry-After} to a response of {@code status} when {@link #retryAfterSeconds(int)} has one,
   * unless the handler already set its own (a rate limit knows when the next permit comes).
   */
  static void retryAfter(RoutingContext ctx, int status) {
    if (!ctx.response().headers().contains(HttpHeaders.RETRY_AFTER)) {
      retryAfterSeconds(status).ifPresent(seconds -> ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds)));
    }
  }
}
