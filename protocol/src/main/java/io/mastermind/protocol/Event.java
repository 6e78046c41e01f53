package io.mastermind.protocol;

import io.vertx.core.json.JsonObject;

/** One live event: {@code {"event","timestamp","nodeId","taskId","data"}}. */
public record Event(String event, long timestamp, String nodeId, String taskId, JsonObject data) {

  public static Event of(String event, String nodeId, String taskId, JsonObject data) {
    return new Event(event, System.currentTimeMillis(), nodeId, taskId, data == null ? new JsonObject() : data);
  }

  public static Event fromJson(JsonObject json) {
    return new Event(json.getString("event"), json.getLong("timestamp", 0L), json.getString("nodeId"),
      json.getString("taskId"), json.getJsonObject("data", new JsonObject()));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("event", event).put("timestamp", timestamp).put("nodeId", nodeId);
    if (taskId != null) {
      json.put("taskId", taskId);
    }
    return json.put("data", data);
  }
}
