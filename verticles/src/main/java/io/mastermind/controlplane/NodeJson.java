package io.mastermind.controlplane;

import io.mastermind.controlplane.ControlMessages.NodeView;
import io.mastermind.health.MemberAudit;
import io.mastermind.health.NodeRegistry;
import io.mastermind.protocol.NodeState;
import io.mastermind.resources.Resources;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * How the health verticle shows a node: in {@code GET /api/v1/nodes} and in {@code node:health}
 * (SPEC section 10's HealthStatus), for members it knows and for members it rejected.
 */
final class NodeJson {

  private NodeJson() {
  }

  /** A known node; {@code view} is the resource verticle's latest view of it (null when gone or unseen). */
  static JsonObject listed(NodeRegistry.Node node, NodeView view, int prefetch) {
    JsonObject json = node.config().toJson();
    JsonObject resources = json.getJsonObject("resources");
    resources.getJsonObject("memory").put("available", view == null ? 0 : view.load().free().memory());
    resources.getJsonObject("cpu").put("available", view == null ? 0 : view.load().free().cpu());
    return json
      .put("state", node.state().wireName())
      .put("metrics", view == null ? new JsonObject() : view.metrics())
      .put("runningTasks", view == null ? 0 : view.load().held())
      .put("prefetch", prefetch)
      .put("joinedAt", node.joinedAt())
      .put("lastSeen", node.lastSeen());
  }

  /** A rejected member: what it claims, and why it was refused. */
  static JsonObject listed(MemberAudit.Rejected r) {
    return new JsonObject()
      .put("id", r.id())
      .put("host", r.host())
      .put("port", r.port())
      .put("capabilities", new JsonArray())
      .put("resources", new JsonObject()
        .put("cpu", new JsonObject().put("cores", 0).put("available", 0))
        .put("memory", new JsonObject().put("total", 0).put("available", 0))
        .put("gpu", false))
      .put("state", NodeState.REJECTED.wireName())
      .put("reason", r.reason())
      .put("refusedMessages", r.refused())
      .put("metrics", new JsonObject())
      .put("runningTasks", 0)
      .put("prefetch", 0)
      .put("joinedAt", r.firstSeen())
      .put("lastSeen", r.lastSeen());
  }

  /** {@code node:health} of a known node, from its view's metrics (empty when there is no view). */
  static JsonObject health(String id, NodeState state, double phi, long lastHeartbeatAgeMs, NodeView view) {
    JsonObject metrics = view == null ? new JsonObject() : view.metrics();
    JsonObject cpu = metrics.getJsonObject("cpu", new JsonObject());
    JsonObject memory = metrics.getJsonObject("memory", new JsonObject());
    return new JsonObject()
      .put("nodeId", id)
      .put("state", state.wireName())
      .put("phi", finite(phi))
      .put("lastHeartbeatAgeMs", lastHeartbeatAgeMs)
      .put("cpu", new JsonObject().put("usage", cpu.getValue("usage", 0.0)))
      .put("memory", new JsonObject().put("used", memory.getValue("used", 0)).put("available", memory.getValue("available", 0)))
      .put("running", view == null ? 0 : view.load().held());
  }

  /** Nodes by state, rejected members counted too. */
  static JsonObject counts(NodeRegistry registry, MemberAudit audit) {
    JsonObject counts = new JsonObject();
    for (NodeState s : NodeState.values()) {
      counts.put(s.wireName(), s == NodeState.REJECTED ? audit.rejectedCount() : registry.count(s));
    }
    return counts;
  }

  /**
   * One live node's gauges for the leader's metrics: phi, cpu and memory capacity and reserved (by placed
   * tasks; only once the resource verticle has a view of it) and used (as the node reports).
   */
  static JsonObject gauges(String id, double phi, NodeView view) {
    JsonObject metrics = view == null ? new JsonObject() : view.metrics();
    JsonObject entry = new JsonObject().put("id", id).put("phi", finite(phi))
      .put("cpuUsage", metrics.getJsonObject("cpu", new JsonObject()).getValue("usage", 0.0))
      .put("memoryUsedMb", metrics.getJsonObject("memory", new JsonObject()).getValue("used", 0));
    if (view != null) {
      Resources capacity = view.load().capacity();
      Resources free = view.load().free();
      entry.put("cpuCapacity", capacity.cpu()).put("cpuReserved", capacity.cpu() - free.cpu())
        .put("memoryCapacityMb", capacity.memory()).put("memoryReservedMb", capacity.memory() - free.memory());
    }
    return entry;
  }

  /** Phi as JSON can carry it: an infinite suspicion as the largest double. */
  private static double finite(double phi) {
    return Double.isFinite(phi) ? phi : Double.MAX_VALUE;
  }
}
