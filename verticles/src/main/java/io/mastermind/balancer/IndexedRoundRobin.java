package io.mastermind.balancer;

/**
 * {@link RoundRobinStrategy} over a pool's {@link FreeCapacityTree} laid out in node id order (the
 * pool's ring): the first fitting node after the last one chosen, wrapping to the lowest id. The turn
 * is one {@link Turn} shared by all the pools of an index, as the strategy keeps one for all requests,
 * so both pick the same node.
 */
final class IndexedRoundRobin extends TreeSelector {

  /** The id of the node chosen last, by any pool of the index; null before the first choice. */
  static final class Turn {
    String last;
  }

  private final Turn turn;

  IndexedRoundRobin(Turn turn) {
    super(true, false);
    this.turn = turn;
  }

  @Override
  public IndexedNode select(PlacementRequest request) {
    tree.layOut();
    if (!tree.mayFitAny(request)) {
      return null;
    }
    int from = turn.last == null ? 0 : tree.slotAfter(turn.last);
    int slot = tree.firstFit(from, request);
    if (slot < 0 && from > 0) {
      slot = tree.firstFit(0, request);
    }
    if (slot < 0) {
      return null;
    }
    IndexedNode chosen = tree.leaf(slot);
    turn.last = chosen.id;
    return chosen;
  }
}
