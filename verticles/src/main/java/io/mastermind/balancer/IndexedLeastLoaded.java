package io.mastermind.balancer;

/**
 * {@link LeastLoadedStrategy} over a pool's {@link FreeCapacityTree}: the fitting node with the lowest
 * load, then the fewest running tasks, then the lowest id; the same node the strategy picks.
 */
final class IndexedLeastLoaded implements PoolSelector {

  private final FreeCapacityTree tree = new FreeCapacityTree(true, true);

  @Override
  public void added(IndexedNode node) {
    tree.add(node);
  }

  @Override
  public void removed(IndexedNode node) {
    tree.remove(node);
  }

  @Override
  public void changing(IndexedNode node) {
    // the tree reads the node's numbers when it recomputes the node's leaf in changed()
  }

  @Override
  public void changed(IndexedNode node) {
    tree.changed(node);
  }

  @Override
  public IndexedNode select(PlacementRequest request) {
    tree.layOut();
    int slot = tree.leastLoadedFit(request);
    return slot < 0 ? null : tree.leaf(slot);
  }
}
