package io.mastermind.gateway;

import io.mastermind.protocol.ErrorCode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.OptionalLong;

/**
 * Every error the gateway answers: {@code {"error":{"code","message","field"?}}} with the status of
 * its {@link ErrorCode}. Route handlers call {@link #fail}; nothing writes an error body inline.
 * A refusal that means "try again later" (429, 503) also carries {@code Retry-After}, see
 * {@link #retryAfterSeconds(int)}.
 */
final class HttpErrors {

  private HttpErrors() {
  }

  static void fail(RoutingContext ctx, Throwable failure) {
    if (failure instanceof DecodeException decode) {
      // our own messages ("body is required", "body must be a JSON object") say more than Jackson's
      String message = String.valueOf(decode.getMessage());
      send(ctx, ErrorCode.INVALID_JSON, message.startsWith("body ") ? message : "body is not valid JSON", null);
    } else {
      ApiError error = ApiError.of(failure);
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
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
      .end(new JsonObject().put("error", error).encode());
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

  /** The router's last resort: statuses Vert.x Web sets itself (404, 405, 413) get our error shape. */
  static void onRouterFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = ctx.statusCode();
    if (failure != null && status < 0) {
      fail(ctx, failure);
      return;
    }
    switch (status) {
      case 404 -> send(ctx, ErrorCode.NOT_FOUND, "no route for " + ctx.request().method() + " " + ctx.request().path(), null);
      case 405 -> send(ctx, 405, "METHOD_NOT_ALLOWED", ctx.request().method() + " is not allowed on " + ctx.request().path(), null);
      case 413 -> send(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "body is larger than the limit", null);
      case 400 -> send(ctx, ErrorCode.INVALID_JSON, failure == null ? "bad request" : failure.getMessage(), null);
      default -> send(ctx, status < 0 ? 500 : status, status >= 500 || status < 0 ? ErrorCode.INTERNAL.name() : "HTTP_" + status,
        failure == null ? "request failed" : failure.getMessage(), null);
    }
  }
}
