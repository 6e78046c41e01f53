package io.mastermind.gateway;

import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.ValidationException;
import io.vertx.core.json.JsonObject;

/**
 * One error as the API reports it, over HTTP ({@code {"error": ...}}) and in WebSocket error frames:
 * {@code {"code","message","field"?}}. The one place that spells those keys.
 */
record ApiError(ErrorCode code, String message, String field) {

  static final String CODE = "code";
  static final String MESSAGE = "message";
  static final String FIELD = "field";

  ApiError(ErrorCode code, String message) {
    this(code, message, null);
  }

  /** A validation failure names its field; an event-bus failure carries its code (or means the coordinator is unavailable). */
  static ApiError of(Throwable failure) {
    ErrorCode code = ErrorCode.of(failure);
    String field = failure instanceof ValidationException v ? v.field() : null;
    String message = code == ErrorCode.UNAVAILABLE
      ? "the coordinator did not answer: " + failure.getMessage()
      : failure.getMessage();
    return new ApiError(code, message, field);
  }

  JsonObject toJson() {
    return json(code.name(), message, field);
  }

  /** The same shape for the few HTTP-only codes that have no {@link ErrorCode} (405, 426, ...). */
  static JsonObject json(String code, String message, String field) {
    JsonObject error = new JsonObject().put(CODE, code).put(MESSAGE, message == null ? code : message);
    if (field != null) {
      error.put(FIELD, field);
    }
    return error;
  }
}
