package io.mastermind.api.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The client side of the WebSocket protocol of SPEC section 6 ({@code /api/v1/ws}): one JSON object per
 * text frame, each with an {@code op} and the client's {@code ref}. Used by the remote Java API and the CLI.
 */
public final class WebSocketFrames {

  public static final String PATH = "/api/v1/ws";

  public static final String OP = "op";
  public static final String REF = "ref";
  public static final String SUBSCRIBE = "subscribe";
  public static final String SUBSCRIBED = "subscribed";
  public static final String UNSUBSCRIBE = "unsubscribe";
  public static final String SUBMIT = "submit";
  public static final String ACCEPTED = "accepted";
  public static final String RESULT = "result";
  public static final String EVENT = "event";
  public static final String ERROR = "error";

  private WebSocketFrames() {
  }

  /** {@code {"op":"subscribe","ref":..,"events":[..]}}: answered {@code subscribed}, then {@code event} frames. */
  public static JsonObject subscribe(String ref, List<String> events) {
    return new JsonObject().put(OP, SUBSCRIBE).put(REF, ref).put("events", new JsonArray(List.copyOf(events)));
  }

  public static JsonObject unsubscribe(String ref) {
    return new JsonObject().put(OP, UNSUBSCRIBE).put(REF, ref);
  }

  /** {@code {"op":"submit","ref":..,"task":{..}}}: answered {@code accepted}, the task's events, then {@code result}. */
  public static JsonObject submit(String ref, JsonObject task) {
    return new JsonObject().put(OP, SUBMIT).put(REF, ref).put("task", task);
  }

  /** The frame as JSON, or null when it is not a JSON object (ignored by clients). */
  public static JsonObject parse(String text) {
    try {
      return text != null && text.trim().startsWith("{") ? new JsonObject(text) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  public static String op(JsonObject frame) {
    return frame.getValue(OP) instanceof String op ? op : "";
  }
}
