package io.mastermind.gateway;

import io.mastermind.protocol.Event;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;

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

  private final JsonObject json;
  private final Event event;
  private String encoded;
  private String dataEncoded;

  LiveEvent(JsonObject json) {
    this.json = json;
    this.event = Event.fromJson(json);
  }

  String name() {
    return event.event();
  }

  /** Null for events about nodes and the cluster. */
  String taskId() {
    return event.taskId();
  }

  /** The event as published. Shared by every socket: read it, never change it. */
  JsonObject json() {
    return json;
  }

  /** For a terminal task event: the final status record. */
  JsonObject data() {
    return event.data();
  }

  /** {@code {"op":"event","event":{...}}}: the frame every subscriber gets. */
  String subscriptionFrame() {
    return "{\"op\":\"event\",\"event\":" + encoded() + "}";
  }

  /** {@code {"op":"event","ref":R,"event":{...}}}: the event frame of a followed submission. */
  String followFrame(Object ref) {
    return ref == null ? subscriptionFrame() : "{\"op\":\"event\",\"ref\":" + encodeRef(ref) + ",\"event\":" + encoded() + "}";
  }

  /** {@code {"op":"result","ref":R,"task":{...}}}: the answer to a submission, from its terminal event. */
  String resultFrame(Object ref) {
    String task = data() == null ? "null" : dataEncoded();
    return ref == null ? "{\"op\":\"result\",\"task\":" + task + "}"
      : "{\"op\":\"result\",\"ref\":" + encodeRef(ref) + ",\"task\":" + task + "}";
  }

  /** The event's JSON text; its data encoded once and shared with {@link #resultFrame}. */
  private String encoded() {
    if (encoded == null) {
      Object data = json.getValue("data");
      if (!(data instanceof JsonObject) || data != event.data()) {
        encoded = json.encode();
      } else {
        LinkedHashMap<String, Object> head = new LinkedHashMap<>(json.getMap());
        head.remove("data");
        String text = new JsonObject(head).encode();
        String prefix = head.isEmpty() ? "{" : text.substring(0, text.length() - 1) + ",";
        encoded = prefix + "\"data\":" + dataEncoded() + "}";
      }
    }
    return encoded;
  }

  private String dataEncoded() {
    if (dataEncoded == null) {
      dataEncoded = data().encode();
    }
    return dataEncoded;
  }

  private static String encodeRef(Object ref) {
    return ref instanceof Integer || ref instanceof Long ? ref.toString() : Json.encode(ref);
  }
}
