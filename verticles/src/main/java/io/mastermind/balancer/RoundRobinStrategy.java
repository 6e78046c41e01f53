package io.mastermind.balancer;

import java.util.Comparator;
import java.util.List;

/**
 * Takes the nodes in id order, one after the other. The turn is remembered by node id, not by index,
 * so a node joining or leaving does not make the rotation skip or repeat a node.
 */
public final class RoundRobinStrategy implements LoadBalancingStrategy {

  public static final String NAME = "round-robin";

  private String last;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public NodeSnapshot choose(List<NodeSnapshot> candidates, PlacementRequest request) {
    List<NodeSnapshot> ordered = candidates.stream().sorted(Comparator.comparing(NodeSnapshot::nodeId)).toList();
    NodeSnapshot next = ordered.get(0);
    if (last != null) {
      for (NodeSnapshot node : ordered) {
        if (node.nodeId().compareTo(last) > 0) {
          next = node;
          break;
        }
      }
    }
    last = next.nodeId();
    return next;
  }
}
