package io.mastermind.gateway;

import io.mastermind.protocol.WebSocketFrames;
import io.mastermind.protocol.Event;
import io.vertx.core.json.JsonObject;

/**
 * One live event as this gateway's sockets see it: parsed once, and its subscription frame
 * ({@code {"op":"event","event":{...}}}, the same for every subscriber) encoded at most once.
 */
final class LiveEvent {

  private final JsonObject json;
  private final Event event;
  private String subscriptionFrame;

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

  String subscriptionFrame() {
    if (subscriptionFrame == null) {
      subscriptionFrame = WebSocketFrames.event(null, json).encode();
    }
    return subscriptionFrame;
  }
}
