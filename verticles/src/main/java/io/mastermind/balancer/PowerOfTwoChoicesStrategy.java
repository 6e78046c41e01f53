package io.mastermind.balancer;

import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * Samples two distinct candidates at random and takes the less loaded: nearly as even as least-loaded,
 * without every coordinator piling onto the same node between load updates.
 */
public final class PowerOfTwoChoicesStrategy implements LoadBalancingStrategy {

  public static final String NAME = "power-of-two";

  private final RandomGenerator random;

  public PowerOfTwoChoicesStrategy() {
    this(new Random());
  }

  public PowerOfTwoChoicesStrategy(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public NodeSnapshot choose(List<NodeSnapshot> candidates, PlacementRequest request) {
    int n = candidates.size();
    if (n == 1) {
      return candidates.get(0);
    }
    int first = random.nextInt(n);
    int second = random.nextInt(n - 1);
    if (second >= first) {
      second++;
    }
    NodeSnapshot a = candidates.get(first);
    NodeSnapshot b = candidates.get(second);
    return LeastLoadedStrategy.BY_LOAD.compare(a, b) <= 0 ? a : b;
  }
}
