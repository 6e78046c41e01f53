package io.mastermind.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The frames of the WebSocket endpoint (SPEC section 6): one JSON object per text frame, each with an
 * {@code op} and, when it answers or follows a request, the client's {@code ref}. Every op name and
 * frame key, the builders of the frames the server sends and of those a client sends: the gateway,
 * the remote Java client and the CLI all speak through this one class.
 */
public final class WebSocketFrames {

  /** Where the gateway serves the endpoint unless {@code http.websocket.path} says otherwise. */
  public static final String DEFAULT_PATH = "/api/v1/ws";

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

    // computed once: wire names are written for every task and event
    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
      return wireName;
    }

    /** A client's op (exact, lower case); ValidationException on field {@code op} otherwise. */
    public static Op fromClient(String name) {
      for (Op op : FROM_CLIENT) {
        if (op.wireName().equals(name)) {
          return op;
        }
      }
      throw new ValidationException(OP, "op must be one of: "
        + Arrays.stream(FROM_CLIENT).map(Op::wireName).collect(Collectors.joining(", ")) + " (got " + name + ")");
    }

    /** Any op by its wire name (exact, lower case), or null: what a client reads from a server's frame. */
    public static Op ofWireName(Object name) {
      for (Op op : values()) {
        if (op.wireName().equals(name)) {
          return op;
        }
      }
      return null;
    }
  }

  private WebSocketFrames() {
  }

  // The frames a client sends.

  /** {@code {"op":"submit","ref":..,"task":{..}}}: answered {@code accepted}, the task's events, then {@code result}. */
  public static JsonObject submit(Object ref, JsonObject task) {
    return frame(Op.SUBMIT, ref).put(TASK, task);
  }

  /** {@code {"op":"subscribe","ref":..,"events":[..]}}: answered {@code subscribed}, then {@code event} frames. */
  public static JsonObject subscribe(Object ref, List<String> events) {
    return frame(Op.SUBSCRIBE, ref).put(EVENTS, new JsonArray(List.copyOf(events)));
  }

  /** Without {@code events}: drops every subscription of the socket. */
  public static JsonObject unsubscribe(Object ref) {
    return frame(Op.UNSUBSCRIBE, ref);
  }

  /** {@code {"op":"cancel","ref":..,"id":..}}: answered {@code cancelled} with the record. */
  public static JsonObject cancel(Object ref, String taskId) {
    return frame(Op.CANCEL, ref).put(ID, taskId);
  }

  // The frames the server sends.

  public static JsonObject accepted(Object ref, JsonObject record) {
    return frame(Op.ACCEPTED, ref).put(TASK, record);
  }

  /** An event that follows a submission ({@code ref} set) or matches a subscription ({@code ref} null, left out). */
  public static JsonObject event(Object ref, JsonObject event) {
    return frame(Op.EVENT, ref).put(EVENT, event);
  }

  public static JsonObject result(Object ref, JsonObject record) {
    return frame(Op.RESULT, ref).put(TASK, record);
  }

  public static JsonObject subscribed(Object ref, Collection<?> active) {
    return frame(Op.SUBSCRIBED, ref).put(EVENTS, names(active));
  }

  public static JsonObject unsubscribed(Object ref, Collection<?> active) {
    return frame(Op.UNSUBSCRIBED, ref).put(EVENTS, names(active));
  }

  public static JsonObject cancelled(Object ref, JsonObject record) {
    return frame(Op.CANCELLED, ref).put(TASK, record);
  }

  public static JsonObject pong(Object ref) {
    return frame(Op.PONG, ref);
  }

  /** Error frames always carry {@code ref}, null when the request had none (or was unreadable). */
  public static JsonObject error(Object ref, JsonObject error) {
    return new JsonObject().put(OP, Op.ERROR.wireName()).put(REF, ref).put(ERROR, error);
  }

  public static JsonObject error(Object ref, ErrorCode code, String message) {
    return error(ref, new JsonObject().put("code", code.name()).put("message", message == null ? code.name() : message));
  }

  // Reading frames.

  /** The frame as JSON, or null when it is not a JSON object (ignored by clients). */
  public static JsonObject parse(String text) {
    try {
      return text != null && text.trim().startsWith("{") ? new JsonObject(text) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The frame's op, or null when it has none this protocol knows. */
  public static Op op(JsonObject frame) {
    return Op.ofWireName(frame.getValue(OP));
  }

  private static JsonObject frame(Op op, Object ref) {
    JsonObject frame = new JsonObject().put(OP, op.wireName());
    return ref == null ? frame : frame.put(REF, ref);
  }

  private static JsonArray names(Collection<?> active) {
    return new JsonArray(active.stream().map(String::valueOf).toList());
  }
}
