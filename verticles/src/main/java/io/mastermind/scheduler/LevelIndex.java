package io.mastermind.scheduler;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * One priority level's queued tasks in arrival order, as primitive arrays with a Fenwick tree of which
 * are still queued: counts how many queued entries come before a boundary in O(log n), so a task's
 * position in a queue of a million is not a walk of the million ahead of it.
 *
 * <p>Entries keep their slot when removed (the arrays stay sorted by sequence number and arrival time,
 * so a boundary is a binary search); slots are reclaimed by compaction once half are removed.
 */
final class LevelIndex {

  private long[] sequence = new long[16];
  private long[] enqueuedAt = new long[16];
  private boolean[] removed = new boolean[16];
  /** Fenwick tree over slots: 1 per entry still queued. 1-based, {@code tree[i]} covers slots (i - lowbit(i), i]. */
  private int[] tree = new int[17];
  private int length;
  private int removedCount;

  void add(long seq, long at) {
    if (length == sequence.length) {
      grow();
    }
    sequence[length] = seq;
    enqueuedAt[length] = at;
    removed[length] = false;
    length++;
    update(length - 1, 1);
  }

  /** Forgets {@code seq}; a no-op when it is not indexed. */
  void remove(long seq) {
    int slot = Arrays.binarySearch(sequence, 0, length, seq);
    if (slot < 0 || removed[slot]) {
      return;
    }
    removed[slot] = true;
    removedCount++;
    update(slot, -1);
    if (removedCount > 32 && removedCount * 2 > length) {
      compact();
    }
  }

  int size() {
    return length - removedCount;
  }

  /** Entries still queued whose sequence number is below {@code seq}. */
  int countBelow(long seq) {
    int slot = Arrays.binarySearch(sequence, 0, length, seq);
    return prefix(slot >= 0 ? slot : -slot - 1);
  }

  /**
   * Entries still queued in the prefix of slots where {@code before} holds; {@code before} must hold
   * for a prefix of the slots and not after it (it is asked of slots, removed or not).
   */
  int countWhile(IntPredicate before) {
    int low = 0;
    int high = length; // the first slot where it does not hold lies in [low, high]
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (before.test(mid)) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return prefix(low);
  }

  long enqueuedAt(int slot) {
    return enqueuedAt[slot];
  }

  long sequence(int slot) {
    return sequence[slot];
  }

  /** Queued entries in slots [0, end). */
  private int prefix(int end) {
    int sum = 0;
    for (int i = end; i > 0; i -= i & -i) {
      sum += tree[i];
    }
    return sum;
  }

  private void update(int slot, int delta) {
    for (int i = slot + 1; i < tree.length; i += i & -i) {
      tree[i] += delta;
    }
  }

  private void grow() {
    if (removedCount * 4 > length) { // room enough once compacted
      compact();
      if (length < sequence.length) {
        return;
      }
    }
    int capacity = sequence.length * 2;
    sequence = Arrays.copyOf(sequence, capacity);
    enqueuedAt = Arrays.copyOf(enqueuedAt, capacity);
    removed = Arrays.copyOf(removed, capacity);
    rebuildTree();
  }

  private void compact() {
    int kept = 0;
    for (int i = 0; i < length; i++) {
      if (!removed[i]) {
        sequence[kept] = sequence[i];
        enqueuedAt[kept] = enqueuedAt[i];
        removed[kept] = false;
        kept++;
      }
    }
    length = kept;
    removedCount = 0;
    rebuildTree();
  }

  /** O(capacity): each node adds itself to its parent once, empty slots included, so later slots find their sums. */
  private void rebuildTree() {
    tree = new int[sequence.length + 1];
    for (int i = 1; i < tree.length; i++) {
      tree[i] += i <= length && !removed[i - 1] ? 1 : 0;
      int parent = i + (i & -i);
      if (parent < tree.length) {
        tree[parent] += tree[i];
      }
    }
  }
}
