package io.mastermind.gateway;

import io.mastermind.protocol.ErrorCode;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Every error the gateway answers: {@code {"error":{"code","message","field"?}}} with the status of
 * its {@link ErrorCode}. Route handlers call {@link #fail}; nothing writes an error body inline.
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
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
      .end(new JsonObject().put("error", error).encode());
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
