package io.mastermind.balancer;

import io.mastermind.resources.Resources;

/**
 * One node as {@link PlacementIndex} holds it: the latest snapshot plus the numbers the per-pool
 * structures order by, copied out of the snapshot so comparisons read fields instead of recomputing.
 * Mutable: the index changes it in place on each upsert, after telling the pools it is about to.
 */
final class IndexedNode {

  /** Small dense number, reused after the node leaves; pools keep per-node positions in arrays by it. */
  final int ordinal;
  final String id;
  NodeSnapshot snapshot;
  Resources capacity;
  double freeCpu;
  long freeMemory;
  int freeGpu;
  /** {@link NodeSnapshot#load()}, cached. */
  double load;
  int runningTasks;
  /** Selectable now (healthy); a member that is not still counts for {@link PlacementIndex#canEverPlace}. */
  boolean eligible;
  /** What it declares (capabilities, functions), and so the pools it belongs to. */
  Profile profile;

  IndexedNode(int ordinal, NodeSnapshot snapshot, boolean eligible) {
    this.ordinal = ordinal;
    this.id = snapshot.nodeId();
    this.eligible = eligible;
    set(snapshot);
  }

  /** A key for ordered lookups ({@code ceiling}): never a member. */
  private IndexedNode() {
    this.ordinal = -1;
    this.id = "";
  }

  static IndexedNode probe() {
    return new IndexedNode();
  }

  void set(NodeSnapshot next) {
    snapshot = next;
    capacity = next.capacity();
    freeCpu = next.free().cpu();
    freeMemory = next.free().memory();
    freeGpu = next.free().gpu();
    load = next.load();
    runningTasks = next.runningTasks();
  }

  /**
   * {@link NodeSnapshot#fits} for a node already known to be in the request's pool (so to have its
   * capability and function): free and capacity both cover the request.
   */
  boolean fits(PlacementRequest request) {
    Resources wanted = request.resources();
    return Resources.covers(freeCpu, freeMemory, freeGpu, wanted) && capacity.covers(wanted);
  }

  /** {@link LeastLoadedStrategy#BY_LOAD} on the cached fields: load, then running tasks, then id. */
  static int compareByLoad(IndexedNode a, IndexedNode b) {
    int c = Double.compare(a.load, b.load);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(a.runningTasks, b.runningTasks);
    return c != 0 ? c : a.id.compareTo(b.id);
  }

  @Override
  public String toString() {
    return id;
  }
}
