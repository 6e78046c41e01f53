package io.mastermind.balancer;

import java.util.Comparator;
import java.util.List;

/** The default: the node with the lowest load, then the fewest running tasks, then the lowest id (stable). */
public final class LeastLoadedStrategy implements LoadBalancingStrategy {

  public static final String NAME = "least-loaded";

  static final Comparator<NodeSnapshot> BY_LOAD = Comparator.comparingDouble(NodeSnapshot::load)
    .thenComparingInt(NodeSnapshot::runningTasks)
    .thenComparing(NodeSnapshot::nodeId);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public NodeSnapshot choose(List<NodeSnapshot> candidates, PlacementRequest request) {
    return candidates.stream().min(BY_LOAD).orElseThrow();
  }
}
