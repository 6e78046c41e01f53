package io.mastermind.health;

import io.mastermind.protocol.NodeConfig;
import io.mastermind.protocol.NodeState;

import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The health verticle's book of worker nodes: what each declared, its state, when it joined and was
 * last heard from, with counts by state kept as states change (no scan for {@code /api/v1/cluster}).
 * Pure and not thread-safe.
 */
public final class NodeRegistry {

  /** One node. Fields change only through the registry, so the counts stay right. */
  public static final class Node {
    private NodeConfig config;
    private NodeState state = NodeState.HEALTHY;
    private final long joinedAt;
    private long lastSeen;

    Node(NodeConfig config, long now) {
      this.config = config;
      this.joinedAt = now;
      this.lastSeen = now;
    }

    public NodeConfig config() {
      return config;
    }

    public NodeState state() {
      return state;
    }

    public long joinedAt() {
      return joinedAt;
    }

    public long lastSeen() {
      return lastSeen;
    }

    /** Gone: left or failed. It comes back only by joining again. */
    public boolean isGone() {
      return state == NodeState.LEFT || state == NodeState.FAILED;
    }
  }

  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final EnumMap<NodeState, Integer> counts = new EnumMap<>(NodeState.class);

  /** Adds or re-admits a node as healthy; returns its previous state, or null when it is new. */
  public NodeState join(NodeConfig config, long now) {
    Node existing = nodes.get(config.id());
    NodeState previous = existing == null ? null : existing.state;
    if (existing == null || existing.state == NodeState.LEFT) {
      if (existing != null) {
        count(existing.state, -1);
      }
      Node node = new Node(config, now);
      nodes.put(config.id(), node);
      count(NodeState.HEALTHY, 1);
    } else {
      existing.config = config;
      existing.lastSeen = now;
      setState(existing, NodeState.HEALTHY);
    }
    return previous;
  }

  /** Moves a node to a state; returns its previous state, or null when unknown. */
  public NodeState setState(String nodeId, NodeState state) {
    Node node = nodes.get(nodeId);
    if (node == null) {
      return null;
    }
    NodeState previous = node.state;
    setState(node, state);
    return previous;
  }

  private void setState(Node node, NodeState state) {
    if (node.state != state) {
      count(node.state, -1);
      count(state, 1);
      node.state = state;
    }
  }

  private void count(NodeState state, int delta) {
    counts.merge(state, delta, Integer::sum);
  }

  public void seen(String nodeId, long now) {
    Node node = nodes.get(nodeId);
    if (node != null) {
      node.lastSeen = now;
    }
  }

  public Optional<Node> get(String nodeId) {
    return Optional.ofNullable(nodes.get(nodeId));
  }

  public Collection<Node> all() {
    return nodes.values();
  }

  public int count(NodeState state) {
    return counts.getOrDefault(state, 0);
  }

  public void clear() {
    nodes.clear();
    counts.clear();
  }
}
