package io.mastermind.gateway;

import io.mastermind.coordinator.CoordinatorClient;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ValidationException;
import io.mastermind.security.ClusterSecurity;
import io.mastermind.security.SecureChannel;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/cluster} and {@code PUT /api/v1/log-level}. The cluster summary is the
 * coordinator's, with this gateway's Central Nexus registration added under {@code nexus}.
 */
final class ClusterRoutes {

  static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

  private final CoordinatorClient coordinator;
  private final EventBus bus;
  private final long timeoutMs;
  private final Supplier<JsonObject> nexusStatus;

  ClusterRoutes(CoordinatorClient coordinator, EventBus bus, long timeoutMs, Supplier<JsonObject> nexusStatus) {
    this.coordinator = coordinator;
    this.bus = bus;
    this.timeoutMs = timeoutMs;
    this.nexusStatus = nexusStatus;
  }

  void mount(Router router) {
    router.get("/api/v1/cluster").handler(this::cluster);
    router.put("/api/v1/log-level").handler(this::logLevel);
  }

  private void cluster(RoutingContext ctx) {
    coordinator.cluster()
      .onSuccess(summary -> TaskRoutes.json(ctx, 200, summary.copy().put("nexus", nexusStatus.get())))
      .onFailure(err -> HttpErrors.fail(ctx, err));
  }

  /** Applies the level on this node (answering once done) and tells every other node too. */
  private void logLevel(RoutingContext ctx) {
    String level;
    try {
      Object raw = RequestBodies.jsonObject(ctx).getValue("level");
      level = raw instanceof String s ? s.trim().toLowerCase(Locale.ROOT) : null;
      if (level == null || !LEVELS.contains(level)) {
        throw new ValidationException("level", "level must be one of " + LEVELS.stream().sorted().toList());
      }
    } catch (RuntimeException e) {
      HttpErrors.fail(ctx, e);
      return;
    }
    JsonObject body = new JsonObject().put("level", level);
    // signed as this node when the cluster has a secret: the other nodes take it only then
    SecureChannel channel = SecureChannel.of(bus, ClusterSecurity.of(bus).nodeId());
    channel.request(Addresses.LOG_LEVEL, channel.call(Addresses.LOG_LEVEL, "*", body),
        new DeliveryOptions().setLocalOnly(true).setSendTimeout(timeoutMs))
      .onSuccess(reply -> {
        channel.publish(Addresses.LOG_LEVEL, channel.call(Addresses.LOG_LEVEL, "*", body.copy().put("from", "gateway")));
        TaskRoutes.json(ctx, 200, body);
      })
      .onFailure(err -> HttpErrors.fail(ctx, err));
  }
}
