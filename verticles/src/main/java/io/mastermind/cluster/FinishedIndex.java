package io.mastermind.cluster;

import java.util.Arrays;

/**
 * Which store entry holds each finished record, by a 64-bit hash of the task id: two primitive arrays
 * (open addressing, linear probing), no object per record.
 *
 * <p>Why: the leader keeps this for every retained finished record (100,000 by default), and as a map of
 * ids to boxed keys it was ~130 bytes of objects per task (entry, boxed key, the id) that every young
 * collection copied, plus a card the collector had to scan for each insert into the old table.
 *
 * <p>A hash says nothing of the id, so two ids with one hash (odds of about 3 in 10^10 with the default
 * 100,000 retained records, 3 in 10^8 with a million) and one id finished twice look the same: the hash
 * becomes <em>pinned</em>, and the entries it pointed to are never released. Such a case costs those
 * entries (up to a segment) kept in the store until a takeover rebuilds the books; never a record lost.
 *
 * <p>Pure and not thread-safe.
 */
final class FinishedIndex {

  /** {@link #get}: no entry for the hash. */
  static final long NONE = -1;
  /** {@link #get}: the hash is pinned. */
  static final long PINNED = -2;
  private static final long EMPTY = NONE;

  private long[] hashes;
  private long[] keys;
  private int size;

  FinishedIndex() {
    this(1024);
  }

  FinishedIndex(int initialCapacity) {
    int capacity = Integer.highestOneBit(Math.max(16, initialCapacity - 1) * 2);
    hashes = new long[capacity];
    keys = new long[capacity];
    Arrays.fill(keys, EMPTY);
  }

  /** FNV-1a over the id's characters, then MurmurHash3's finalizer so every bit mixes. */
  static long hash(String id) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      h = (h ^ id.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  int size() {
    return size;
  }

  /** The key of the entry holding {@code hash}, {@link #NONE} or {@link #PINNED}. */
  long get(long hash) {
    int i = slot(hash);
    return keys[i];
  }

  /**
   * Records that the finished record of {@code hash} is in entry {@code key} (≥ 0). True if the hash was
   * new; false if it was there already, and is now pinned (the caller releases nothing).
   */
  boolean add(long hash, long key) {
    if (key < 0) {
      throw new IllegalArgumentException("key must be >= 0");
    }
    int i = slot(hash);
    if (keys[i] != EMPTY) {
      keys[i] = PINNED;
      return false;
    }
    hashes[i] = hash;
    keys[i] = key;
    if (++size * 2 > keys.length) {
      grow();
    }
    return true;
  }

  /** Pins {@code hash} if it is present (its record is being written again). */
  void pinIfPresent(long hash) {
    int i = slot(hash);
    if (keys[i] != EMPTY) {
      keys[i] = PINNED;
    }
  }

  /** Moves {@code hash} to entry {@code to} if it is still in entry {@code from}; true if it was. */
  boolean move(long hash, long from, long to) {
    int i = slot(hash);
    if (keys[i] != from || from < 0) {
      return false;
    }
    keys[i] = to;
    return true;
  }

  /**
   * Forgets {@code hash}; returns the key it was in, {@link #NONE} if absent, or {@link #PINNED} (a
   * pinned hash stays: another record may still stand behind it).
   */
  long remove(long hash) {
    int i = slot(hash);
    long key = keys[i];
    if (key >= 0) {
      deleteAt(i);
      size--;
    }
    return key;
  }

  /** The slot holding {@code hash}, or the empty slot where it would go. */
  private int slot(long hash) {
    int mask = keys.length - 1;
    int i = home(hash, mask);
    while (keys[i] != EMPTY && hashes[i] != hash) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private static int home(long hash, int mask) {
    return (int) (hash ^ (hash >>> 32)) & mask;
  }

  /** Backward-shift deletion: later slots of the probe run move up, so no tombstones pile up. */
  private void deleteAt(int hole) {
    int mask = keys.length - 1;
    int j = hole;
    while (true) {
      j = (j + 1) & mask;
      if (keys[j] == EMPTY) {
        break;
      }
      int home = home(hashes[j], mask);
      boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        hashes[hole] = hashes[j];
        keys[hole] = keys[j];
        hole = j;
      }
    }
    keys[hole] = EMPTY;
    hashes[hole] = 0;
  }

  private void grow() {
    long[] oldHashes = hashes;
    long[] oldKeys = keys;
    hashes = new long[oldKeys.length * 2];
    keys = new long[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int at = slot(oldHashes[i]);
        hashes[at] = oldHashes[i];
        keys[at] = oldKeys[i];
      }
    }
  }
}
