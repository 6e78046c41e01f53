package io.mastermind.balancer;

import io.mastermind.resources.Resources;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A segment tree over the eligible nodes of one pool: each node of the tree keeps the largest free cpu,
 * memory and gpu found under it, so a search skips every subtree in which no node could fit a request,
 * and (when asked to) the least loaded node under it, so least-loaded can stop at the first fitting
 * minimum. Nodes sit in leaves ("slots"); a leaf whose node left stays empty until the next layout,
 * and the node takes it again if it comes back (a suspect node turning healthy) before then.
 *
 * <h2>Implementation notes</h2>
 * The tree is an implicit binary heap in arrays: node {@code i} has children {@code 2i} and {@code 2i+1},
 * leaf {@code s} is node {@code width + s}, {@code width} a power of two with a quarter spare for nodes
 * that join later. A node is found in its leaf through {@code slotOf[ordinal]}. The least loaded
 * node of a subtree is compared by (load, running tasks, slot), read from arrays rather than from
 * the nodes; with the leaves in id order the slot stands for the id, as least-loaded's last tie-break.
 * <table>
 *   <caption>Costs, n the pool's eligible nodes</caption>
 *   <tr><th>operation</th><th>cost</th></tr>
 *   <tr><td>a node's free resources change</td><td>O(log n), stops early once the maxima stop changing</td></tr>
 *   <tr><td>a node leaves</td><td>O(log n): its leaf is emptied</td></tr>
 *   <tr><td>a node joins</td><td>O(log n) into a spare leaf; with no spare leaf, or when leaves must stay in id
 *       order and it sorts before the last, the layout is marked stale</td></tr>
 *   <tr><td>relayout (on the next search after it went stale)</td><td>O(n log n) when in id order, else O(n)</td></tr>
 *   <tr><td>first fitting leaf at or after a slot</td><td>O(log n) when the maxima of the subtrees it passes
 *       tell fitting from not; O(n) at worst, when every subtree has enough cpu in one node and enough
 *       memory in another but no node has both</td></tr>
 *   <tr><td>least loaded fitting node</td><td>O(log n) when the least loaded node fits; in general
 *       O(k log n), k the nodes less loaded than the answer that do not fit</td></tr>
 *   <tr><td>list every fitting node</td><td>O(m log n), m the fitting nodes</td></tr>
 * </table>
 *
 * <p>Not thread-safe, like the index that owns it.
 */
final class FreeCapacityTree {

  private static final int MIN_WIDTH = 8;
  private static final Comparator<IndexedNode> BY_ID = Comparator.comparing(node -> node.id);

  private final boolean idOrder;
  private final boolean trackLeastLoaded;

  /** The eligible nodes, in no order, and where each is in that array, by ordinal. */
  private IndexedNode[] members = new IndexedNode[MIN_WIDTH];
  private int memberCount;
  private int[] memberPos = new int[MIN_WIDTH];

  /** The layout: leaves, how many are handed out (holes included), how many hold a node. */
  private IndexedNode[] leaves = new IndexedNode[0];
  /** Leaf ids, kept for emptied leaves too: for binary search, and to give a returning node its leaf. */
  private String[] ids = new String[0];
  private int width;
  private int used;
  private int live;
  private int[] slotOf = new int[MIN_WIDTH];
  private boolean stale = true;

  private double[] maxCpu = new double[0];
  private long[] maxMemory = new long[0];
  private int[] maxGpu = new int[0];
  /** Slot of the least loaded node under each tree node, -1 for none (only with trackLeastLoaded). */
  private int[] least = new int[0];
  /** Each leaf's load and running tasks, so comparisons stay in these arrays (only with trackLeastLoaded). */
  private double[] leafLoad = new double[0];
  private int[] leafRunning = new int[0];

  /** Reused by {@link #collectFits}. */
  private int[] found = new int[MIN_WIDTH];

  /**
   * @param idOrder leaves in node id order (round-robin walks them so)
   * @param trackLeastLoaded keep the least loaded node of each subtree, for {@link #leastLoadedFit};
   *                         needs id order, which breaks its ties
   */
  FreeCapacityTree(boolean idOrder, boolean trackLeastLoaded) {
    if (trackLeastLoaded && !idOrder) {
      throw new IllegalArgumentException("least-loaded tracking breaks ties by slot, so needs the leaves in id order");
    }
    this.idOrder = idOrder;
    this.trackLeastLoaded = trackLeastLoaded;
  }

  // ---- membership -------------------------------------------------------------------------------

