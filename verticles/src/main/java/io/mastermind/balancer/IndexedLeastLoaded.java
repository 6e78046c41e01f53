package io.mastermind.balancer;

/**
 * {@link LeastLoadedStrategy} over a pool's {@link FreeCapacityTree}: the fitting node with the lowest
 * load, then the fewest running tasks, then the lowest id; the same node the strategy picks.
 */
final class IndexedLeastLoaded extends TreeSelector {

  IndexedLeastLoaded() {
    super(true, true);
  }

  @Override
  public IndexedNode select(PlacementRequest request) {
    tree.layOut();
    int slot = tree.leastLoadedFit(request);
    return slot < 0 ? null : tree.leaf(slot);
  }
}
