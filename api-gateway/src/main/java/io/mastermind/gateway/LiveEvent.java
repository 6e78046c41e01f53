package io.mastermind.gateway;

import io.mastermind.protocol.EncodedJsonObject;
import io.mastermind.protocol.Event;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * One live event as this gateway's sockets see it: parsed once, and its JSON text encoded at most
 * once, however many sockets follow or subscribe to it.
 *
 * <p>Frames are put together as text around that encoding ({@code {"op":"event","ref":R,"event":E}},
 * {@code {"op":"result","ref":R,"task":D}}) rather than encoded again as JSON objects: a terminal
 * event's data is the task's whole record, and encoding it once for the event frame and once more for
 * the result frame was a visible part of the gateway's cost. The text is what
 * {@link io.mastermind.protocol.WebSocketFrames} would encode, field for field
 * ({@code LiveEventTest} checks).
 */
final class LiveEvent {

  /** Room for a frame's head around what it wraps: op, a client's ref, the field name. */
  private static final int FRAME_HEAD_ROOM = 96;
  /** Room for an event's fields besides its data: name, task and node ids, timestamp. */
  private static final int EVENT_HEAD_ROOM = 224;

  private final JsonObject json;
  private final String name;
  private final String taskId;
  private JsonObject data;
  private String encoded;
  private String dataEncoded;

  /** Reads only what routing needs ({@link Event#fromJson} would read every field of every event). */
  LiveEvent(JsonObject json) {
    this.json = json;
    this.name = json.getString("event");
    this.taskId = json.getString("taskId");
    Object value = json.getValue("data");
    if (value != null && !(value instanceof JsonObject)) {
      throw new IllegalArgumentException("data is not a JSON object");
    }
  }

  String name() {
    return name;
  }

  /** Null for events about nodes and the cluster. */
  String taskId() {
    return taskId;
  }

  /** The event as published. Shared by every socket: read it, never change it. */
  JsonObject json() {
    return json;
  }

  /** For a terminal task event: the final status record; an empty object when the event has none. */
  JsonObject data() {
    if (data == null) {
      data = json.getJsonObject("data", new JsonObject());
    }
    return data;
  }

  /** {@code {"op":"event","event":{...}}}: the frame every subscriber gets. */
  String subscriptionFrame() {
    return "{\"op\":\"event\",\"event\":" + encoded() + "}";
  }

  /** {@code {"op":"event","ref":R,"event":{...}}}: the event frame of a followed submission. */
  String followFrame(Object ref) {
    if (ref == null) {
      return subscriptionFrame();
    }
    String event = encoded();
    // sized for the whole frame: a terminal event carries the task's record, and growing a builder from
    // its default size copied it several times (JFR: a tenth of the leader's allocation went to that)
    return appendValue(new StringBuilder(FRAME_HEAD_ROOM + event.length()).append("{\"op\":\"event\",\"ref\":"), ref)
      .append(",\"event\":").append(event).append('}').toString();
  }

  /** {@code {"op":"result","ref":R,"task":{...}}}: the answer to a submission, from its terminal event. */
  String resultFrame(Object ref) {
    return taskFrame("result", ref, dataEncoded());
  }

  /**
   * {@code {"op":OP,"ref":R,"task":RECORD}} around a record's JSON text (what
   * {@link io.mastermind.protocol.WebSocketFrames#accepted} and {@code result} encode): the record's
   * {@code encode()} is free when the leader handed it over already encoded.
   */
  static String taskFrame(String op, Object ref, String recordText) {
    StringBuilder text = new StringBuilder(FRAME_HEAD_ROOM + recordText.length()).append("{\"op\":\"").append(op).append("\",");
    if (ref != null) {
      appendValue(text.append("\"ref\":"), ref).append(',');
    }
    return text.append("\"task\":").append(recordText).append('}').toString();
  }

  /** The event's JSON text; its data encoded once and shared with {@link #resultFrame}. */
  private String encoded() {
    if (encoded == null) {
      if (json.getValue("data") == null) { // the constructor let through only an object or nothing
        encoded = json.encode();
      } else {
        StringBuilder text = new StringBuilder(EVENT_HEAD_ROOM + dataEncoded().length()).append('{');
        for (Map.Entry<String, Object> field : json.getMap().entrySet()) {
          if (!"data".equals(field.getKey())) {
            appendString(text, field.getKey()).append(':');
            appendValue(text, field.getValue()).append(',');
          }
        }
        encoded = text.append("\"data\":").append(dataEncoded()).append('}').toString();
      }
    }
    return encoded;
  }

  /** Head fields and refs are short names, ids and numbers: written as they are, anything else by Jackson. */
  private static StringBuilder appendValue(StringBuilder text, Object value) {
    if (value instanceof String string) {
      return appendString(text, string);
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Boolean || value == null) {
      return text.append(value);
    }
    return text.append(Json.encode(value));
  }

  private static StringBuilder appendString(StringBuilder text, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) {
        return text.append(Json.encode(value)); // needs escaping (or is not ASCII): Jackson's rules
      }
    }
    return text.append('"').append(value).append('"');
  }

  /**
   * The data's text: as handed over when the leader encoded it (a terminal record), written here when it
   * is flat (the small data of {@code task:submitted}, {@code task:started}: Jackson's set-up per call
   * cost more than the writing), else encoded by Jackson.
   */
  private String dataEncoded() {
    if (dataEncoded == null) {
      JsonObject value = data();
      String flat = value instanceof EncodedJsonObject ? null : flatText(value);
      dataEncoded = flat != null ? flat : value.encode();
    }
    return dataEncoded;
  }

  /** The object's text when every value is a string, an integer, a boolean or null; else null. */
  private static String flatText(JsonObject json) {
    StringBuilder text = new StringBuilder(64).append('{');
    for (Map.Entry<String, Object> field : json.getMap().entrySet()) {
      Object v = field.getValue();
      if (!(v == null || v instanceof String || v instanceof Integer || v instanceof Long || v instanceof Boolean)) {
        return null;
      }
      if (text.length() > 1) {
        text.append(',');
      }
      appendString(text, field.getKey()).append(':');
      appendValue(text, v);
    }
    return text.append('}').toString();
  }
}
