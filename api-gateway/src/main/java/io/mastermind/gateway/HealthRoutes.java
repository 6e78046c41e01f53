package io.mastermind.gateway;

import io.mastermind.coordinator.CoordinatorClient;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

/**
 * {@code /health} (everything), {@code /health/live} (this process answers) and {@code /health/ready}
 * (a coordinator answers and at least one worker node is healthy), with Vert.x Health Checks.
 */
final class HealthRoutes {

  static final long CHECK_TIMEOUT_MS = 2_000;

  private final HealthChecks checks;

  HealthRoutes(Vertx vertx, CoordinatorClient coordinator) {
    checks = HealthChecks.create(vertx);
    checks.register("live/event-loop", promise -> promise.complete(Status.OK()));
    checks.register("ready/coordinator", CHECK_TIMEOUT_MS, promise -> coordinator.cluster()
      .onSuccess(summary -> promise.complete(Status.OK(summary.getJsonObject("leader"))))
      .onFailure(err -> promise.complete(Status.KO(new io.vertx.core.json.JsonObject().put("error", err.getMessage())))));
    checks.register("ready/workers", CHECK_TIMEOUT_MS, promise -> coordinator.cluster()
      .onSuccess(summary -> {
        int healthy = summary.getJsonObject("nodes").getInteger("healthy", 0);
        promise.complete(healthy > 0 ? Status.OK(summary.getJsonObject("nodes")) : Status.KO(summary.getJsonObject("nodes")));
      })
      .onFailure(err -> promise.complete(Status.KO())));
  }

  void mount(Router router) {
    router.get("/health*").handler(HealthCheckHandler.createWithHealthChecks(checks));
  }
}
