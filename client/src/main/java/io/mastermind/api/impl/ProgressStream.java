package io.mastermind.api.impl;

import io.mastermind.api.EventStream;
import io.mastermind.protocol.EventNames;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

/**
 * One task's progress, in [0, 1], read from a stream of its {@code task:*} events: a value for each
 * {@code task:progress}, 1.0 when it succeeds, then the end. Demand is the reader's: events of other
 * tasks, and of this task that carry no progress, are fetched again from the source in their place.
 */
public final class ProgressStream implements ReadStream<Double> {

  private final EventStream events;
  private final String taskId;
  private Handler<Double> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private boolean ended;

  public ProgressStream(EventStream events, String taskId) {
    this.events = events;
    this.taskId = taskId;
    events.handler(this::onEvent);
    events.endHandler(v -> end());
  }

  private void onEvent(JsonObject event) {
    if (ended) {
      return;
    }
    String name = event.getString("event", "");
    Double value = null;
    if (taskId.equals(event.getString("taskId"))) {
      if (EventNames.TASK_PROGRESS.equals(name)) {
        value = event.getJsonObject("data", new JsonObject()).getDouble("progress", 0.0);
      } else if (EventNames.TASK_COMPLETED.equals(name)) {
        value = 1.0;
      }
    }
    if (value == null) {
      events.fetch(1); // not for the reader: it still wants what it asked for
    } else {
      Handler<Double> h = handler;
      if (h != null) {
        h.handle(value);
      }
    }
    if (taskId.equals(event.getString("taskId")) && EventNames.TERMINAL.contains(name)) {
      events.cancel(); // calls end()
    }
  }

  /** Ends the stream now (the task is known to have ended some other way); events after are ignored. */
  public void finish() {
    if (!ended) {
      events.cancel(); // calls end()
    }
  }

  /** Reports {@code failure} to the exception handler, then ends the stream. */
  public void fail(Throwable failure) {
    if (!ended) {
      Handler<Throwable> h = exceptionHandler;
      if (h != null) {
        h.handle(failure);
      }
      finish();
    }
  }

  private void end() {
    if (!ended) {
      ended = true;
      Handler<Void> h = endHandler;
      if (h != null) {
        h.handle(null);
      }
    }
  }

  @Override
  public ProgressStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    events.exceptionHandler(handler);
    return this;
  }

  @Override
  public ProgressStream handler(Handler<Double> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public ProgressStream pause() {
    events.pause();
    return this;
  }

  @Override
  public ProgressStream resume() {
    events.resume();
    return this;
  }

  @Override
  public ProgressStream fetch(long amount) {
    events.fetch(amount);
    return this;
  }

  @Override
  public ProgressStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }
}
