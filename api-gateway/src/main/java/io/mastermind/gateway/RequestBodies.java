package io.mastermind.gateway;

import io.mastermind.protocol.ValidationException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reading the untrusted parts of a request: the JSON body and numeric query parameters. */
final class RequestBodies {

  private RequestBodies() {
  }

  /**
   * The body as a JSON object; DecodeException when it is missing, malformed or not an object. Under
   * {@code /api/} the {@link RequestGuard} has decoded it already and checked its bounds.
   */
  static JsonObject jsonObject(RoutingContext ctx) {
    Object value = ctx.get(RequestGuard.DECODED_BODY);
    if (value == null) {
      Buffer body = ctx.body().buffer();
      if (body == null || body.length() == 0) {
        throw new DecodeException("body is required");
      }
      value = Json.decodeValue(body);
    }
    if (!(value instanceof JsonObject object)) {
      throw new DecodeException("body must be a JSON object");
    }
    return object;
  }

  /** An optional whole-number query parameter within [min, max]. */
  static Long queryLong(RoutingContext ctx, String name, long min, long max) {
    String raw = ctx.request().getParam(name);
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    try {
      long value = Long.parseLong(raw.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new ValidationException(name, name + " must be a whole number between " + min + " and " + max + " (got " + raw + ")");
  }
}
