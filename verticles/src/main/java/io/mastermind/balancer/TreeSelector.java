package io.mastermind.balancer;

/**
 * A {@link PoolSelector} whose pool lives in one {@link FreeCapacityTree}: membership and changes go
 * to the tree; subclasses only choose. The tree reads a node's numbers when it recomputes the node's
 * leaf in {@link #changed}, so {@link #changing} has nothing to do.
 */
abstract class TreeSelector implements PoolSelector {

  protected final FreeCapacityTree tree;

  TreeSelector(boolean idOrder, boolean loadOrder) {
    this.tree = new FreeCapacityTree(idOrder, loadOrder);
  }

  @Override
  public final void added(IndexedNode node) {
    tree.add(node);
  }

  @Override
  public final void removed(IndexedNode node) {
    tree.remove(node);
  }

  @Override
  public final void changing(IndexedNode node) {
    // see the class comment
  }

  @Override
  public final void changed(IndexedNode node) {
    tree.changed(node);
  }
}
