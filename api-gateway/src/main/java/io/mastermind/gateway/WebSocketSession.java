package io.mastermind.gateway;

import io.mastermind.protocol.WebSocketFrames;
import io.mastermind.coordinator.CoordinatorClient;
import io.mastermind.protocol.WebSocketFrames.Op;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.EventNames;
import io.mastermind.protocol.EventPattern;
import io.mastermind.protocol.JsonFields;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.protocol.TaskSpecJson;
import io.mastermind.protocol.TaskStatus;
import io.mastermind.protocol.ValidationException;
import io.mastermind.tracing.TaskTracing;
import io.vertx.core.http.ServerWebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * One WebSocket connection: reads the client's frames, follows its submissions, holds its
 * subscriptions, and writes everything through its bounded {@link Outbox}. Lives on the gateway's
 * event loop; nothing here blocks, and every coordinator call is a request-reply future.
 */
final class WebSocketSession {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketSession.class);
  private static final String STATUS = "status";

  /**
   * Whether the socket's caller may go on (SPEC section 10): every message counts against its rate limit,
   * and {@code subscribe} needs the {@code read} scope, {@code submit} and {@code cancel} the
   * {@code submit} scope. A refusal is answered with an error frame; the socket stays open.
   */
  interface Guard {
    /** Lets everything through (no tokens, no rate limit). */
    Guard OPEN = new Guard() {
      @Override
      public ApiError admit() {
        return null;
      }

      @Override
      public ApiError permit(Op op) {
        return null;
      }
    };

    /** A message arrived: null to handle it, else why not ({@code LIMIT_EXCEEDED}). */
    ApiError admit();

    /** Its op is known: null to run it, else why not ({@code FORBIDDEN}). */
    ApiError permit(Op op);
  }

  private final ServerWebSocket socket;
  private final CoordinatorClient coordinator;
  private final WebSocketOptions options;
  private final JsonBounds bounds;
  private final Consumer<WebSocketSession> onClose;
  private final Guard guard;
  /** A submit frame is no HTTP request: its span, the front door of its task's trace, is made here. */
  private final TaskTracing tracing;
  private final Outbox outbox;
  /** The gateway's index of who follows what: this session's watches and subscription are kept in it. */
  private final SessionIndex<WebSocketSession> index;
  private final TaskWatches watches;
  /** The subscription: events matching any of these are sent; subscribing again adds to it. */
  private final Set<EventPattern> patterns = new LinkedHashSet<>();
  private boolean closed;

  /**
   * @param onDropped told of every event frame dropped for this slow socket
   * @param onClose   told once, when the socket has closed
   * @param guard     the caller's scopes and rate limit
   */
  WebSocketSession(ServerWebSocket socket, CoordinatorClient coordinator, WebSocketOptions options, JsonBounds bounds,
                   LongConsumer onDropped, Consumer<WebSocketSession> onClose, Guard guard, TaskTracing tracing,
                   SessionIndex<WebSocketSession> index) {
    this.socket = socket;
    this.index = index;
    this.watches = new TaskWatches(index.listenerFor(this));
    this.tracing = tracing;
    this.coordinator = coordinator;
    this.options = options;
    this.bounds = bounds;
    this.onClose = onClose;
    this.guard = guard;
    this.outbox = new Outbox(new SocketSink(socket), options.getMaxQueuedFrames(), options.getMaxQueuedBytes(),
      dropped -> WebSocketFrames.error(null, ErrorCode.SLOW_CONSUMER, dropped + " events dropped").encode(), onDropped);
  }

  void start() {
    MessageAssembler messages = new MessageAssembler(options.getMaxFrameSize(), new MessageAssembler.Listener() {
      @Override
      public void text(String message) {
        onText(message);
      }

      @Override
      public void binary() {
        reply(WebSocketFrames.error(null, ErrorCode.INVALID_JSON, "frames must be text: one JSON object each"));
      }

      @Override
      public void tooLarge(int limit) {
        reply(WebSocketFrames.error(null, ErrorCode.PAYLOAD_TOO_LARGE, "a message must be at most " + limit
          + " bytes (http.websocket.maxFrameSize)"));
      }
    });
    socket.frameHandler(messages::frame);
    socket.drainHandler(v -> outbox.drain());
    socket.exceptionHandler(err -> LOG.debug("websocket " + socket.remoteAddress() + ": " + err.getMessage()));
    socket.closeHandler(v -> close());
    if (socket.isClosed()) {
      close();
    }
  }

  /** A live event of a task this socket follows ({@link SessionIndex}): to the submissions that follow it. */
  void onWatchedEvent(LiveEvent event) {
    if (closed) {
      return;
    }
    for (TaskWatches.Watch watch : watches.of(event.taskId())) {
      if (watch.accepted()) {
        follow(watch, event);
      } else if (!watch.hold(event, options.getMaxQueuedFrames())) {
        outbox.dropped(1);
      }
    }
  }

  /** A live event, this socket having a subscription: sent if a pattern matches it. */
  void onSubscribedEvent(LiveEvent event) {
    if (!closed && subscribed(event.name())) {
      outbox.offer(event.subscriptionFrame(), true);
    }
  }

  /** Frames waiting for this socket. */
  int queuedFrames() {
    return outbox.queued();
  }

  /** Bytes of the frames waiting for this socket. */
  long queuedBytes() {
    return outbox.queuedBytes();
  }

  /** The socket closed: forget everything, once. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    outbox.close();
    watches.clear();
    patterns.clear();
    index.subscribed(this, false);
    onClose.accept(this);
  }

  // ---- client frames --------------------------------------------------------------------------

  /** Every message counts against the rate limit, malformed or not; a refusal names the ref when it can. */
  private void onText(String text) {
    ApiError limited = guard.admit();
    JsonObject frame;
    try {
      if (!(Json.decodeValue(text) instanceof JsonObject object)) {
        reply(errorFrame(null, limited != null ? limited
          : new ApiError(ErrorCode.INVALID_JSON, "a frame must be a JSON object")));
        return;
      }
      bounds.check(object);
      frame = object;
    } catch (JsonBounds.TooDeep e) {
      reply(WebSocketFrames.error(null, ErrorCode.INVALID_JSON, "frame: " + e.getMessage()));
      return;
    } catch (DecodeException e) {
      reply(errorFrame(null, limited != null ? limited : new ApiError(ErrorCode.INVALID_JSON, "frame is not valid JSON")));
      return;
    } catch (ValidationException e) {
      reply(errorFrame(null, ApiError.of(e)));
      return;
    }
    Object ref = frame.getValue(WebSocketFrames.REF);
    if (ref != null && !(ref instanceof String) && !(ref instanceof Number)) {
      reply(errorFrame(null, limited != null ? limited
        : new ApiError(ErrorCode.INVALID_FIELD, "ref must be a string or a number", WebSocketFrames.REF)));
      return;
    }
    if (limited != null) {
      reply(errorFrame(ref, limited));
      return;
    }
    if (ref instanceof String named && named.length() > options.getMaxRefLength()) {
      reply(errorFrame(null, new ApiError(ErrorCode.INVALID_FIELD, "ref must be at most "
        + options.getMaxRefLength() + " characters (http.websocket.maxRefLength)", WebSocketFrames.REF)));
      return;
    }
    try {
      Op op = Op.fromClient(JsonFields.requireString(frame, WebSocketFrames.OP, WebSocketFrames.OP));
      ApiError forbidden = guard.permit(op);
      if (forbidden != null) {
        reply(errorFrame(ref, forbidden));
        return;
      }
      switch (op) {
        case SUBMIT -> submit(ref, frame);
        case SUBSCRIBE -> subscribe(ref, frame);
        case UNSUBSCRIBE -> unsubscribe(ref, frame);
        case CANCEL -> cancel(ref, frame);
        case PING -> reply(WebSocketFrames.pong(ref));
        default -> throw new IllegalStateException("not a client op");
      }
    } catch (ValidationException e) {
      reply(errorFrame(ref, ApiError.of(e)));
    }
  }

  /**
   * Validates, then watches the task's id before submitting it, so every event of the task is seen;
   * a task without an id gets one here (what the coordinator would do), to be watched by it.
   */
  private void submit(Object ref, JsonObject frame) {
    TaskSpec spec = TaskSpec.fromJson(JsonFields.optObject(frame, WebSocketFrames.TASK, WebSocketFrames.TASK))
      .withGeneratedId();
    // "events": false asks for the accepted and result frames only (fewer frames for a client that waits for results)
    Boolean events = JsonFields.optBoolean(frame, WebSocketFrames.EVENTS, WebSocketFrames.EVENTS);
    if (watches.size() >= options.getMaxTrackedTasks()) {
      reply(WebSocketFrames.error(ref, ErrorCode.LIMIT_EXCEEDED, "this socket already follows " + watches.size()
        + " tasks (http.websocket.maxTrackedTasks); wait for a result first"));
      return;
    }
    TaskWatches.Watch watch = watches.add(ref, spec.id(), events == null || events);
    JsonObject task = new TaskSpecJson(spec); // a coordinator in this JVM takes the spec as validated here
    tracing.inSpan("mastermind.ws.submit", () -> coordinator.submit(task)).onComplete(ar -> {
      if (closed) {
        return;
      }
      if (ar.failed()) {
        watches.remove(watch);
        reply(errorFrame(ref, ApiError.of(ar.cause())));
        return;
      }
      JsonObject record = ar.result().record();
      reply(LiveEvent.taskFrame("accepted", ref, record.encode())); // written around the record's text
      for (LiveEvent held : watch.accept()) {
        follow(watch, held);
      }
      if (!watch.ended() && TaskStatus.parse(record.getString(STATUS), STATUS).isTerminal()) {
        // an idempotent resubmit of a task that already ended: nothing more will happen to it
        watches.remove(watch);
        reply(WebSocketFrames.result(ref, record));
      }
      outbox.drain(); // tells of events dropped while held, if any
    });
  }

  private void subscribe(Object ref, JsonObject frame) {
    Set<EventPattern> union = new LinkedHashSet<>(patterns);
    union.addAll(patternsOf(frame, true));
    if (union.size() > options.getMaxSubscriptions()) {
      reply(WebSocketFrames.error(ref, ErrorCode.LIMIT_EXCEEDED, "a socket may hold at most " + options.getMaxSubscriptions()
        + " event patterns (http.websocket.maxSubscriptions)"));
      return;
    }
    patterns.addAll(union);
    index.subscribed(this, !patterns.isEmpty());
    reply(WebSocketFrames.subscribed(ref, patterns));
  }

  /** Without {@code events}: drops the whole subscription; with it: just those patterns. */
  private void unsubscribe(Object ref, JsonObject frame) {
    List<EventPattern> named = patternsOf(frame, false);
    if (named == null) {
      patterns.clear();
    } else {
      named.forEach(patterns::remove);
    }
    index.subscribed(this, !patterns.isEmpty());
    reply(WebSocketFrames.unsubscribed(ref, patterns));
  }

  private void cancel(Object ref, JsonObject frame) {
    String id = JsonFields.requireString(frame, WebSocketFrames.ID, WebSocketFrames.ID);
    coordinator.cancel(id).onComplete(ar -> {
      if (!closed) {
        reply(ar.succeeded() ? WebSocketFrames.cancelled(ref, ar.result()) : errorFrame(ref, ApiError.of(ar.cause())));
      }
    });
  }

  // ---- server frames --------------------------------------------------------------------------

  /** An event of a followed task, then, when it ended the task, the result. */
  private void follow(TaskWatches.Watch watch, LiveEvent event) {
    if (watch.events) {
      outbox.offer(event.followFrame(watch.ref), true);
    }
    if (EventNames.TERMINAL.contains(event.name())) {
      watches.remove(watch);
      outbox.offer(event.resultFrame(watch.ref), false); // a reply: never dropped
    }
  }

  /** Replies are never dropped (see {@link Outbox}). */
  private void reply(JsonObject frame) {
    reply(frame.encode());
  }

  /** A reply: never dropped for a slow socket. */
  private void reply(String frameText) {
    outbox.offer(frameText, false);
  }

  private static JsonObject errorFrame(Object ref, ApiError error) {
    return WebSocketFrames.error(ref, error.toJson());
  }

  private boolean subscribed(String event) {
    for (EventPattern pattern : patterns) {
      if (pattern.matches(event)) {
        return true;
      }
    }
    return false;
  }

  /** The frame's {@code events}, each validated; null when absent and not required. */
  private static List<EventPattern> patternsOf(JsonObject frame, boolean required) {
    JsonArray events = JsonFields.optArray(frame, WebSocketFrames.EVENTS, WebSocketFrames.EVENTS);
    if (events == null || events.isEmpty()) {
      if (required) {
        throw new ValidationException(WebSocketFrames.EVENTS, "events must list at least one event name or pattern");
      }
      return events == null ? null : List.of();
    }
    List<EventPattern> parsed = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      String field = WebSocketFrames.EVENTS + "[" + i + "]";
      if (!(events.getValue(i) instanceof String name)) {
        throw new ValidationException(field, field + " must be a string");
      }
      parsed.add(EventPattern.parse(name, field));
    }
    return parsed;
  }

  private record SocketSink(ServerWebSocket socket) implements Outbox.Sink {
    @Override
    public boolean writeQueueFull() {
      return !socket.isClosed() && socket.writeQueueFull(); // closed before its close handler ran: writes are dropped
    }

    @Override
    public void write(String frame) {
      if (!socket.isClosed()) {
        socket.writeTextMessage(frame);
      }
    }

    @Override
    public void close(short status, String reason) {
      socket.close(status, reason);
    }
  }
}
