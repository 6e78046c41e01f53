package io.mastermind.balancer;

import java.util.Comparator;
import java.util.List;

/**
 * Bin packing: the node that would have the least left over after taking the task, so big holes stay
 * free for big tasks. Left-over is the sum of the cpu and memory fractions still free afterwards, so
 * a tighter node wins on either dimension (a cpu-only request still prefers the node with fewer free cores).
 */
public final class BestFitStrategy implements LoadBalancingStrategy {

  public static final String NAME = "best-fit";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public NodeSnapshot choose(List<NodeSnapshot> candidates, PlacementRequest request) {
    return candidates.stream()
      .min(Comparator.<NodeSnapshot>comparingDouble(node -> leftOver(node, request)).thenComparing(NodeSnapshot::nodeId))
      .orElseThrow();
  }

  static double leftOver(NodeSnapshot node, PlacementRequest request) {
    double cpu = node.capacity().cpu() <= 0 ? 0
      : (node.free().cpu() - request.resources().cpu()) / node.capacity().cpu();
    double memory = node.capacity().memory() <= 0 ? 0
      : (double) (node.free().memory() - request.resources().memory()) / node.capacity().memory();
    return cpu + memory;
  }
}
