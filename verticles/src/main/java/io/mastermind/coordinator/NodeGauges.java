package io.mastermind.coordinator;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The leader's per-node gauges, tagged {@code node}: phi, cpu and memory capacity, reserved (by the
 * tasks placed there) and used (as the node reports). A node's gauges are registered when it is first
 * seen and removed once it is gone, so the series are bounded by the live nodes.
 */
final class NodeGauges {

  /** The gauges of one node: each reads one field of the node's latest entry. */
  private static final class Node {
    final AtomicReference<JsonObject> latest = new AtomicReference<>(new JsonObject());
    final List<Meter> meters = new ArrayList<>();
  }

  private static final double MB = 1024.0 * 1024.0;

  private final MeterRegistry registry;
  private final Map<String, Node> nodes = new HashMap<>();

  NodeGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The health verticle's {@code perNode} entries: gauges of nodes no longer listed go. */
  void update(JsonArray entries) {
    Set<String> seen = new HashSet<>();
    for (Object o : entries) {
      if (o instanceof JsonObject entry && entry.getString("id") != null) {
        String id = entry.getString("id");
        seen.add(id);
        nodes.computeIfAbsent(id, this::register).latest.set(entry);
      }
    }
    nodes.entrySet().removeIf(e -> {
      if (seen.contains(e.getKey())) {
        return false;
      }
      e.getValue().meters.forEach(registry::remove);
      return true;
    });
  }

  /** Stepping down: a standby exports no node gauges. */
  void clear() {
    nodes.values().forEach(n -> n.meters.forEach(registry::remove));
    nodes.clear();
  }

  private Node register(String id) {
    Node node = new Node();
    gauge(node, id, "mastermind.node.phi", "Phi-accrual suspicion of the node's heartbeats (suspect above 8)", "phi", 1);
    gauge(node, id, "mastermind.node.cpu.capacity.cores", "Cores the node offers", "cpuCapacity", 1);
    gauge(node, id, "mastermind.node.cpu.reserved.cores", "Cores reserved by the tasks placed on the node", "cpuReserved", 1);
    gauge(node, id, "mastermind.node.cpu.usage.ratio", "The node machine's cpu load as it reports it, 0 to 1", "cpuUsage", 1);
    gauge(node, id, "mastermind.node.memory.capacity.bytes", "Memory the node offers", "memoryCapacityMb", MB);
    gauge(node, id, "mastermind.node.memory.reserved.bytes", "Memory reserved by the tasks placed on the node",
      "memoryReservedMb", MB);
    gauge(node, id, "mastermind.node.memory.used.bytes", "The node machine's memory in use as it reports it", "memoryUsedMb", MB);
    return node;
  }

  private void gauge(Node node, String id, String name, String description, String field, double scale) {
    AtomicReference<JsonObject> latest = node.latest;
    node.meters.add(Gauge.builder(name, latest, ref -> {
        Object value = ref.get().getValue(field);
        return value instanceof Number n ? n.doubleValue() * scale : 0.0;
      })
      .description(description).tag("node", id).strongReference(true).register(registry));
  }
}
