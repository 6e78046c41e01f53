package io.mastermind.balancer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Placement: filters nodes by capability, function and free resources, then lets the configured
 * strategy choose. Pure; the coordinator feeds it snapshots of eligible (healthy) nodes.
 */
public final class LoadBalancer {

  public static final String DEFAULT_STRATEGY = LeastLoadedStrategy.NAME;
  public static final List<String> STRATEGIES = List.of(LeastLoadedStrategy.NAME, RoundRobinStrategy.NAME,
    BestFitStrategy.NAME, PowerOfTwoChoicesStrategy.NAME);

  private final LoadBalancingStrategy strategy;

  public LoadBalancer(LoadBalancingStrategy strategy) {
    this.strategy = strategy;
  }

  /** The strategy of that config name; throws IllegalArgumentException naming the choices. */
  public static LoadBalancingStrategy strategy(String name) {
    if (name == null) {
      throw new IllegalArgumentException("strategy is required, choose one of " + STRATEGIES);
    }
    return switch (name) {
      case LeastLoadedStrategy.NAME -> new LeastLoadedStrategy();
      case RoundRobinStrategy.NAME -> new RoundRobinStrategy();
      case BestFitStrategy.NAME -> new BestFitStrategy();
      case PowerOfTwoChoicesStrategy.NAME -> new PowerOfTwoChoicesStrategy();
      default -> throw new IllegalArgumentException("unknown strategy " + name + ", choose one of " + STRATEGIES);
    };
  }

  public LoadBalancingStrategy strategy() {
    return strategy;
  }

  /** The node to place the request on now, or empty when none fits. */
  public Optional<NodeSnapshot> select(Collection<NodeSnapshot> eligible, PlacementRequest request) {
    List<NodeSnapshot> candidates = new ArrayList<>();
    for (NodeSnapshot node : eligible) {
      if (node.fits(request)) {
        candidates.add(node);
      }
    }
    return candidates.isEmpty() ? Optional.empty() : Optional.of(strategy.choose(candidates, request));
  }

  /** True when some node could run the request once idle. */
  public static boolean canEverPlace(Collection<NodeSnapshot> nodes, PlacementRequest request) {
    return nodes.stream().anyMatch(node -> node.couldHold(request));
  }

  /**
   * rebalanceTasks: the tasks assigned but not started whose node is no longer eligible; the caller
   * takes their reservations back and queues them again.
   *
   * @param assignedNotStarted task id to node id
   */
  public static List<String> tasksToReplace(Map<String, String> assignedNotStarted, Set<String> eligibleNodes) {
    return assignedNotStarted.entrySet().stream()
      .filter(e -> !eligibleNodes.contains(e.getValue()))
      .map(Map.Entry::getKey)
      .sorted()
      .toList();
  }
}
