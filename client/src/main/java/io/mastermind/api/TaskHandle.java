package io.mastermind.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

/**
 * A submitted task: its id and accepted record at once, its end later. Returned by
 * {@link DistributedSystem#submit(JsonObject)}, whose future completes once the task is stored
 * (SPEC: accepted means durable), so many submissions can be in flight without each holding a
 * connection until its task ends.
 *
 * <p>Plain Java: {@code handle.result().toCompletionStage()} is a {@link java.util.concurrent.CompletionStage}.
 */
public interface TaskHandle {

  /** The task's id: the one submitted, or the one the system gave it. */
  String id();

  /** The status record as accepted ({@code queued}, or the existing record when the id was known). */
  JsonObject accepted();

  /**
   * The final status record once the task ended, whatever the outcome ({@code status} says which);
   * fails with {@code TIMEOUT} after {@link DistributedSystemOptions#getExecuteTimeoutMs()} (the task
   * keeps running). The same future on every call.
   */
  Future<JsonObject> result();

  /** {@link #result()} as a typed {@link StatusRecord}. */
  default Future<StatusRecord> end() {
    return result().map(StatusRecord::of);
  }

  /**
   * The task's progress from now on, each value in [0, 1] ({@code task:progress} events; 1.0 when it
   * succeeds), ending when the task ends. Live: progress reported before the call is not replayed.
   * A {@link ReadStream}, so it can be paused or piped; each call subscribes anew.
   */
  ReadStream<Double> progress();

  /** Cancels the task: the cancelled record; fails with {@code ALREADY_FINISHED} when it had ended. */
  Future<JsonObject> cancel();
}
