package io.mastermind.gateway;

import io.mastermind.coordinator.CoordinatorClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * The HTTP API of SPEC section 5 and the WebSocket endpoint of section 6. Thin: it validates input,
 * asks the coordinator over the event bus and maps the answer, or the failure's code, to HTTP or to
 * a WebSocket frame.
 */
public class GatewayVerticle extends VerticleBase {

  private final GatewayOptions options;
  private HttpServer server;
  private TaskMetrics taskMetrics;
  private WebSocketRoutes webSockets;

  public GatewayVerticle(GatewayOptions options) {
    this.options = options;
  }

  /** The port actually bound (differs from the option when it was 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    CoordinatorClient coordinator = new CoordinatorClient(vertx.eventBus(), options.getRequestTimeoutMs());
    PrometheusMeterRegistry registry = prometheusRegistry();
    taskMetrics = new TaskMetrics(registry);
    webSockets = new WebSocketRoutes(options.getWebSocket(), coordinator, registry);

    Router router = Router.router(vertx);
    TokenAuthHandler auth = new TokenAuthHandler(options.getApiTokens());
    router.route("/api/*").handler(auth);
    webSockets.mount(router, auth); // before the BodyHandler, which would consume the upgrade request
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(options.getBodyLimit()));
    new TaskRoutes(coordinator).mount(router);
    new NodeRoutes(coordinator, vertx.eventBus(), options.getRequestTimeoutMs()).mount(router);
    new ClusterRoutes(coordinator, vertx.eventBus(), options.getRequestTimeoutMs()).mount(router);
    new HealthRoutes(vertx, coordinator).mount(router);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    router.route().failureHandler(HttpErrors::onRouterFailure);
    // No route matched: Vert.x Web answers 404 or 405 itself; give them our error shape.
    router.errorHandler(404, HttpErrors::onRouterFailure);
    router.errorHandler(405, HttpErrors::onRouterFailure);

    server = vertx.createHttpServer(webSockets.applyTo(new HttpServerOptions().setHost(options.getHost()).setPort(options.getPort())))
      .requestHandler(router);
    return taskMetrics.start(vertx.eventBus())
      .compose(v -> webSockets.start(vertx.eventBus()))
      .compose(v -> server.listen());
  }

  /** The registry Vert.x metrics were set up with, if any (the node does), else one of our own. */
  private static PrometheusMeterRegistry prometheusRegistry() {
    MeterRegistry existing = BackendRegistries.getDefaultNow();
    return existing instanceof PrometheusMeterRegistry prometheus ? prometheus
      : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  @Override
  public Future<?> stop() {
    return Future.all(taskMetrics.stop(), webSockets.stop(), server == null ? Future.succeededFuture() : server.close());
  }
}
