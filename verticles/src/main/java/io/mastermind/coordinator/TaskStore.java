package io.mastermind.coordinator;

import io.mastermind.protocol.TaskRecord;
import io.vertx.core.Future;

import java.util.List;

/**
 * Where task records survive the coordinator: in memory when standalone, a replicated map when
 * clustered. The coordinator writes on the transitions that matter (submitted, scheduled, terminal)
 * and reads everything back only when it takes over.
 */
public interface TaskStore {

  Future<Void> put(TaskRecord record);

  Future<Void> remove(String id);

  Future<List<TaskRecord>> all();
}
