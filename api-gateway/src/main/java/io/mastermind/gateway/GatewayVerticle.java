package io.mastermind.gateway;

import io.mastermind.tracing.TaskTracing;
import io.mastermind.coordinator.CoordinatorClient;
import io.mastermind.protocol.Addresses;
import io.mastermind.gateway.bridge.BridgeOptions;
import io.mastermind.gateway.bridge.BridgeSubmitEndpoint;
import io.mastermind.gateway.bridge.EventBusBridge;
import io.mastermind.gateway.nexus.NexusBusEndpoint;
import io.mastermind.gateway.nexus.NexusOptions;
import io.mastermind.gateway.nexus.NexusRegistrar;
import io.mastermind.gateway.nexus.NexusService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;

/**
 * The front doors of SPEC sections 5 to 8: the HTTP API, the WebSocket endpoint, the SockJS event-bus
 * bridge and the Central Nexus bridge. Thin: it validates input, asks the coordinator over the event
 * bus and maps the answer, or the failure's code, to HTTP, a WebSocket frame or a reply failure.
 */
public class GatewayVerticle extends VerticleBase {

  private final GatewayOptions options;
  private final BridgeOptions bridgeOptions;
  private final NexusOptions nexusOptions;
  /** The node's health checks, or null for a gateway's own ({@link ManagementRoutes#gatewayChecks}). */
  private final HealthChecks health;
  private final PrometheusMeterRegistry registry;
  private HttpServer server;
  private MessageConsumer<JsonObject> events;
  private BridgeSubmitEndpoint bridgeSubmit;
  private NexusBusEndpoint nexusTasks;
  private NexusRegistrar nexusRegistrar;
  private WebSocketRoutes webSockets;
  private GatewaySecurity security;
  private Router router;

  public GatewayVerticle(GatewayOptions options) {
    this(options, new BridgeOptions(), new NexusOptions());
  }

  public GatewayVerticle(GatewayOptions options, BridgeOptions bridgeOptions, NexusOptions nexusOptions) {
    this(options, bridgeOptions, nexusOptions, null);
  }

  /** @param health the checks {@code /health*} answers with (the node's, for every role it has), or null */
  public GatewayVerticle(GatewayOptions options, BridgeOptions bridgeOptions, NexusOptions nexusOptions, HealthChecks health) {
    this(options, bridgeOptions, nexusOptions, health, null);
  }

  /**
   * @param registry the node's registry {@code /metrics} shows (shared with the leader's task meters),
   *                 or null for {@link ManagementRoutes#prometheusRegistry()}
   */
  public GatewayVerticle(GatewayOptions options, BridgeOptions bridgeOptions, NexusOptions nexusOptions, HealthChecks health,
                         PrometheusMeterRegistry registry) {
    this.options = options;
    this.bridgeOptions = bridgeOptions;
    this.nexusOptions = nexusOptions;
    this.health = health;
    this.registry = registry;
  }

  /** The port actually bound (differs from the option when it was 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /** This gateway's base URL, {@code http://host:port} ({@code https} with TLS). */
  public String url() {
    return (options.getTls().isEnabled() ? "https" : "http") + "://" + options.getHost() + ":" + actualPort();
  }

  /** This gateway's Central Nexus registration, as {@code GET /api/v1/cluster} shows it. */
  public NexusRegistrar.Status nexusStatus() {
    return nexusRegistrar.status();
  }

  /**
   * The routes of this gateway's router, in order (middleware too: routes with no method and a prefix
   * path). For tests and tools that check the OpenAPI document against what is really served.
   */
  public List<Route> routes() {
    return router == null ? List.of() : router.getRoutes();
  }

