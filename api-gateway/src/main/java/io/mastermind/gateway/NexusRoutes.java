package io.mastermind.gateway;

import io.mastermind.gateway.nexus.NexusRegistrar;
import io.mastermind.gateway.nexus.NexusResponse;
import io.mastermind.gateway.nexus.NexusService;
import io.mastermind.gateway.nexus.NexusTask;
import io.mastermind.protocol.ErrorCode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v1/nexus/tasks}: a NexusTask in, a NexusResponse out, always (SPEC section 8):
 * {@code 200} once the task ended (status {@code success} or {@code error}); for a refusal, status
 * {@code error} with the code, under that code's HTTP status: 400 for a bad NexusTask or an unknown
 * function, 409 for a conflicting id, 429 {@code QUEUE_FULL} or {@code LIMIT_EXCEEDED} and 503
 * {@code UNAVAILABLE} with {@code Retry-After}. Errors raised before the NexusTask is read (401, 405,
 * 413, 415, bad JSON) are NexusResponses too, through {@link HttpErrors} ({@link #errorResponse}); the
 * {@code requestId} is echoed whenever the body had a readable one.
 */
final class NexusRoutes {

  /** Where the request's requestId waits, once read, for an error answered elsewhere. */
  private static final String REQUEST_ID = "mastermind.nexus.requestId";

  private final NexusService service;
  private final WaitSlots waiters;

  NexusRoutes(NexusService service, WaitSlots waiters) {
    this.service = service;
    this.waiters = waiters;
  }

  void mount(Router router) {
    router.post(NexusRegistrar.TASK_PATH).handler(this::execute);
  }

  /** True for requests to the Nexus task route, whose every answer is a NexusResponse. */
  static boolean owns(RoutingContext ctx) {
    return NexusRegistrar.TASK_PATH.equals(ctx.request().path());
  }

  /** An error of the API's shape, {@code {"code","message","field"?}}, as a NexusResponse. */
  static JsonObject errorResponse(RoutingContext ctx, JsonObject error) {
    return NexusResponse.refusedJson(ctx.get(REQUEST_ID), error);
  }

  private void execute(RoutingContext ctx) {
    JsonObject body;
    try {
      body = RequestBodies.jsonObject(ctx);
    } catch (RuntimeException e) {
      HttpErrors.fail(ctx, e);
      return;
    }
    String requestId = NexusTask.requestIdOf(body);
    if (requestId != null) {
      ctx.put(REQUEST_ID, requestId);
    }
    if (!waiters.tryAcquire()) {
      HttpErrors.send(ctx, ErrorCode.LIMIT_EXCEEDED, waiters.max() + " requests already wait for their task"
        + " (http.limits.maxWaiters); try again later", null);
      return;
    }
    service.execute(body)
      .onComplete(done -> waiters.release())
      .onSuccess(response -> respond(ctx, response))
      .onFailure(err -> HttpErrors.fail(ctx, err));
  }

  /** 200 for a task that ran, whatever its outcome; a refusal's own status, with Retry-After for 429 and 503. */
  private static void respond(RoutingContext ctx, NexusResponse response) {
    int status = response.refusal() == null ? 200 : response.refusal().httpStatus();
    HttpErrors.retryAfter(ctx, status);
    TaskRoutes.json(ctx, status, response.toJson());
  }
}
