package io.mastermind.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

/**
 * Live events as a {@link ReadStream}: {@link #pause()}, {@link #fetch(long)} and {@link #resume()} are
 * honoured, so it can be piped or read at the reader's pace. The cluster cannot be slowed at the
 * source, so what the reader has not asked for waits in a bounded buffer and, once that is full,
 * <b>the oldest buffered event is dropped</b> for the newest ({@link #droppedEvents()} counts them):
 * a slow reader never makes memory grow, and reads the most recent events when it catches up.
 *
 * <p>Handlers run on the client's Vert.x context. {@link #cancel()} ends the subscription and calls the
 * end handler; a subscription the system refuses (e.g. no WebSocket) goes to the exception handler.
 */
public interface EventStream extends ReadStream<JsonObject> {

  /** Events buffered for a paused or slow reader before the oldest are dropped. */
  int DEFAULT_BUFFER = 1024;

  @Override
  EventStream exceptionHandler(Handler<Throwable> handler);

  @Override
  EventStream handler(Handler<JsonObject> handler);

  @Override
  EventStream pause();

  @Override
  EventStream resume();

  @Override
  EventStream fetch(long amount);

  @Override
  EventStream endHandler(Handler<Void> endHandler);

  /** The subscription behind it: {@code ready()} tells when events flow. */
  EventSubscription subscription();

  /** Events dropped because the buffer was full. */
  long droppedEvents();

  /** Ends the subscription; the end handler is called. */
  Future<Void> cancel();
}
