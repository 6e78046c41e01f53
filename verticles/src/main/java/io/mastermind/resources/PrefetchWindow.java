package io.mastermind.resources;

/**
 * How many tasks the leader may hand a node beyond its free resources: enough to keep it busy for
 * {@code windowMs} at the rate it has been finishing tasks lately, never fewer than a steady
 * {@code floor} and never more than the {@code cap} the worker advertised.
 *
 * <p>Why adaptive: a fixed credit count caps a node at {@code credits / round trip}. With tasks of a
 * few microseconds and a round trip of a few milliseconds that is the bottleneck, so the window grows
 * with the node's completion rate (like a TCP window sized to the bandwidth-delay product). With long
 * tasks the rate is low and the window stays at the floor, so a high-priority task submitted later
 * waits behind at most about {@code windowMs} of prefetched work on any node.
 *
 * <p>The rate is an exponentially decayed count of completions (time constant {@link #TAU_MS}).
 * Pure and not thread-safe; time comes from the caller.
 */
public final class PrefetchWindow {

  /** Time constant of the completion-rate estimate. */
  static final double TAU_MS = 100;

  private final int floor;
  private final int cap;
  private final double windowMs;
  private double decayedCount;
  private long lastMs = Long.MIN_VALUE;
  private int limit;

  public PrefetchWindow(int floor, int cap, long windowMs) {
    this.cap = Math.max(0, cap);
    this.floor = Math.min(Math.max(0, floor), this.cap);
    this.windowMs = Math.max(0, windowMs);
    this.limit = this.floor;
  }

  /** {@code finished} tasks of the node ended at {@code nowMs}. */
  public void finished(int finished, long nowMs) {
    if (finished <= 0 || cap == floor) {
      return;
    }
    if (lastMs != Long.MIN_VALUE && nowMs > lastMs) {
      decayedCount *= Math.exp(-(nowMs - lastMs) / TAU_MS);
    }
    lastMs = Math.max(lastMs, nowMs);
    decayedCount += finished;
    double perMs = decayedCount / TAU_MS;
    limit = (int) Math.max(floor, Math.min(cap, Math.ceil(perMs * windowMs)));
  }

  /** Tasks the node may hold beyond its free resources now. */
  public int limit() {
    return limit;
  }
}
