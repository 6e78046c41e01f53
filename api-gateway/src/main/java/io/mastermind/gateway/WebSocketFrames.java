package io.mastermind.gateway;

import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.ValidationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The frames of the WebSocket endpoint (SPEC section 6): every {@code op} name and frame key, and the
 * builders of the frames the server sends. Public so that tests and clients spell nothing twice.
 */
public final class WebSocketFrames {

  /** Every frame's operation. */
  public static final String OP = "op";
  /** The client's correlation id, echoed on every frame that answers or follows a request. */
  public static final String REF = "ref";
  /** A task to submit (client), or a status record (server). */
  public static final String TASK = "task";
  /** One live event, as published on the event bus. */
  public static final String EVENT = "event";
  /** Event names or patterns to subscribe to; the active set in {@code subscribed}/{@code unsubscribed}. */
  public static final String EVENTS = "events";
  /** The task id to cancel. */
  public static final String ID = "id";
  /** {@code {"code","message","field"?}}, the same shape as the HTTP API's errors. */
  public static final String ERROR = "error";

  /** The {@code op} of a frame: the first five come from clients, the rest from the server. */
  public enum Op {
    SUBMIT, SUBSCRIBE, UNSUBSCRIBE, CANCEL, PING,
    ACCEPTED, EVENT, RESULT, SUBSCRIBED, UNSUBSCRIBED, CANCELLED, PONG, ERROR;

    private static final Op[] FROM_CLIENT = {SUBMIT, SUBSCRIBE, UNSUBSCRIBE, CANCEL, PING};

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** A client's op (exact, lower case); ValidationException on field {@code op} otherwise. */
    static Op fromClient(String name) {
      for (Op op : FROM_CLIENT) {
        if (op.wireName().equals(name)) {
          return op;
        }
      }
      throw new ValidationException(OP, "op must be one of: "
        + Arrays.stream(FROM_CLIENT).map(Op::wireName).collect(Collectors.joining(", ")) + " (got " + name + ")");
    }
  }

  private WebSocketFrames() {
  }

  static JsonObject accepted(Object ref, JsonObject record) {
    return frame(Op.ACCEPTED, ref).put(TASK, record);
  }

  /** An event that follows a submission ({@code ref} set) or matches a subscription ({@code ref} null, left out). */
  static JsonObject event(Object ref, JsonObject event) {
    return frame(Op.EVENT, ref).put(EVENT, event);
  }

  static JsonObject result(Object ref, JsonObject record) {
    return frame(Op.RESULT, ref).put(TASK, record);
  }

  static JsonObject subscribed(Object ref, Collection<?> active) {
    return frame(Op.SUBSCRIBED, ref).put(EVENTS, names(active));
  }

  static JsonObject unsubscribed(Object ref, Collection<?> active) {
    return frame(Op.UNSUBSCRIBED, ref).put(EVENTS, names(active));
  }

  static JsonObject cancelled(Object ref, JsonObject record) {
    return frame(Op.CANCELLED, ref).put(TASK, record);
  }

  static JsonObject pong(Object ref) {
    return frame(Op.PONG, ref);
  }

  /** Error frames always carry {@code ref}, null when the request had none (or was unreadable). */
  static JsonObject error(Object ref, ApiError error) {
    return new JsonObject().put(OP, Op.ERROR.wireName()).put(REF, ref).put(ERROR, error.toJson());
  }

  static JsonObject error(Object ref, ErrorCode code, String message) {
    return error(ref, new ApiError(code, message));
  }

  private static JsonObject frame(Op op, Object ref) {
    JsonObject frame = new JsonObject().put(OP, op.wireName());
    return ref == null ? frame : frame.put(REF, ref);
  }

  private static JsonArray names(Collection<?> active) {
    return new JsonArray(active.stream().map(String::valueOf).toList());
  }
}
