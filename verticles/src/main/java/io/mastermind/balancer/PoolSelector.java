package io.mastermind.balancer;

/**
 * A strategy's structure over the eligible nodes of one pool (the nodes having one capability and
 * serving one function for it), kept up to date as nodes come, go and change, so a choice does not
 * look at every node. One implementation per strategy; {@link PlacementIndex} owns one per pool.
 *
 * <p>A node's free resources change between {@link #changing} and {@link #changed}: structures ordered
 * by them take the node out with its old values and put it back with the new ones.
 */
interface PoolSelector {

  /** The node joined the pool's eligible nodes. */
  void added(IndexedNode node);

  /** The node left them; it is still as it was when added or last changed. */
  void removed(IndexedNode node);

  /** The node's numbers are about to change. */
  void changing(IndexedNode node);

  /** The node's numbers changed. */
  void changed(IndexedNode node);

  /** The node to place the request on, or null when no eligible node of the pool fits it now. */
  IndexedNode select(PlacementRequest request);
}
