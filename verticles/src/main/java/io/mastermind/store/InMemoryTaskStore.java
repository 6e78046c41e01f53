package io.mastermind.store;

import io.mastermind.protocol.TaskRecord;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The standalone store: records live as long as the process, so a write is durable at once. */
public final class InMemoryTaskStore implements TaskStore {

  private final Map<String, TaskRecord> records = new ConcurrentHashMap<>();
  private volatile long epoch;

  @Override
  public Future<Void> write(StoreBatch batch) {
    if (batch.epoch() < epoch) {
      return Future.failedFuture(new FencedException(batch.epoch(), epoch));
    }
    epoch = batch.epoch();
    batch.removes().forEach(records::remove); // removals first: a task removed and written again keeps the put
    batch.puts().forEach(r -> records.put(r.id(), r));
    return Future.succeededFuture();
  }

  @Override
  public Future<StoredTasks> load() {
    return Future.succeededFuture(new StoredTasks(List.copyOf(records.values()), List.of(), epoch));
  }
}
