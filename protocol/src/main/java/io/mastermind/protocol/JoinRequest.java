package io.mastermind.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The payload of a {@code node_join}: the worker's {@link NodeConfig} fields, the tasks it holds,
 * how many tasks it takes beyond what its free resources can start at once ({@code prefetch}: its
 * credits), and the highest leader epoch it has seen (a new leader's epoch must exceed it).
 */
public record JoinRequest(NodeConfig config, List<HeldTask> held, int prefetch, long epoch) {

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    held.forEach(h -> array.add(h.toJson()));
    return config.toJson().put("running", array).put("prefetch", prefetch).put("epoch", epoch);
  }

  public static JoinRequest fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray("running", new JsonArray());
    List<HeldTask> held = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      held.add(HeldTask.fromJson(array.getJsonObject(i)));
    }
    return new JoinRequest(NodeConfig.fromJson(json), held, json.getInteger("prefetch", 0), json.getLong("epoch", 0L));
  }
}
