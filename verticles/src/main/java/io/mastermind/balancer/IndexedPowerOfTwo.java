package io.mastermind.balancer;

import java.util.random.RandomGenerator;

/**
 * {@link PowerOfTwoChoicesStrategy} over a pool's {@link FreeCapacityTree}: two distinct fitting nodes
 * drawn uniformly at random, the less loaded of them by least-loaded's order.
 *
 * <p>Each draw picks random slots until one holds a fitting node (rejection sampling, uniform over the
 * fitting nodes); after {@value #ATTEMPTS} misses, as when few nodes fit, it lists the fitting nodes
 * through the tree and draws among them, which is uniform too. So the pair has the strategy's
 * distribution, at O(1) expected cost while a fair share of the pool fits.
 */
final class IndexedPowerOfTwo extends TreeSelector {

  static final int ATTEMPTS = 32;

  private final RandomGenerator random;

  IndexedPowerOfTwo(RandomGenerator random) {
    super(false, false);
    this.random = random;
  }

  @Override
  public IndexedNode select(PlacementRequest request) {
    tree.layOut();
    if (!tree.mayFitAny(request)) {
      return null;
    }
    int first = draw(request, -1);
    int second = first < 0 ? -1 : draw(request, first);
    if (second < 0) {
      int[] fits = tree.collectFits(request); // fits[0] is the count, the slots follow
      int count = fits[0];
      if (count == 0) {
        return null;
      }
      if (count == 1) {
        return tree.leaf(fits[1]);
      }
      int a;
      if (first < 0) {
        a = random.nextInt(count);
        first = fits[1 + a];
      } else {
        a = 0;
        while (fits[1 + a] != first) {
          a++;
        }
      }
      int b = random.nextInt(count - 1);
      if (b >= a) {
        b++;
      }
      second = fits[1 + b];
    }
    IndexedNode x = tree.leaf(first);
    IndexedNode y = tree.leaf(second);
    return IndexedNode.compareByLoad(x, y) <= 0 ? x : y;
  }

  /** A random slot other than {@code except} whose node fits, or -1 after {@link #ATTEMPTS} misses. */
  private int draw(PlacementRequest request, int except) {
    int used = tree.used();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int slot = random.nextInt(used);
      if (slot != except) {
        IndexedNode node = tree.leaf(slot);
        if (node != null && node.fits(request)) {
          return slot;
        }
      }
    }
    return -1;
  }
}
