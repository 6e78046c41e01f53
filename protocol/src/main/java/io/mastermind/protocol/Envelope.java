package io.mastermind.protocol;

import io.vertx.core.json.JsonObject;

/** {@code {"type","sender","receiver","payload","timestamp"}}: how control-plane messages travel between nodes. */
public record Envelope(MessageType type, String sender, String receiver, JsonObject payload, long timestamp) {

  public static Envelope of(MessageType type, String sender, String receiver, JsonObject payload) {
    return new Envelope(type, sender, receiver, payload, System.currentTimeMillis());
  }

  public static Envelope fromJson(JsonObject json) {
    return new Envelope(MessageType.parse(json.getString("type")), json.getString("sender"),
      json.getString("receiver"), json.getJsonObject("payload", new JsonObject()), json.getLong("timestamp", 0L));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("type", type.wireName())
      .put("sender", sender)
      .put("receiver", receiver)
      .put("payload", payload)
      .put("timestamp", timestamp);
  }
}
