package io.mastermind.security;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Keeps a flood of refused messages from becoming a flood of alerts and log lines: at most one
 * alert per key (e.g. kind and claimed sender) per interval, and at most {@code maxPerInterval}
 * alerts in all per interval; what was held back is counted and reported with the next alert of
 * that key. Pure and thread-safe (refusals are rare, a lock is fine).
 */
public final class AlertLimiter {

  /** Whether to raise an alert now, and how many occurrences of this key were held back before it. */
  public record Decision(boolean raise, long suppressed) {
  }

  private static final class Entry {
    long lastRaised;
    long suppressed;
  }

  private final long intervalMs;
  private final int maxPerInterval;
  private final int maxKeys;
  private final Map<String, Entry> entries = new HashMap<>();
  private long windowStart;
  private int raisedInWindow;

  public AlertLimiter(long intervalMs, int maxPerInterval, int maxKeys) {
    if (intervalMs <= 0 || maxPerInterval <= 0 || maxKeys <= 0) {
      throw new IllegalArgumentException("intervalMs, maxPerInterval and maxKeys must be > 0");
    }
    this.intervalMs = intervalMs;
    this.maxPerInterval = maxPerInterval;
    this.maxKeys = maxKeys;
  }

  /** One occurrence of {@code key} at {@code nowMs}. */
  public synchronized Decision occurred(String key, long nowMs) {
    if (nowMs - windowStart >= intervalMs) {
      windowStart = nowMs;
      raisedInWindow = 0;
      if (entries.size() > maxKeys) {
        forgetOld(nowMs);
      }
    }
    Entry entry = entries.get(key);
    if (entry == null) {
      if (entries.size() >= maxKeys * 2) {
        return new Decision(false, 0); // keys made up by the thousand: the ones known keep reporting
      }
      entry = new Entry();
      entry.lastRaised = Long.MIN_VALUE / 2;
      entries.put(key, entry);
    }
    if (nowMs - entry.lastRaised < intervalMs || raisedInWindow >= maxPerInterval) {
      entry.suppressed++;
      return new Decision(false, entry.suppressed);
    }
    long held = entry.suppressed;
    entry.suppressed = 0;
    entry.lastRaised = nowMs;
    raisedInWindow++;
    return new Decision(true, held);
  }

  private void forgetOld(long nowMs) {
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (nowMs - e.lastRaised >= intervalMs * 6 && e.suppressed == 0) {
        it.remove();
      }
    }
  }
}