  void add(IndexedNode node) {
    int ordinal = node.ordinal;
    if (ordinal >= memberPos.length) {
      int length = Math.max(ordinal + 1, memberPos.length * 2);
      memberPos = Arrays.copyOf(memberPos, length);
      slotOf = Arrays.copyOf(slotOf, length); // a stale entry is harmless: a leaf is taken back only by its id
    }
    if (memberCount == members.length) {
      members = Arrays.copyOf(members, memberCount * 2);
    }
    memberPos[ordinal] = memberCount;
    members[memberCount++] = node;
    if (stale) {
      return;
    }
    int slot = slotOf[ordinal];
    if (slot >= 0 && slot < used && leaves[slot] == null && node.id.equals(ids[slot])) {
      place(node, slot); // back in the leaf it left
    } else if (used < width && (!idOrder || used == 0 || node.id.compareTo(ids[used - 1]) > 0)) {
      place(node, used++); // a spare leaf, keeping id order if kept
    } else {
      stale = true;
    }
  }

  private void place(IndexedNode node, int slot) {
    leaves[slot] = node;
    ids[slot] = node.id;
    slotOf[node.ordinal] = slot;
    live++;
    refresh(slot);
  }

  void remove(IndexedNode node) {
    int pos = memberPos[node.ordinal];
    IndexedNode last = members[--memberCount];
    members[pos] = last;
    memberPos[last.ordinal] = pos;
    members[memberCount] = null;
    if (!stale) {
      int slot = slotOf[node.ordinal];
      leaves[slot] = null;
      live--;
      refresh(slot);
      if (used > MIN_WIDTH && live * 4 < used) {
        stale = true; // mostly holes: sampling by slot would miss too often
      }
    }
  }

  /** The node's free resources or load changed. */
  void changed(IndexedNode node) {
    if (!stale) {
      refresh(slotOf[node.ordinal]);
    }
  }

  int size() {
    return memberCount;
  }

  // ---- layout -----------------------------------------------------------------------------------

  /** Lays the leaves out again if joins or leaves made the layout stale; every search calls it first. */
  void layOut() {
    if (!stale) {
      return;
    }
    int n = memberCount;
    IndexedNode[] order = Arrays.copyOf(members, n);
    if (idOrder) {
      Arrays.sort(order, BY_ID);
    }
    int w = MIN_WIDTH;
    while (w < n + (n >> 2)) {
      w <<= 1;
    }
    if (w != width) {
      width = w;
      leaves = new IndexedNode[w];
      ids = new String[w];
      maxCpu = new double[2 * w];
      maxMemory = new long[2 * w];
      maxGpu = new int[2 * w];
      if (trackLeastLoaded) {
        least = new int[2 * w];
        leafLoad = new double[w];
        leafRunning = new int[w];
      }
    } else {
      Arrays.fill(leaves, null);
    }
    for (int slot = 0; slot < n; slot++) {
      leaves[slot] = order[slot];
      ids[slot] = order[slot].id;
      slotOf[order[slot].ordinal] = slot;
    }
    used = n;
    live = n;
    for (int slot = 0; slot < w; slot++) {
      setLeaf(slot);
    }
    for (int i = w - 1; i >= 1; i--) {
      combine(i);
    }
    stale = false;
  }

  private void setLeaf(int slot) {
    int i = width + slot;
    IndexedNode node = leaves[slot];
    if (node == null) {
      maxCpu[i] = Double.NEGATIVE_INFINITY;
      maxMemory[i] = -1;
      maxGpu[i] = -1;
      if (trackLeastLoaded) {
        least[i] = -1;
      }
    } else {
      maxCpu[i] = node.freeCpu;
      maxMemory[i] = node.freeMemory;
      maxGpu[i] = node.freeGpu;
      if (trackLeastLoaded) {
        least[i] = slot;
        leafLoad[slot] = node.load;
        leafRunning[slot] = node.runningTasks;
      }
    }
  }

  /** Is the node in slot a less loaded than the one in slot b? By load, running tasks, then slot (id). */
  private boolean lessLoaded(int a, int b) {
    int c = Double.compare(leafLoad[a], leafLoad[b]);
    if (c == 0) {
      c = Integer.compare(leafRunning[a], leafRunning[b]);
    }
    return c < 0 || c == 0 && a < b;
  }

  private void combine(int i) {
    int l = 2 * i;
    int r = l + 1;
    maxCpu[i] = Math.max(maxCpu[l], maxCpu[r]);
    maxMemory[i] = Math.max(maxMemory[l], maxMemory[r]);
    maxGpu[i] = Math.max(maxGpu[l], maxGpu[r]);
    if (trackLeastLoaded) {
      int a = least[l];
      int b = least[r];
      least[i] = a < 0 ? b : b < 0 ? a : lessLoaded(b, a) ? b : a;
    }
  }

