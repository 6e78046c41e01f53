package io.mastermind.api;

import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.ValidationException;
import io.vertx.core.json.JsonObject;

/**
 * A refused or failed call of the Java API, carrying the system's {@link ErrorCode}: the same code the
 * HTTP API answers in {@code {"error":{"code","message","field"?}}}, in both the embedded and the remote
 * mode. A task that runs and fails is not an exception: {@code executeTask} completes with its record.
 */
public class DistributedSystemException extends RuntimeException {

  private final ErrorCode code;
  private final String codeName;
  private final String field;
  private final int httpStatus;
  private final String reason;

  public DistributedSystemException(ErrorCode code, String message) {
    this(code, code.name(), message, null, code.httpStatus(), null);
  }

  public DistributedSystemException(ErrorCode code, String codeName, String message, String field, int httpStatus,
                                    Throwable cause) {
    super(code.name().equals(codeName) ? code + ": " + message : codeName + ": " + message, cause);
    this.code = code;
    this.codeName = codeName;
    this.field = field;
    this.httpStatus = httpStatus;
    this.reason = message;
  }

  /** Our code; a code this client does not know (from a newer gateway) is {@link ErrorCode#INTERNAL} or mapped by status. */
  public ErrorCode code() {
    return code;
  }

  /** The code exactly as the system spelled it (e.g. {@code METHOD_NOT_ALLOWED}, which has no enum constant). */
  public String codeName() {
    return codeName;
  }

  /** The offending field (dotted path) for {@code INVALID_FIELD}, else null. */
  public String field() {
    return field;
  }

  /** The HTTP status the gateway answered, or the one the code maps to in embedded mode. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The message without the code prefix. */
  public String reason() {
    return reason;
  }

  /** A failure of an event-bus request, or local validation, as one of ours. */
  public static DistributedSystemException from(Throwable failure) {
    if (failure instanceof DistributedSystemException own) {
      return own;
    }
    if (failure instanceof ValidationException invalid) {
      return new DistributedSystemException(ErrorCode.INVALID_FIELD, ErrorCode.INVALID_FIELD.name(), invalid.getMessage(),
        invalid.field(), ErrorCode.INVALID_FIELD.httpStatus(), invalid);
    }
    ErrorCode code = ErrorCode.of(failure);
    return new DistributedSystemException(code, code.name(), String.valueOf(failure.getMessage()), null, code.httpStatus(),
      failure);
  }

  /** An HTTP error answer ({@code status} >= 400) with the gateway's error body, or whatever body came. */
  public static DistributedSystemException fromHttp(int status, JsonObject body) {
    JsonObject error = body == null ? null : body.getJsonObject("error");
    String name = error == null ? null : error.getString("code");
    String message = error == null ? "HTTP " + status : error.getString("message", name);
    ErrorCode code = known(name);
    if (code == null) {
      code = byStatus(status);
    }
    return new DistributedSystemException(code, name == null ? code.name() : name, message,
      error == null ? null : error.getString("field"), status, null);
  }

  private static ErrorCode known(String name) {
    if (name == null) {
      return null;
    }
    try {
      return ErrorCode.valueOf(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static ErrorCode byStatus(int status) {
    return switch (status) {
      case 400 -> ErrorCode.INVALID_JSON;
      case 401, 403 -> ErrorCode.UNAUTHORIZED;
      case 404 -> ErrorCode.NOT_FOUND;
      case 409 -> ErrorCode.CONFLICT;
      case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
      case 502, 503, 504 -> ErrorCode.UNAVAILABLE;
      default -> ErrorCode.INTERNAL;
    };
  }
}
