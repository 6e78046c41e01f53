package io.mastermind.balancer;

import io.mastermind.resources.Resources;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Nodes a request may go to, by their profiles: the members of every profile in {@link #profiles}.
 * Every (type, function) served by exactly the same profiles routes to the same pool, so a node
 * declaring ten built-in functions is kept in one structure per capability, not ten. Holds the
 * strategy's {@link PoolSelector} over the eligible members and, for
 * {@link PlacementIndex#canEverPlace}, how many members have each capacity.
 */
final class NodePool {

  private static final Comparator<Resources> LARGEST_FIRST = Comparator.comparingDouble(Resources::cpu)
    .thenComparingLong(Resources::memory)
    .thenComparingInt(Resources::gpu)
    .reversed();

  /** The profiles whose nodes are members; never changes. */
  final BitSet profiles;
  final PoolSelector selector;
  /** How many (type, function) routes lead here; the pool is dropped at zero. */
  int routes;
  /** Members (eligible or not) by capacity. */
  private final Map<Resources, Integer> capacities = new HashMap<>();
  /** The capacities no other one covers, or null until asked after a change. */
  private List<Resources> frontier;

  NodePool(BitSet profiles, PoolSelector selector) {
    this.profiles = profiles;
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
