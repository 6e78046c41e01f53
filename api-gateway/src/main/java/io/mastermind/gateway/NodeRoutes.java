package io.mastermind.gateway;

import io.mastermind.coordinator.CoordinatorClient;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.NodeConfig;
import io.mastermind.protocol.ValidationException;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/v1/nodes}: list, get, addNode, removeNode. */
final class NodeRoutes {

  private final CoordinatorClient coordinator;
  private final EventBus bus;
  private final long timeoutMs;

  NodeRoutes(CoordinatorClient coordinator, EventBus bus, long timeoutMs) {
    this.coordinator = coordinator;
    this.bus = bus;
    this.timeoutMs = timeoutMs;
  }

  void mount(Router router) {
    router.get("/api/v1/nodes").handler(this::list);
    router.get("/api/v1/nodes/:id").handler(this::get);
    router.post("/api/v1/nodes").handler(this::add);
    router.delete("/api/v1/nodes/:id").handler(this::remove);
  }

  private void list(RoutingContext ctx) {
    coordinator.nodes()
      .onSuccess(nodes -> TaskRoutes.json(ctx, 200, nodes))
      .onFailure(err -> HttpErrors.fail(ctx, err));
  }

  private void get(RoutingContext ctx) {
    if (!validId(ctx)) {
      return;
    }
    coordinator.node(ctx.pathParam("id"))
      .onSuccess(node -> TaskRoutes.json(ctx, 200, node))
      .onFailure(err -> HttpErrors.fail(ctx, err));
  }

  /** Starts a worker described by a NodeConfig in this gateway's process; 201 once it has joined. */
  private void add(RoutingContext ctx) {
    NodeConfig config;
    try {
      config = NodeConfig.fromJson(RequestBodies.jsonObject(ctx));
      int processors = Runtime.getRuntime().availableProcessors();
      if (config.cpuCores() > processors) {
        // the node is started in this process with a worker thread per core: no more than the host has
        throw new ValidationException("resources.cpu", "resources.cpu must be at most " + processors
          + " cores, this host's processors (got " + config.cpuCores() + ")");
      }
    } catch (RuntimeException e) {
      HttpErrors.fail(ctx, e);
      return;
    }
    bus.<JsonObject>request(Addresses.NODE_ADMIN_ADD, config.toJson(),
        new DeliveryOptions().setSendTimeout(timeoutMs).setLocalOnly(true))
      .map(Message::body)
      .compose(added -> coordinator.node(config.id()))
      .onSuccess(node -> {
        ctx.response().putHeader("Location", "/api/v1/nodes/" + config.id());
        TaskRoutes.json(ctx, 201, node);
      })
      .onFailure(err -> HttpErrors.fail(ctx, err));
  }

  /** Drains the node: 202 with its state; it leaves once its running tasks end. */
  private void remove(RoutingContext ctx) {
    if (!validId(ctx)) {
      return;
    }
    coordinator.drain(ctx.pathParam("id"))
      .onSuccess(node -> TaskRoutes.json(ctx, 202, node))
      .onFailure(err -> HttpErrors.fail(ctx, err));
  }

  /** A node id no node can have is refused before the coordinator is asked. */
  private static boolean validId(RoutingContext ctx) {
    if (NodeConfig.ID.matcher(ctx.pathParam("id")).matches()) {
      return true;
    }
    HttpErrors.send(ctx, ErrorCode.INVALID_FIELD, "a node id is 1-64 letters, digits, '.', '_' or '-'", "id");
    return false;
  }
}
