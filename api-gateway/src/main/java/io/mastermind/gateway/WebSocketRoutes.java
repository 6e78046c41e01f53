package io.mastermind.gateway;

import io.mastermind.coordinator.CoordinatorClient;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.mastermind.tracing.TaskTracing;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * {@code GET /api/v1/ws}: upgrades to a {@link WebSocketSession} per connection (SPEC section 6).
 *
 * <p>The gateway holds <em>one</em> consumer of {@link Addresses#EVENTS} and hands each event to the
 * sessions that follow its task or subscribed ({@link SessionIndex}), instead of one consumer per socket:
 * on the clustered bus every consumer is a registration in the cluster-wide subscription map, and a
 * local-only consumer would not see events published on other nodes. A session leaves the index and the
 * fan-out when its socket closes, so a closed socket keeps nothing (see {@link #sessionCount()}).
 */
final class WebSocketRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketRoutes.class);

  private final WebSocketOptions options;
  private final CoordinatorClient coordinator;
  private final JsonBounds bounds;
  private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();
  /** Who follows which task and who subscribed: an event goes only to them (the gateway's loop only). */
  private final SessionIndex<WebSocketSession> index = new SessionIndex<>();
  /** Sessions open plus upgrades under way: what {@code http.websocket.maxSessions} bounds. */
  private final AtomicInteger admitted = new AtomicInteger();
  private final Counter dropped;
  private final Function<RoutingContext, WebSocketSession.Guard> guards;
  private final TaskTracing tracing;

  /** @param guards the scopes and rate limit of the caller that opened a socket */
  WebSocketRoutes(WebSocketOptions options, JsonBounds bounds, CoordinatorClient coordinator, MeterRegistry registry,
                  Function<RoutingContext, WebSocketSession.Guard> guards, TaskTracing tracing) {
    this.options = options;
    this.tracing = tracing;
    this.bounds = bounds;
    this.coordinator = coordinator;
    this.guards = guards;
    Gauge.builder("mastermind.websocket.sessions", this, WebSocketRoutes::sessionCount)
      .description("Open WebSocket connections").register(registry);
    Gauge.builder("mastermind.websocket.queued.frames", this, WebSocketRoutes::queuedFrames)
      .description("Frames waiting for slow WebSocket clients, all sockets together").register(registry);
    Gauge.builder("mastermind.websocket.queued.bytes", this, WebSocketRoutes::queuedBytes)
      .description("Bytes of frames waiting for slow WebSocket clients, all sockets together").register(registry);
    dropped = Counter.builder("mastermind.websocket.events.dropped")
      .description("Event frames dropped for WebSocket clients that read too slowly").register(registry);
  }

  /**
   * The server-wide frame limit the endpoint needs: a single frame above {@code maxFrameSize} closes its
   * socket with 1009 (Netty refuses to decode it); a message of smaller fragments that adds up to more
   * is skipped and answered with an error frame by the session.
   */
  HttpServerOptions applyTo(HttpServerOptions server) {
    return server.setMaxWebSocketFrameSize(options.getMaxFrameSize()).setMaxWebSocketMessageSize(options.getMaxFrameSize());
  }

  /**
   * Mounts the endpoint. Call it after the {@code /api/*} token check and before any BodyHandler: an
   * upgrade request has no body, and a BodyHandler would read the request the upgrade needs.
   */
  void mount(Router router, Handler<RoutingContext> auth) {
    if (!options.getPath().startsWith("/api/")) {
      router.route(options.getPath()).handler(auth);
    }
    router.get(options.getPath()).handler(this::upgrade);
  }


  /** Open sessions, each holding its socket's subscription, watches and queue. */
  int sessionCount() {
    return sessions.size();
  }

  /** Frames queued for slow sockets, all together. */
  int queuedFrames() {
    return sessions.stream().mapToInt(WebSocketSession::queuedFrames).sum();
  }

  /** Bytes of the frames queued for slow sockets, all together. */
  long queuedBytes() {
    return sessions.stream().mapToLong(WebSocketSession::queuedBytes).sum();
  }

  private void upgrade(RoutingContext ctx) {
    if (!ctx.request().canUpgradeToWebSocket()) {
      ctx.response().putHeader("Upgrade", "websocket");
      HttpErrors.send(ctx, 426, "UPGRADE_REQUIRED", options.getPath() + " is a WebSocket endpoint", null);
      return;
    }
    if (admitted.incrementAndGet() > options.getMaxSessions()) {
      admitted.decrementAndGet();
      HttpErrors.send(ctx, ErrorCode.LIMIT_EXCEEDED, options.getMaxSessions()
        + " WebSocket sessions are open on this gateway (http.websocket.maxSessions); try again later", null);
      return;
    }
    WebSocketSession.Guard guard = guards.apply(ctx);
    HttpConnection connection = ctx.request().connection();
    ctx.request().toWebSocket()
      .onSuccess(socket -> {
        FlushCoalescing.install(connection);
        open(socket, guard);
      })
      .onFailure(err -> {
        admitted.decrementAndGet();
        LOG.debug("websocket upgrade failed: " + err.getMessage());
      });
  }

  private void open(ServerWebSocket socket, WebSocketSession.Guard guard) {
    WebSocketSession session = new WebSocketSession(socket, coordinator, options, bounds, dropped::increment, closed -> {
      sessions.remove(closed);
      admitted.decrementAndGet();
    }, guard, tracing, index);
    sessions.add(session);
    session.start();
  }

  /**
   * Hands one live event to the sessions that follow its task and to those with a subscription (the
   * gateway's one consumer of {@code mastermind.events} calls it): its cost does not grow with the sockets
   * open for other tasks.
   */
  void dispatch(JsonObject body) {
    if (sessions.isEmpty()) {
      return;
    }
    LiveEvent event;
    try {
      event = new LiveEvent(body);
    } catch (RuntimeException e) {
      LOG.warn("ignoring a malformed live event: " + e.getMessage());
      return;
    }
    index.forEachWatcher(event.taskId(), session -> session.onWatchedEvent(event));
    index.forEachSubscriber(session -> session.onSubscribedEvent(event));
  }
}
