package io.mastermind.balancer;

import java.util.Comparator;
import java.util.TreeSet;

/**
 * Best fit over ordered sets: the fitting node with the least free cpu, then the least free memory,
 * then the lowest id, i.e. the node the task leaves the smallest hole in, counted in cores first.
 *
 * <p>This ranks as {@link BestFitStrategy} does whenever the nodes compared have the same capacity,
 * and agrees with it on its documented cases (the tightest node wins; a cpu-only request goes to the
 * node with the fewest free cores; equal holes go to the lowest id). Across nodes of different sizes
 * the strategy compares holes as fractions of each node's capacity, an order that depends on the
 * request and so cannot be kept sorted ahead of it; absolute free cpu and memory can, and a smaller
 * absolute hole is what packing wants.
 *
 * <h2>Implementation notes</h2>
 * Two red-black trees ({@link TreeSet}) ordered by (free cpu, free memory, id): nodes with a free gpu
 * and nodes without, so a gpu request never walks past gpu-less nodes. A choice starts at the first
 * node with enough free cpu ({@code ceiling}) and walks up to the first that also has the memory (and
 * gpu): O(log n + s), s the nodes skipped for having the cpu but not the memory. A change of free
 * resources is a remove and an insert, O(log n).
 */
final class IndexedBestFit implements PoolSelector {

  /** Slack below the requested cpu where a node may still fit ({@code Resources.covers} allows 1e-9). */
  private static final double CPU_SLACK = 2e-9;

  static final Comparator<IndexedNode> BY_FREE = (a, b) -> {
    int c = Double.compare(a.freeCpu, b.freeCpu);
    if (c != 0) {
      return c;
    }
    c = Long.compare(a.freeMemory, b.freeMemory);
    return c != 0 ? c : a.id.compareTo(b.id);
  };

  private final TreeSet<IndexedNode> withGpu = new TreeSet<>(BY_FREE);
  private final TreeSet<IndexedNode> withoutGpu = new TreeSet<>(BY_FREE);
  private final IndexedNode probe = IndexedNode.probe();

  private TreeSet<IndexedNode> setOf(IndexedNode node) {
    return node.freeGpu > 0 ? withGpu : withoutGpu;
  }

  @Override
  public void added(IndexedNode node) {
    setOf(node).add(node);
  }

  @Override
  public void removed(IndexedNode node) {
    setOf(node).remove(node);
  }

  @Override
  public void changing(IndexedNode node) {
    setOf(node).remove(node);
  }

  @Override
  public void changed(IndexedNode node) {
    setOf(node).add(node);
  }

  @Override
  public IndexedNode select(PlacementRequest request) {
    probe.freeCpu = request.resources().cpu() - CPU_SLACK;
    probe.freeMemory = Long.MIN_VALUE;
    IndexedNode best = firstFit(withGpu, request);
    if (request.resources().gpu() == 0) {
      IndexedNode other = firstFit(withoutGpu, request);
      if (best == null || other != null && BY_FREE.compare(other, best) < 0) {
        best = other;
      }
    }
    return best;
  }

  private IndexedNode firstFit(TreeSet<IndexedNode> set, PlacementRequest request) {
    if (set.isEmpty() || set.last().freeCpu < probe.freeCpu) {
      return null;
    }
    for (IndexedNode node : set.tailSet(probe, true)) {
      if (node.fits(request)) {
        return node;
      }
    }
    return null;
  }
}
