package io.mastermind.coordinator;

import java.util.Arrays;

/**
 * Sequence numbers in ascending order, each with a long value, in two primitive arrays: the index of
 * one status's finished records for newest-first lists. Records finish in about the order they were
 * submitted, so an add is almost always an append; a removal only marks its slot, and the arrays are
 * compacted once half of them is marked (amortised O(1) per removal, never a shift per eviction).
 *
 * <p>Why not a {@code TreeMap<Long, ...>}: two objects per entry that live as long as the record is
 * retained, each copied by the collector; these arrays hold no references at all.
 */
final class SeqIndex {

  static final long NONE = -1;

  private long[] seqs = new long[16];
  private long[] values = new long[16];
  private int length;
  private int removed;

  int size() {
    return length - removed;
  }

  void add(long seq, long value) {
    if (length == seqs.length) {
      if (removed > 0) {
        compact();
      }
      if (length == seqs.length) {
        seqs = Arrays.copyOf(seqs, length * 2);
        values = Arrays.copyOf(values, length * 2);
      }
    }
    int at = length == 0 || seqs[length - 1] < seq ? length : Arrays.binarySearch(seqs, 0, length, seq);
    if (at >= 0 && at < length) { // indexed before and removed since: the slot comes back
      if (values[at] != NONE) {
        throw new IllegalStateException("sequence number " + seq + " indexed twice");
      }
      values[at] = value;
      removed--;
      return;
    }
    at = at < 0 ? -at - 1 : at;
    if (at < length) {
      System.arraycopy(seqs, at, seqs, at + 1, length - at);
      System.arraycopy(values, at, values, at + 1, length - at);
    }
    seqs[at] = seq;
    values[at] = value;
    length++;
  }

  /** Forgets {@code seq}; a no-op when it is not indexed. */
  void remove(long seq) {
    int at = Arrays.binarySearch(seqs, 0, length, seq);
    if (at < 0 || values[at] == NONE) {
      return;
    }
    values[at] = NONE;
    removed++;
    if (removed > 32 && removed * 2 > length) {
      compact();
    }
  }

  /** Gives the indexed {@code seq} a new value. */
  void replace(long seq, long value) {
    int at = Arrays.binarySearch(seqs, 0, length, seq);
    if (at < 0 || values[at] == NONE) {
      throw new IllegalStateException("sequence number " + seq + " is not indexed");
    }
    values[at] = value;
  }

  /** The position of the largest sequence number below {@code seq} (exclusive), or -1. */
  int below(long seq) {
    int at = Arrays.binarySearch(seqs, 0, length, seq);
    return (at >= 0 ? at : -at - 1) - 1;
  }

  long seqAt(int position) {
    return seqs[position];
  }

  /** The value at {@code position}, or {@link #NONE} where the entry was removed. */
  long valueAt(int position) {
    return values[position];
  }

  void clear() {
    length = 0;
    removed = 0;
  }

  private void compact() {
    int kept = 0;
    for (int i = 0; i < length; i++) {
      if (values[i] != NONE) {
        seqs[kept] = seqs[i];
        values[kept] = values[i];
        kept++;
      }
    }
    length = kept;
    removed = 0;
  }
}
