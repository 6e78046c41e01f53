package io.mastermind.protocol;

import io.vertx.core.json.JsonObject;

/** The {@code error} of a status record. */
public record TaskError(String code, String message) {

  public static TaskError of(ErrorCode code, String message) {
    return new TaskError(code.name(), message);
  }

  public static TaskError fromJson(JsonObject json) {
    return json == null ? null : new TaskError(json.getString("code"), json.getString("message"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("code", code).put("message", message);
  }
}
