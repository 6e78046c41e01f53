package io.mastermind.api.impl;

import io.mastermind.api.EventStream;
import io.mastermind.api.EventSubscription;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;

/**
 * An {@link EventStream} over any subscription: events are pushed in on the subscription's context,
 * kept in a bounded drop-oldest buffer, and handed to the reader as its demand allows. Delivery only
 * happens on that context (pause/fetch/resume from elsewhere schedule it there), so the reader's
 * handler never runs on two threads and a fetch from inside the handler does not recurse.
 */
public final class BufferedEventStream implements EventStream {

  private final int capacity;
  private final ArrayDeque<JsonObject> buffer = new ArrayDeque<>();
  private EventSubscription subscription;
  private Context context;
  private Handler<JsonObject> handler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private long demand = Long.MAX_VALUE;
  private long dropped;
  private boolean delivering;
  private boolean ended;

  public BufferedEventStream(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("event buffer must be > 0");
    }
    this.capacity = capacity;
  }

  /** Binds the subscription whose handler is {@link #push}; its refusal goes to the exception handler. */
  public BufferedEventStream attach(EventSubscription subscription) {
    this.subscription = subscription;
    subscription.ready().onFailure(err -> {
      synchronized (this) {
        if (ended) {
          return; // our own cancel() failed it
        }
      }
      fail(err);
    });
    return this;
  }

  /** The subscription's handler: called on its context with each matching event. */
  public void push(JsonObject event) {
    synchronized (this) {
      if (ended) {
        return;
      }
      context = Vertx.currentContext();
      if (buffer.size() == capacity) {
        buffer.poll();
        dropped++;
      }
      buffer.add(event);
    }
    deliver();
  }

  private void deliver() {
    while (true) {
      JsonObject next;
      Handler<JsonObject> reader;
      synchronized (this) {
        if (delivering || ended || demand == 0 || handler == null || buffer.isEmpty()) {
          return;
        }
        next = buffer.poll();
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        reader = handler;
        delivering = true;
      }
      try {
        reader.handle(next);
      } catch (RuntimeException e) {
        fail(e);
      } finally {
        synchronized (this) {
          delivering = false;
        }
      }
    }
  }

  /** Delivery resumes on the events' context; before the first event there is nothing to deliver. */
  private void schedule() {
    Context where;
    synchronized (this) {
      where = context;
    }
    if (where != null) {
      where.runOnContext(v -> deliver());
    }
  }

  private void fail(Throwable error) {
    Handler<Throwable> onError;
    synchronized (this) {
      onError = exceptionHandler;
    }
    if (onError != null) {
      onError.handle(error);
    }
  }

  @Override
  public synchronized EventStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public EventStream handler(Handler<JsonObject> handler) {
    synchronized (this) {
      this.handler = handler;
    }
    if (handler == null) {
      cancel();
    } else {
      schedule();
    }
    return this;
  }

  @Override
  public synchronized EventStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public EventStream resume() {
    synchronized (this) {
      demand = Long.MAX_VALUE;
    }
    schedule();
    return this;
  }

  @Override
  public EventStream fetch(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("fetch amount must be >= 0");
    }
    synchronized (this) {
      demand = Long.MAX_VALUE - demand <= amount ? Long.MAX_VALUE : demand + amount;
    }
    schedule();
    return this;
  }

  @Override
  public synchronized EventStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public EventSubscription subscription() {
    return subscription;
  }

  @Override
  public synchronized long droppedEvents() {
    return dropped;
  }

  @Override
  public Future<Void> cancel() {
    Handler<Void> onEnd;
    synchronized (this) {
      if (ended) {
        return Future.succeededFuture();
      }
      ended = true;
      buffer.clear();
      onEnd = endHandler;
    }
    Future<Void> cancelled = subscription == null ? Future.succeededFuture() : subscription.cancel();
    if (onEnd != null) {
      onEnd.handle(null);
    }
    return cancelled;
  }
}
