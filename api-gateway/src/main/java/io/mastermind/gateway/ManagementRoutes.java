package io.mastermind.gateway;

import io.mastermind.coordinator.CoordinatorClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * The routes every node can serve, on the gateway's HTTP port and on the management port:
 * {@code /metrics} (Prometheus text), {@code /health} (every check), {@code /health/live} (this process
 * answers) and {@code /health/ready} (this node can do its job), with Vert.x Health Checks.
 *
 * <p>A check named {@value #LIVE}… or {@value #READY}… belongs to that group; any other group (such as
 * Hazelcast's cluster-safe state) is in {@code /health} only, never in readiness. DOWN answers 503 and
 * each failing check carries its {@value #REASON} in its data. No check here reads task records.
 */
public final class ManagementRoutes {

  public static final long CHECK_TIMEOUT_MS = 2_000;
  /** Prefix of the liveness checks. */
  public static final String LIVE = "live/";
  /** Prefix of the readiness checks. */
  public static final String READY = "ready/";
  /** The data key saying why a check is DOWN. */
  public static final String REASON = "reason";

  private ManagementRoutes() {
  }

  /** Checks holding the liveness check only; each role adds its readiness check. */
  public static HealthChecks liveChecks(Vertx vertx) {
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register(LIVE + "event-loop", promise -> promise.complete(Status.OK()));
    return checks;
  }

  /** A gateway's checks: liveness and {@link #addGatewayReadiness}. */
  public static HealthChecks gatewayChecks(Vertx vertx, CoordinatorClient coordinator) {
    HealthChecks checks = liveChecks(vertx);
    addGatewayReadiness(checks, coordinator);
    return checks;
  }

  /**
   * {@code ready/coordinator}: a leader answers. Its id and epoch and the worker counts are data: a
   * gateway with no worker yet is still ready to take tasks, which wait in the queue.
   */
  public static void addGatewayReadiness(HealthChecks checks, CoordinatorClient coordinator) {
    checks.register(READY + "coordinator", CHECK_TIMEOUT_MS, promise -> coordinator.cluster()
      .onSuccess(summary -> promise.complete(Status.OK(new JsonObject()
        .put("leader", summary.getJsonObject("leader"))
        .put("nodes", summary.getJsonObject("nodes")))))
      .onFailure(err -> promise.complete(down("no leader answered: " + err.getMessage()))));
  }

  /** A DOWN status with its reason. */
  public static Status down(String reason) {
    return Status.KO(new JsonObject().put(REASON, reason));
  }

  /** Mounts {@code /health*} on these checks and {@code /metrics} on this registry. */
  public static void mount(Router router, HealthChecks checks, PrometheusMeterRegistry registry) {
    router.get("/health*").handler(HealthCheckHandler.createWithHealthChecks(checks));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
  }

  /** The registry Vert.x metrics were set up with, if any (the node does), else one of our own. */
  public static PrometheusMeterRegistry prometheusRegistry() {
    MeterRegistry existing = BackendRegistries.getDefaultNow();
    return existing instanceof PrometheusMeterRegistry prometheus ? prometheus
      : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }
}
