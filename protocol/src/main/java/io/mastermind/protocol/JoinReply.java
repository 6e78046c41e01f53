package io.mastermind.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** The leader's answer to a {@code node_join}: who leads, its epoch, and held tasks to drop. */
public record JoinReply(String leader, long epoch, List<String> cancel) {

  public JsonObject toJson() {
    return new JsonObject().put("leader", leader).put("epoch", epoch).put("cancel", new JsonArray(new ArrayList<>(cancel)));
  }

  public static JoinReply fromJson(JsonObject json) {
    List<String> cancel = new ArrayList<>();
    json.getJsonArray("cancel", new JsonArray()).forEach(v -> cancel.add(String.valueOf(v)));
    return new JoinReply(json.getString("leader"), json.getLong("epoch", 0L), cancel);
  }
}