  /** Recomputes the leaf and its ancestors, stopping where nothing above can change. */
  private void refresh(int slot) {
    setLeaf(slot);
    for (int i = (width + slot) >> 1; i >= 1; i >>= 1) {
      double cpu = maxCpu[i];
      long memory = maxMemory[i];
      int gpu = maxGpu[i];
      int leastBefore = trackLeastLoaded ? least[i] : -1;
      combine(i);
      boolean sameMaxima = cpu == maxCpu[i] && memory == maxMemory[i] && gpu == maxGpu[i];
      // the least loaded above may change if this subtree's least changed, or is the changed node
      boolean sameLeast = !trackLeastLoaded || (leastBefore == least[i] && leastBefore != slot);
      if (sameMaxima && sameLeast) {
        return;
      }
    }
  }

  // ---- searches ---------------------------------------------------------------------------------

  /** Leaves handed out, holes included: slots are {@code 0 <= slot < used()}. */
  int used() {
    return used;
  }

  /** The node in that slot, or null for an emptied one. */
  IndexedNode leaf(int slot) {
    return leaves[slot];
  }

  /** Could any node fit the request, judging by the maxima alone? False means surely not. */
  boolean mayFitAny(PlacementRequest request) {
    return live > 0 && mayFit(1, request.resources());
  }

  private boolean mayFit(int i, Resources wanted) {
    return Resources.covers(maxCpu[i], maxMemory[i], maxGpu[i], wanted);
  }

  /** The first slot whose id is greater than {@code id} (id order only); {@link #used()} when none. */
  int slotAfter(String id) {
    int lo = 0;
    int hi = used;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ids[mid].compareTo(id) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The lowest slot at or after {@code from} whose node fits the request, or -1. */
  int firstFit(int from, PlacementRequest request) {
    return from >= used || width == 0 ? -1 : firstFit(1, 0, width, from, request);
  }

  private int firstFit(int i, int lo, int hi, int from, PlacementRequest request) {
    if (hi <= from || !mayFit(i, request.resources())) {
      return -1;
    }
    if (i >= width) {
      return leaves[lo].fits(request) ? lo : -1;
    }
    int mid = (lo + hi) >>> 1;
    int slot = firstFit(2 * i, lo, mid, from, request);
    return slot >= 0 ? slot : firstFit(2 * i + 1, mid, hi, from, request);
  }

  /**
   * The slot of the fitting node least by {@link IndexedNode#compareByLoad}, or -1. Branch and bound:
   * a subtree whose least loaded node fits answers for the whole subtree; one whose least loaded node is
   * no better than the best found so far, or whose maxima cannot fit, is skipped.
   */
  int leastLoadedFit(PlacementRequest request) {
    if (!trackLeastLoaded) {
      throw new IllegalStateException("built without least-loaded tracking");
    }
    return width == 0 ? -1 : leastLoadedFit(1, -1, request);
  }

  private int leastLoadedFit(int i, int best, PlacementRequest request) {
    int candidate = least[i];
    if (candidate < 0 || !mayFit(i, request.resources()) || best >= 0 && !lessLoaded(candidate, best)) {
      return best;
    }
    if (leaves[candidate].fits(request)) {
      return candidate;
    }
    if (i >= width) {
      return best;
    }
    int l = 2 * i;
    int r = l + 1;
    int a = least[l];
    int b = least[r];
    if (a >= 0 && b >= 0 && lessLoaded(b, a)) {
      return leastLoadedFit(l, leastLoadedFit(r, best, request), request);
    }
    return leastLoadedFit(r, leastLoadedFit(l, best, request), request);
  }

  /**
   * Every slot whose node fits, in slot order, into an array reused by the next call; the count is
   * {@code result[0]}, the slots follow from index 1.
   */
  int[] collectFits(PlacementRequest request) {
    found[0] = 0;
    if (width > 0) {
      collectFits(1, request);
    }
    return found;
  }

  private void collectFits(int i, PlacementRequest request) {
    if (!mayFit(i, request.resources())) {
      return;
    }
    if (i >= width) {
      int slot = i - width;
      if (leaves[slot].fits(request)) {
        int count = found[0] + 1;
        if (count == found.length) {
          found = Arrays.copyOf(found, found.length * 2);
        }
        found[count] = slot;
        found[0] = count;
      }
      return;
    }
    collectFits(2 * i, request);
    collectFits(2 * i + 1, request);
  }
}
