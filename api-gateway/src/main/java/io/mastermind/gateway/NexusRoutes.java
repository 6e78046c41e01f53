package io.mastermind.gateway;

import io.mastermind.gateway.nexus.NexusRegistrar;
import io.mastermind.gateway.nexus.NexusService;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v1/nexus/tasks}: a NexusTask in, {@code 200} and a NexusResponse out once the task
 * ended (status {@code success} or {@code error}); a bad NexusTask is a 400 in our error shape, and a
 * task the coordinator refuses gets that refusal's status, as on {@code POST /api/v1/tasks}.
 */
final class NexusRoutes {

  private final NexusService service;

  NexusRoutes(NexusService service) {
    this.service = service;
  }

  void mount(Router router) {
    router.post(NexusRegistrar.TASK_PATH).handler(this::execute);
  }

  private void execute(RoutingContext ctx) {
    JsonObject body;
    try {
      body = RequestBodies.jsonObject(ctx);
    } catch (RuntimeException e) {
      HttpErrors.fail(ctx, e);
      return;
    }
    service.execute(body)
      .onSuccess(response -> TaskRoutes.json(ctx, 200, response.toJson()))
      .onFailure(err -> HttpErrors.fail(ctx, err));
  }
}
