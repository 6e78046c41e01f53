package io.mastermind.store;

import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskSpec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Test helper: a {@link TaskStore} whose writes stay in flight until the test completes them, so a test
 * decides when a batch is durable. Every batch written is kept, in order.
 */
final class ManualStore implements TaskStore {

  /** One write: the batch as handed over and the promise the test completes. */
  record Write(StoreBatch batch, Promise<Void> promise) {

    List<String> putIds() {
      return batch.puts().stream().map(TaskRecord::id).toList();
    }

    Set<String> removes() {
      return batch.removes();
    }

    boolean done() {
      return promise.future().isComplete();
    }
  }

  final List<Write> writes = new ArrayList<>();
  /** When set, each write succeeds before {@code write} returns (as an in-memory store's does). */
  boolean succeedAtOnce;

  @Override
  public Future<Void> write(StoreBatch batch) {
    // copy: a batch must not change after it is handed over, and the test checks that it does not
    StoreBatch copy = new StoreBatch(batch.epoch(), List.copyOf(batch.puts()), Set.copyOf(batch.removes()));
    Promise<Void> promise = Promise.promise();
    writes.add(new Write(copy, promise));
    if (succeedAtOnce) {
      promise.complete();
    }
    return promise.future();
  }

  @Override
  public Future<StoredTasks> load() {
    return Future.succeededFuture(new StoredTasks(List.of(), List.of(), 0));
  }

  /** Writes not yet completed. */
  List<Write> inFlight() {
    return writes.stream().filter(w -> !w.done()).collect(Collectors.toList());
  }

  Write last() {
    return writes.get(writes.size() - 1);
  }

  /** Completes the only write in flight successfully; fails the test when there is not exactly one. */
  void succeed() {
    single().promise().complete();
  }

  void fail(Throwable cause) {
    single().promise().fail(cause);
  }

  private Write single() {
    List<Write> open = inFlight();
    if (open.size() != 1) {
      throw new AssertionError("expected exactly one write in flight, found " + open.size());
    }
    return open.get(0);
  }

  /** A queued compute/echo record with that id. */
  static TaskRecord record(String id) {
    TaskSpec spec = TaskSpec.fromJson(new JsonObject().put("id", id).put("type", "compute")
      .put("payload", new JsonObject().put("function", "echo").put("data", new JsonObject())));
    return TaskRecord.queued(spec, 1_000);
  }

  /** A later version of the record, told apart by its progress. */
  static TaskRecord version(String id, int version) {
    return record(id).withProgress(version);
  }
}
