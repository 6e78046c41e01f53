package io.mastermind.store;

import io.vertx.core.Future;

import java.util.List;

/**
 * The standalone store: nothing outlives the process, so nothing is kept twice. The coordinator's own
 * books hold every record; a write is "durable" as soon as it is made, which is all a single node can
 * promise (docs/operations.md: what survives).
 */
public final class TransientTaskStore implements TaskStore {

  @Override
  public Future<Void> write(StoreBatch batch) {
    return Future.succeededFuture();
  }

  @Override
  public Future<StoredTasks> load() {
    return Future.succeededFuture(new StoredTasks(List.of(), List.of(), 0));
  }
}