  @Override
  public Future<?> start() {
    CoordinatorClient coordinator = new CoordinatorClient(vertx.eventBus(), options.getRequestTimeoutMs());
    PrometheusMeterRegistry registry = this.registry != null ? this.registry : ManagementRoutes.prometheusRegistry();
    NexusService nexus = new NexusService(coordinator, nexusOptions);
    JsonBounds bounds = new JsonBounds(options.getLimits());
    bridgeSubmit = new BridgeSubmitEndpoint(coordinator, bounds::check);
    nexusTasks = new NexusBusEndpoint(nexus);
    nexusRegistrar = new NexusRegistrar(vertx, nexusOptions);
    security = new GatewaySecurity(vertx, options, nexusOptions.getPublicUrl(), registry);
    webSockets = new WebSocketRoutes(options.getWebSocket(), bounds, coordinator, registry, security::sessionGuard,
      TaskTracing.of(vertx));
    Connections connections = new Connections(options.getLimits().getMaxConnections());
    server = vertx.createHttpServer(options.getTls().applyTo(webSockets.applyTo(
        new HttpServerOptions().setHost(options.getHost()).setPort(options.getPort()))))
      .connectionHandler(connections)
      .invalidRequestHandler(FailureHandler::invalidRequest)
      .requestHandler(connections.admit(router = router(coordinator, nexus, registry, bounds)));
    // one consumer of the live events for the whole gateway: each event is copied to it once
    events = vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, message -> {
      webSockets.dispatch(message.body());
    });
    return events.completion()
      .compose(v -> bridgeOptions.isEnabled() ? bridgeSubmit.register(vertx.eventBus()) : Future.succeededFuture())
      .compose(v -> nexusTasks.register(vertx.eventBus()))
      .compose(v -> server.listen())
      .onSuccess(s -> nexusRegistrar.start(url()));
  }

  private Router router(CoordinatorClient coordinator, NexusService nexus, PrometheusMeterRegistry registry, JsonBounds bounds) {
    Router router = Router.router(vertx);
    if (options.isAccessLog()) {
      router.route().handler(new AccessLogHandler()); // first: it sees every request, refused ones too
    }
    security.guardAll(router); // Host and Origin, before anything answers
    Handler<RoutingContext> auth = security.apiAuth();
    router.route("/api/*").handler(auth);
    webSockets.mount(router, auth); // before the BodyHandler, which would consume the upgrade request
    new RequestGuard(options.getBodyLimit(), bounds).mount(router, "/api/*"); // JSON content type, body, bounds
    WaitSlots waiters = new WaitSlots(options.getLimits().getMaxWaiters());
    if (bridgeOptions.isEnabled()) {
      router.route("/eventbus/*").handler(security.bridgeAuth());
      // SockJS's XHR transports read a client's frames from the routing context's body; POST only,
      // as a body handler on the WebSocket upgrade (a GET) would consume the request and break it
      router.post("/eventbus/*").handler(BodyHandler.create(false).setBodyLimit(options.getBodyLimit()));
      router.route("/eventbus/*").subRouter(EventBusBridge.router(vertx, bridgeOptions, security.bridgeAccess()));
    }
    new TaskRoutes(coordinator, waiters).mount(router);
    new NodeRoutes(coordinator, vertx.eventBus(), options.getRequestTimeoutMs()).mount(router);
    new ClusterRoutes(coordinator, vertx.eventBus(), options.getRequestTimeoutMs(),
      () -> nexusRegistrar.status().toJson()).mount(router);
    new NexusRoutes(nexus, waiters).mount(router);
    OpenApiRoute.mount(router);
    DashboardRoutes.mount(router);
    ManagementRoutes.mount(router, health != null ? health : ManagementRoutes.gatewayChecks(vertx, coordinator), registry);
    new FailureHandler().install(router); // every failure in our error shape, 4xx for client input
    return router;
  }

  @Override
  public Future<?> stop() {
    return Future.all(List.of(nexusRegistrar.stop(), bridgeSubmit.unregister(), nexusTasks.unregister(),
      events == null ? Future.succeededFuture() : events.unregister(), server == null ? Future.succeededFuture() : server.close()));
  }
}
