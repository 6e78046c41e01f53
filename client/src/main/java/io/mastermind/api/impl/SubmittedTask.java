package io.mastermind.api.impl;

import io.mastermind.api.DistributedSystem;
import io.mastermind.api.EventStream;
import io.mastermind.api.TaskHandle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

import java.util.function.Supplier;

/** A {@link TaskHandle} over whichever transport submitted the task: it waits and cancels the same way. */
public final class SubmittedTask implements TaskHandle {

  private static final int RECORD_TRIES = 3;

  private final JsonObject accepted;
  private final Supplier<Future<JsonObject>> waiter;
  private final DistributedSystem system;
  private Future<JsonObject> result;

  /**
   * @param waiter asked once, on the first {@link #result()}: the final record
   * @param system what submitted it: cancels, reads and streams its events
   */
  public SubmittedTask(JsonObject accepted, Supplier<Future<JsonObject>> waiter, DistributedSystem system) {
    this.accepted = accepted;
    this.waiter = waiter;
    this.system = system;
  }

  @Override
  public String id() {
    return accepted.getString("id");
  }

  @Override
  public JsonObject accepted() {
    return accepted.copy();
  }

  @Override
  public synchronized Future<JsonObject> result() {
    if (result == null) {
      result = Tasks.ended(accepted) ? Future.succeededFuture(accepted.copy()) : waiter.get();
    }
    return result;
  }

  @Override
  public ReadStream<Double> progress() {
    EventStream events = system.events("task:*");
    ProgressStream progress = new ProgressStream(events, id());
    // a task that ended before the subscription was ready sends no more events: its record says so
    events.subscription().ready()
      .compose(v -> Tasks.ended(accepted) ? Future.succeededFuture(accepted) : record(RECORD_TRIES))
      .onSuccess(record -> {
        if (Tasks.ended(record)) {
          progress.finish();
        }
      })
      .onFailure(progress::fail); // never a stream that waits for events that already went by
    return progress;
  }

  /** The task's record, asked again on a failure: a pooled connection the server closed fails once. */
  private Future<JsonObject> record(int tries) {
    return system.get(id()).recover(err -> tries > 1 ? record(tries - 1) : Future.failedFuture(err));
  }

  @Override
  public Future<JsonObject> cancel() {
    return system.cancel(id());
  }

  @Override
  public String toString() {
    return "task " + id();
  }
}
