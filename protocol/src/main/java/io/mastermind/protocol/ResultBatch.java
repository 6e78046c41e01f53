package io.mastermind.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The payload of a {@code result_update}: a worker's reports of the last millisecond or two, oldest
 * first (so the reports of one task stay in order). The leader answers with a {@link ResultAck} once
 * every outcome in it is durable or refused.
 */
public record ResultBatch(List<TaskUpdate> updates) {

  public JsonObject toJson() {
    JsonArray array = new JsonArray(new ArrayList<>(updates.size()));
    updates.forEach(u -> array.add(u.toJson()));
    return new JsonObject().put("updates", array);
  }

  public static ResultBatch fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray("updates", new JsonArray());
    List<TaskUpdate> updates = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      updates.add(TaskUpdate.fromJson(array.getJsonObject(i)));
    }
    return new ResultBatch(updates);
  }
}
