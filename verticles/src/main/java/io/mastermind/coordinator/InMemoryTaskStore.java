package io.mastermind.coordinator;

import io.mastermind.protocol.TaskRecord;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The standalone store: records live as long as the process. */
public final class InMemoryTaskStore implements TaskStore {

  private final Map<String, TaskRecord> records = new ConcurrentHashMap<>();

  @Override
  public Future<Void> put(TaskRecord record) {
    records.put(record.id(), record);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> remove(String id) {
    records.remove(id);
    return Future.succeededFuture();
  }

  @Override
  public Future<List<TaskRecord>> all() {
    return Future.succeededFuture(List.copyOf(records.values()));
  }
}
