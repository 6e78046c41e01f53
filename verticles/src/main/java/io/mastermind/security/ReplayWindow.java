package io.mastermind.security;

import java.util.Arrays;

/**
 * Freshness and replay checks of signed messages at one receiver. Pure; not thread-safe (one per
 * verticle, used on its context).
 *
 * <p>A message is fresh when its timestamp is within {@code maxSkewMs} of the receiver's clock, either
 * way. Each signed message carries a random 64-bit nonce; a fresh message whose nonce this receiver
 * has already accepted is a replay. A replay can only pass the freshness check up to
 * {@code 2 × maxSkewMs} after the original arrived (its timestamp may be up to {@code maxSkewMs} ahead
 * of or behind the receiver), so nonces are kept in two generations that rotate every
 * {@code 2 × maxSkewMs}: each nonce is remembered for at least that long and at most twice that.
 *
 * <p>Implementation notes: the generations are open-addressing sets of primitive longs (8 bytes a
 * slot, no boxing), cleared on rotation; a leader taking a few thousand signed batches per second
 * with the default 30 s skew holds a few MB.
 */
public final class ReplayWindow {

  /** Why a message was refused, or {@link #FRESH}. */
  public enum Check { FRESH, STALE, REPLAYED }

  private final long maxSkewMs;
  private final long rotateEveryMs;
  private LongSet current = new LongSet();
  private LongSet previous = new LongSet();
  private long rotatedAt;

  public ReplayWindow(long maxSkewMs, long nowMs) {
    if (maxSkewMs <= 0) {
      throw new IllegalArgumentException("maxSkewMs must be > 0");
    }
    this.maxSkewMs = maxSkewMs;
    this.rotateEveryMs = 2 * maxSkewMs;
    this.rotatedAt = nowMs;
  }

  /** True when {@code timestamp} is within the allowed skew of {@code nowMs}. */
  public static boolean fresh(long timestamp, long nowMs, long maxSkewMs) {
    return Math.abs(nowMs - timestamp) <= maxSkewMs;
  }

  /** Checks one message and, when it passes, remembers its nonce. */
  public Check accept(long nonce, long timestamp, long nowMs) {
    if (!fresh(timestamp, nowMs, maxSkewMs)) {
      return Check.STALE;
    }
    if (nowMs - rotatedAt >= rotateEveryMs) {
      LongSet recycled = previous;
      previous = nowMs - rotatedAt >= 2 * rotateEveryMs ? clear(current) : current;
      current = clear(recycled);
      rotatedAt = nowMs;
    }
    if (previous.contains(nonce) || !current.add(nonce)) {
      return Check.REPLAYED;
    }
    return Check.FRESH;
  }

  /** Nonces remembered now (for tests and the curious). */
  public int size() {
    return current.size + previous.size;
  }

  private static LongSet clear(LongSet set) {
    set.clear();
    return set;
  }

  /** An open-addressing set of longs; 0 is stored apart, as it marks empty slots. */
  static final class LongSet {
    private static final int MIN_CAPACITY = 64;
    private long[] slots = new long[MIN_CAPACITY];
    private boolean hasZero;
    int size;

    boolean contains(long value) {
      if (value == 0) {
        return hasZero;
      }
      int mask = slots.length - 1;
      for (int i = index(value, mask); ; i = (i + 1) & mask) {
        long slot = slots[i];
        if (slot == 0) {
          return false;
        }
        if (slot == value) {
          return true;
        }
      }
    }

    /** False when it was already there. */
    boolean add(long value) {
      if (value == 0) {
        if (hasZero) {
          return false;
        }
        hasZero = true;
        size++;
        return true;
      }
      if ((size + 1) * 2 > slots.length) {
        grow();
      }
      int mask = slots.length - 1;
      for (int i = index(value, mask); ; i = (i + 1) & mask) {
        long slot = slots[i];
        if (slot == value) {
          return false;
        }
        if (slot == 0) {
          slots[i] = value;
          size++;
          return true;
        }
      }
    }

    void clear() {
      if (slots.length > MIN_CAPACITY * 4 && size * 8 < slots.length) {
        slots = new long[Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, size * 4)) * 2)];
      } else {
        Arrays.fill(slots, 0);
      }
      hasZero = false;
      size = 0;
    }

    private void grow() {
      long[] old = slots;
      slots = new long[old.length * 2];
      int mask = slots.length - 1;
      for (long value : old) {
        if (value != 0) {
          int i = index(value, mask);
          while (slots[i] != 0) {
            i = (i + 1) & mask;
          }
          slots[i] = value;
        }
      }
    }

    private static int index(long value, int mask) {
      long h = value * 0x9E3779B97F4A7C15L;
      return (int) (h ^ (h >>> 32)) & mask;
    }
  }
}
