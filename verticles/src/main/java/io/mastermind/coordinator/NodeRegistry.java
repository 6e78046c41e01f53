package io.mastermind.coordinator;

import io.mastermind.balancer.NodeSnapshot;
import io.mastermind.protocol.NodeConfig;
import io.mastermind.protocol.NodeState;
import io.mastermind.resources.ResourceLedger;
import io.mastermind.resources.Resources;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The coordinator's view of the worker nodes: what each declared, its state, its last metrics, and
 * (through the ledger) what is free on it. Owned by the coordinator's context.
 */
final class NodeRegistry {

  static final class Node {
    NodeConfig config;
    NodeState state = NodeState.HEALTHY;
    JsonObject metrics = new JsonObject();
    long joinedAt;
    long lastSeen;
    int running;

    Node(NodeConfig config, long now) {
      this.config = config;
      this.joinedAt = now;
      this.lastSeen = now;
    }
  }

  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final ResourceLedger ledger;

  NodeRegistry(ResourceLedger ledger) {
    this.ledger = ledger;
  }

  static Resources capacityOf(NodeConfig config) {
    return new Resources(config.cpuCores(), config.memoryMb(), config.gpu() ? 1 : 0);
  }

  /** Adds or re-admits a node; returns its previous state, or null when it is new. */
  NodeState join(NodeConfig config, long now) {
    Node existing = nodes.get(config.id());
    NodeState previous = existing == null ? null : existing.state;
    if (existing == null || existing.state == NodeState.LEFT) {
      nodes.put(config.id(), new Node(config, now));
    } else {
      existing.config = config;
      existing.state = NodeState.HEALTHY;
      existing.lastSeen = now;
    }
    ledger.registerNode(config.id(), capacityOf(config));
    return previous;
  }

  /** Marks a node gone; its reservations are dropped with it. */
  void leave(String nodeId) {
    end(nodeId, NodeState.LEFT);
  }

  /** Marks a node failed; its reservations are dropped. It comes back only by joining again. */
  void fail(String nodeId) {
    end(nodeId, NodeState.FAILED);
  }

  private void end(String nodeId, NodeState state) {
    Node node = nodes.get(nodeId);
    if (node != null) {
      node.state = state;
      node.running = 0;
    }
    ledger.removeNode(nodeId);
  }

  /** Forgets every node (a coordinator that stops leading). */
  void clear() {
    nodes.keySet().forEach(ledger::removeNode);
    nodes.clear();
  }

  Optional<Node> get(String nodeId) {
    return Optional.ofNullable(nodes.get(nodeId));
  }

  Collection<Node> all() {
    return nodes.values();
  }

  boolean isEligible(String nodeId) {
    Node node = nodes.get(nodeId);
    return node != null && node.state == NodeState.HEALTHY;
  }

  /** Nodes that may take new tasks now. */
  List<NodeSnapshot> eligibleSnapshots() {
    List<NodeSnapshot> snapshots = new ArrayList<>();
    for (Node node : nodes.values()) {
      if (node.state == NodeState.HEALTHY) {
        snapshots.add(snapshot(node));
      }
    }
    return snapshots;
  }

  /** Nodes that are still members (not left or failed), for "could this ever run?" questions. */
  List<NodeSnapshot> memberSnapshots() {
    List<NodeSnapshot> snapshots = new ArrayList<>();
    for (Node node : nodes.values()) {
      if (node.state != NodeState.LEFT && node.state != NodeState.FAILED) {
        snapshots.add(snapshot(node));
      }
    }
    return snapshots;
  }

  NodeSnapshot snapshot(Node node) {
    String id = node.config.id();
    return new NodeSnapshot(id, node.config.capabilities(), node.config.functions(), ledger.capacity(id),
      ledger.available(id), node.running);
  }

  /** The node as {@code GET /api/v1/nodes} shows it. */
  JsonObject toJson(Node node) {
    String id = node.config.id();
    JsonObject json = node.config.toJson();
    Resources free = ledger.available(id);
    json.getJsonObject("resources").getJsonObject("memory").put("available", free.memory());
    json.getJsonObject("resources").getJsonObject("cpu").put("available", free.cpu());
    return json
      .put("state", node.state.wireName())
      .put("metrics", node.metrics)
      .put("runningTasks", node.running)
      .put("joinedAt", node.joinedAt)
      .put("lastSeen", node.lastSeen);
  }
}
