package io.mastermind.gateway;

import io.mastermind.coordinator.CoordinatorClient;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.TaskQuery;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.protocol.TaskSpecJson;
import io.mastermind.protocol.TaskStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/v1/tasks}: submit (with {@code ?wait=MS}), get, list, cancel. */
final class TaskRoutes {

  private final CoordinatorClient coordinator;
  private final WaitSlots waiters;

  TaskRoutes(CoordinatorClient coordinator, WaitSlots waiters) {
    this.coordinator = coordinator;
    this.waiters = waiters;
  }

  void mount(Router router) {
    router.post("/api/v1/tasks").handler(this::submit);
    router.get("/api/v1/tasks").handler(this::list);
    router.get("/api/v1/tasks/:id").handler(this::get);
    router.delete("/api/v1/tasks/:id").handler(this::cancel);
  }

  private void submit(RoutingContext ctx) {
    JsonObject task;
    long waitMs;
    try {
      // a 400 naming the field before anything is queued; a coordinator in this JVM takes the spec as validated here
      task = new TaskSpecJson(TaskSpec.fromJson(RequestBodies.jsonObject(ctx)));
      Long wait = RequestBodies.queryLong(ctx, "wait", 0, GatewayOptions.MAX_WAIT_MS);
      waitMs = wait == null ? 0 : wait;
    } catch (RuntimeException e) {
      HttpErrors.fail(ctx, e);
      return;
    }
    if (waitMs > 0 && !waiters.tryAcquire()) {
      HttpErrors.send(ctx, ErrorCode.LIMIT_EXCEEDED, waiters.max() + " requests already wait for their task"
        + " (http.limits.maxWaiters); submit without ?wait, or try again later", null);
      return;
    }
    coordinator.submit(task)
      .compose(submitted -> {
        String id = submitted.record().getString("id");
        ctx.response().putHeader("Location", "/api/v1/tasks/" + id);
        if (waitMs == 0) {
          return Future.succeededFuture(submitted);
        }
        return coordinator.await(id, waitMs).map(record -> new CoordinatorClient.Submitted(record, submitted.existing()));
      })
      .onComplete(done -> {
        if (waitMs > 0) {
          waiters.release();
        }
      })
      .onSuccess(submitted -> {
        boolean ended = TaskStatus.parse(submitted.record().getString("status"), "status").isTerminal();
        int status = submitted.existing() || (waitMs > 0 && ended) ? 200 : 202;
        json(ctx, status, submitted.record());
      })
      .onFailure(err -> HttpErrors.fail(ctx, err));
  }

  private void get(RoutingContext ctx) {
    if (!validId(ctx)) {
      return;
    }
    coordinator.get(ctx.pathParam("id"))
      .onSuccess(record -> json(ctx, 200, record))
      .onFailure(err -> HttpErrors.fail(ctx, err));
  }

  private void list(RoutingContext ctx) {
    JsonObject filter;
    try {
      filter = TaskQuery.filter(ctx.request().getParam("status"), ctx.request().getParam("type"),
        RequestBodies.queryLong(ctx, "limit", 1, TaskQuery.MAX_LIMIT), ctx.request().getParam("after"));
    } catch (RuntimeException e) {
      HttpErrors.fail(ctx, e);
      return;
    }
    coordinator.list(filter)
      .onSuccess(page -> json(ctx, 200, page))
      .onFailure(err -> HttpErrors.fail(ctx, err));
  }

  private void cancel(RoutingContext ctx) {
    if (!validId(ctx)) {
      return;
    }
    coordinator.cancel(ctx.pathParam("id"))
      .onSuccess(record -> json(ctx, 200, record))
      .onFailure(err -> HttpErrors.fail(ctx, err));
  }

  /** An id no task can have (too long, or characters ids never contain) is refused before the coordinator is asked. */
  private static boolean validId(RoutingContext ctx) {
    if (TaskSpec.isValidId(ctx.pathParam("id"))) {
      return true;
    }
    HttpErrors.send(ctx, ErrorCode.INVALID_FIELD, "id must be 1-128 letters, digits, '.', '_', ':' or '-'", "id");
    return false;
  }

  static void json(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
      .end(body instanceof JsonObject o ? o.encode() : String.valueOf(body));
  }
}
