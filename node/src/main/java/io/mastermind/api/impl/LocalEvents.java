package io.mastermind.api.impl;

import io.mastermind.protocol.EventPattern;
import io.mastermind.api.EventSubscription;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The handlers of an embedded system, fed by its one consumer of {@code mastermind.events}. Each event
 * goes to every matching handler in registration order, on the consumer's event loop.
 */
final class LocalEvents {

  private static final Logger LOG = LoggerFactory.getLogger(LocalEvents.class);

  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final Future<Void> ready;

  /** @param ready completes when the consumer is registered */
  LocalEvents(Future<Void> ready) {
    this.ready = ready;
  }

  EventSubscription add(EventPattern pattern, Handler<JsonObject> handler) {
    Subscription subscription = new Subscription(pattern, handler);
    subscriptions.add(subscription);
    return subscription;
  }

  void dispatch(JsonObject event) {
    String name = event.getString("event");
    for (Subscription subscription : subscriptions) {
      if (subscription.pattern.matches(name)) {
        try {
          subscription.handler.handle(event.copy());
        } catch (RuntimeException e) {
          LOG.warn("event handler for '" + subscription.pattern + "' threw on " + name, e);
        }
      }
    }
  }

  private final class Subscription implements EventSubscription {
    private final EventPattern pattern;
    private final Handler<JsonObject> handler;

    Subscription(EventPattern pattern, Handler<JsonObject> handler) {
      this.pattern = pattern;
      this.handler = handler;
    }

    @Override
    public EventPattern pattern() {
      return pattern;
    }

    @Override
    public Future<Void> ready() {
      return ready;
    }

    @Override
    public Future<Void> cancel() {
      subscriptions.remove(this);
      return Future.succeededFuture();
    }
  }
}
