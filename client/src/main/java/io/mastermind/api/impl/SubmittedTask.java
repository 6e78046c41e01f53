package io.mastermind.api.impl;

import io.mastermind.api.TaskHandle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.function.Function;
import java.util.function.Supplier;

/** A {@link TaskHandle} over whichever transport submitted the task: it waits and cancels the same way. */
public final class SubmittedTask implements TaskHandle {

  private final JsonObject accepted;
  private final Supplier<Future<JsonObject>> waiter;
  private final Function<String, Future<JsonObject>> canceller;
  private Future<JsonObject> result;

  /**
   * @param waiter    asked once, on the first {@link #result()}: the final record
   * @param canceller cancels a task by id
   */
  public SubmittedTask(JsonObject accepted, Supplier<Future<JsonObject>> waiter,
                       Function<String, Future<JsonObject>> canceller) {
    this.accepted = accepted;
    this.waiter = waiter;
    this.canceller = canceller;
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
  public Future<JsonObject> cancel() {
    return canceller.apply(id());
  }

  @Override
  public String toString() {
    return "task " + id();
  }
}
