package io.mastermind.api;

import io.mastermind.protocol.EventPattern;
import io.vertx.core.Future;

/** One handler registered with {@link DistributedSystem#subscribe}; cancel it to stop receiving. */
public interface EventSubscription {

  /** The pattern it was registered with. */
  EventPattern pattern();

  /**
   * Completes once matching events are flowing to the handler: embedded, when the event-bus consumer is
   * registered; remote, when the gateway answered {@code subscribed}. Fails when that cannot happen
   * (e.g. the gateway has no WebSocket), with a {@link DistributedSystemException}.
   */
  Future<Void> ready();

  /** Stops delivery; idempotent. */
  Future<Void> cancel();
}
