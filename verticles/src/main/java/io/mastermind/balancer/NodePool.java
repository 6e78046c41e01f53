package io.mastermind.balancer;

import io.mastermind.resources.Resources;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The member nodes that have one capability and serve one function for it: the only nodes a request
 * of that type and function may go to. Holds the strategy's {@link PoolSelector} over the eligible ones
 * and, for {@link PlacementIndex#canEverPlace}, how many members have each capacity.
 */
final class NodePool {

  private static final Comparator<Resources> LARGEST_FIRST = Comparator.comparingDouble(Resources::cpu)
    .thenComparingLong(Resources::memory)
    .thenComparingInt(Resources::gpu)
    .reversed();

  final String type;
  final String function;
  final PoolSelector selector;
  /** Members (eligible or not) by capacity. */
  private final Map<Resources, Integer> capacities = new HashMap<>();
  /** The capacities no other one covers, or null until asked after a change. */
  private List<Resources> frontier;

  NodePool(String type, String function, PoolSelector selector) {
    this.type = type;
    this.function = function;
    this.selector = selector;
  }

  void addCapacity(Resources capacity) {
    if (capacities.merge(capacity, 1, Integer::sum) == 1) {
      frontier = null;
    }
  }

  void removeCapacity(Resources capacity) {
    if (capacities.merge(capacity, -1, Integer::sum) == 0) {
      capacities.remove(capacity);
      frontier = null;
    }
  }

  boolean isEmpty() {
    return capacities.isEmpty();
  }

  /** Could some member, were it idle, hold the request? */
  boolean couldHold(Resources request) {
    if (frontier == null) {
      frontier = frontier();
    }
    for (Resources capacity : frontier) {
      if (capacity.covers(request)) {
        return true;
      }
    }
    return false;
  }

  /** The distinct capacities not covered by another: few, however many members share them. */
  private List<Resources> frontier() {
    List<Resources> largestFirst = new ArrayList<>(capacities.keySet());
    largestFirst.sort(LARGEST_FIRST);
    List<Resources> kept = new ArrayList<>();
    for (Resources capacity : largestFirst) {
      boolean covered = false;
      for (Resources bigger : kept) {
        if (bigger.cpu() >= capacity.cpu() && bigger.memory() >= capacity.memory() && bigger.gpu() >= capacity.gpu()) {
          covered = true;
          break;
        }
      }
      if (!covered) {
        kept.add(capacity);
      }
    }
    return kept;
  }
}
