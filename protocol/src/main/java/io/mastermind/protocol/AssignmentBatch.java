package io.mastermind.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The payload of a {@code task_assignment}: every task placed on one worker in one scheduling pass,
 * in placement order, stamped with the leader's epoch (a worker refuses an epoch older than one it
 * has seen). The worker answers {@code {"accepted": n}}, or fails the request with
 * {@link ErrorCode#CONFLICT} (stale epoch) or {@link ErrorCode#UNAVAILABLE} (stopping).
 */
public record AssignmentBatch(long epoch, List<Assignment> tasks) {

  public JsonObject toJson() {
    JsonArray array = new JsonArray(new ArrayList<>(tasks.size()));
    tasks.forEach(a -> array.add(a.toJson()));
    return new JsonObject().put("epoch", epoch).put("tasks", array);
  }

  public static AssignmentBatch fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray("tasks", new JsonArray());
    List<Assignment> tasks = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      tasks.add(Assignment.fromJson(array.getJsonObject(i)));
    }
    return new AssignmentBatch(json.getLong("epoch", 0L), tasks);
  }
}
