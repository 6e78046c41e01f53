package io.mastermind.protocol;

import io.vertx.core.json.JsonObject;

/** One task handed to a worker: the task as submitted and which attempt this is. */
public record Assignment(TaskSpec spec, int attempt) {

  public JsonObject toJson() {
    return new JsonObject().put("task", spec.toJson()).put("attempt", attempt);
  }

  public static Assignment fromJson(JsonObject json) {
    return new Assignment(TaskSpec.fromJson(json.getJsonObject("task")), json.getInteger("attempt", 1));
  }
}
