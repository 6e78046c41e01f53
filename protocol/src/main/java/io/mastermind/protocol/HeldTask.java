package io.mastermind.protocol;

import io.vertx.core.json.JsonObject;

/**
 * A task a worker still holds when it (re)joins a leader: assigned and waiting, running, or
 * {@code finished} with an outcome not yet acknowledged. The leader claims it back or tells the
 * worker to drop it.
 */
public record HeldTask(String taskId, int attempt, boolean started, boolean finished) {

  public JsonObject toJson() {
    return new JsonObject().put("taskId", taskId).put("attempt", attempt).put("started", started)
      .put("finished", finished);
  }

  public static HeldTask fromJson(JsonObject json) {
    return new HeldTask(json.getString("taskId"), json.getInteger("attempt", -1), json.getBoolean("started", false),
      json.getBoolean("finished", false));
  }
}
