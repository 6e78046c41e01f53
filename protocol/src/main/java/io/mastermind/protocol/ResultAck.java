package io.mastermind.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The leader's answer to a {@link ResultBatch}, by task id: {@code acked} outcomes are durable (the
 * worker forgets them); {@code refused} ones are stale (not the attempt the leader has placed there, or
 * the task already ended) and were not applied (the worker forgets them too). An outcome in neither
 * list could not be stored yet: the worker sends it again.
 */
public record ResultAck(List<String> acked, List<String> refused) {

  public JsonObject toJson() {
    return new JsonObject().put("acked", new JsonArray(new ArrayList<>(acked)))
      .put("refused", new JsonArray(new ArrayList<>(refused)));
  }

  public static ResultAck fromJson(JsonObject json) {
    return new ResultAck(strings(json.getJsonArray("acked")), strings(json.getJsonArray("refused")));
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> out.add(String.valueOf(v)));
    }
    return out;
  }
}
