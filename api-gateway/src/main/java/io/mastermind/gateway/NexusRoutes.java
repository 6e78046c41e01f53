package io.mastermind.gateway;

import io.mastermind.gateway.nexus.NexusRegistrar;
import io.mastermind.gateway.nexus.NexusResponse;
import io.mastermind.gateway.nexus.NexusService;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v1/nexus/tasks}: a NexusTask in, {@code 200} and a NexusResponse out once the task
 * ended (status {@code success} or {@code error}); a bad NexusTask is a 400 in our error shape, and a
 * task the coordinator refuses gets that refusal's status, as on {@code POST /api/v1/tasks}. A full
 * queue is the exception: {@code 429} with {@code Retry-After} and a NexusResponse (status {@code
 * error}, code {@code QUEUE_FULL}), so the Nexus still gets its {@code requestId} back.
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
      .onSuccess(response -> respond(ctx, response))
      .onFailure(err -> HttpErrors.fail(ctx, err));
  }

  /** 200 for a task that ran, whatever its outcome; a refusal's own status (429 QUEUE_FULL), with Retry-After. */
  private static void respond(RoutingContext ctx, NexusResponse response) {
    int status = response.refusal() == null ? 200 : response.refusal().httpStatus();
    HttpErrors.retryAfter(ctx, status);
    TaskRoutes.json(ctx, status, response.toJson());
  }
}
