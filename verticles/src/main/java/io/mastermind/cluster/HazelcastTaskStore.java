package io.mastermind.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.mastermind.coordinator.TaskStore;
import io.mastermind.protocol.TaskRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Task records in a Hazelcast map with one synchronous backup, stored as JSON text (no Java
 * serialization across the cluster). Writes use the async API so the coordinator's event loop never
 * waits on the network; reading everything back happens once, when a coordinator takes over.
 */
public final class HazelcastTaskStore implements TaskStore {

  private final Vertx vertx;
  private final IMap<String, String> records;

  public HazelcastTaskStore(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.records = hazelcast.getMap(HazelcastConfigFactory.TASKS_MAP);
  }

  @Override
  public Future<Void> put(TaskRecord record) {
    return Future.fromCompletionStage(records.setAsync(record.id(), record.toStoreJson().encode()),
      vertx.getOrCreateContext());
  }

  @Override
  public Future<Void> remove(String id) {
    return Future.fromCompletionStage(records.removeAsync(id), vertx.getOrCreateContext()).mapEmpty();
  }

  @Override
  public Future<List<TaskRecord>> all() {
    return vertx.executeBlocking(() -> {
      List<TaskRecord> all = new ArrayList<>();
      for (String json : records.values()) {
        all.add(TaskRecord.fromStoreJson(new JsonObject(json)));
      }
      return all;
    });
  }
}
