package io.mastermind.protocol;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Every error code the system answers, with the HTTP status the gateway maps it to. The
 * {@link #failureCode()} travels in {@link ReplyException#failureCode()} across the event bus.
 *
 * <p>A failure code is 4000 + the constant's place here, and browsers, the Nexus and the README rely
 * on those numbers: append a new code at the end, never insert, reorder or remove one.
 */
public enum ErrorCode {
  INVALID_JSON(400),
  INVALID_FIELD(400),
  UNKNOWN_FUNCTION(400),
  UNSATISFIABLE(400),
  UNAUTHORIZED(401),
  NOT_FOUND(404),
  CONFLICT(409),
  ALREADY_FINISHED(409),
  PAYLOAD_TOO_LARGE(413),
  UNAVAILABLE(503),
  INTERNAL(500),

  // Task outcomes (the "error" of a status record), never an HTTP status of their own.
  HANDLER_ERROR(500),
  INVALID_DATA(400),
  TIMEOUT(504),
  CANCELLED(499),
  NODE_LOST(503),

  // WebSocket session limits (SPEC section 6): sent in error frames; appended here so older codes keep their numbers.
  /** A per-socket limit (subscriptions, tasks followed at once) would be exceeded. */
  LIMIT_EXCEEDED(429),
  /** The socket read too slowly and live events were dropped for it. */
  SLOW_CONSUMER(429),

  // Appended (issue 9 / SPEC section 10), like the two above, so that no failure code shifts.
  /** {@code scheduler.maxQueuedTasks} tasks are already queued; nothing was created, try again later. */
  QUEUE_FULL(429),
  /** A task outcome: the handler's result is larger than the worker's {@code maxResultBytes}. */
  RESULT_TOO_LARGE(413),

  // Appended (issue 8 / SPEC section 10: token scopes, Origin and Host checks).
  /**
   * The caller is known but may not do this: its API token lacks the scope the route or operation
   * needs ({@code read}, {@code submit}, {@code admin}), or the request's Origin or Host is not allowed.
   */
  FORBIDDEN(403),

  // Appended (issue 8, hardened gateway): refusals that had only an HTTP status before.
  /** A request the HTTP layer cannot read: a bad percent-escape or invalid UTF-8 in the path, a bad header. */
  BAD_REQUEST(400),
  /** The route exists but not for this method. */
  METHOD_NOT_ALLOWED(405),
  /** A body that is not {@code application/json} where JSON is required (every POST and PUT under {@code /api/}). */
  UNSUPPORTED_MEDIA_TYPE(415);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** Offset keeps our codes apart from Vert.x's own small failure codes. */
  public int failureCode() {
    return 4000 + ordinal();
  }

  public static ErrorCode fromFailureCode(int failureCode) {
    int index = failureCode - 4000;
    ErrorCode[] all = values();
    return index >= 0 && index < all.length ? all[index] : INTERNAL;
  }

  /** A reply failure carrying this code. */
  public ReplyException exception(String message) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, failureCode(), message);
  }

  /** Maps any failure of a request-reply to a code: ours when it carries one, else a transport code. */
  public static ErrorCode of(Throwable failure) {
    if (failure instanceof ValidationException) {
      return INVALID_FIELD;
    }
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.NO_HANDLERS || reply.failureType() == ReplyFailure.TIMEOUT) {
        return UNAVAILABLE;
      }
      return fromFailureCode(reply.failureCode());
    }
    return INTERNAL;
  }
}
