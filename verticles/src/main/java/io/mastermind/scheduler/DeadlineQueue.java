package io.mastermind.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Things due at a time, swept by one periodic tick instead of one timer each (retry backoffs,
 * {@code ?wait} deadlines). Keyed, so a key is scheduled at most once and can be cancelled.
 *
 * <p>Implementation notes: a sorted map of deadline to keys plus a key index; add, cancel and each
 * expired key cost O(log n). Pure and not thread-safe.
 *
 * @param <K> the key of a scheduled thing
 */
public final class DeadlineQueue<K> {

  private final TreeMap<Long, List<K>> byDeadline = new TreeMap<>();
  private final Map<K, Long> deadlines = new HashMap<>();

  /** Schedules (or reschedules) a key. */
  public void add(K key, long deadline) {
    cancel(key);
    byDeadline.computeIfAbsent(deadline, d -> new ArrayList<>(1)).add(key);
    deadlines.put(key, deadline);
  }

  /** Cancels a key; false when it was not scheduled. */
  public boolean cancel(K key) {
    Long deadline = deadlines.remove(key);
    if (deadline == null) {
      return false;
    }
    List<K> keys = byDeadline.get(deadline);
    keys.remove(key);
    if (keys.isEmpty()) {
      byDeadline.remove(deadline);
    }
    return true;
  }

  public boolean contains(K key) {
    return deadlines.containsKey(key);
  }

  /** Removes and returns every key due at {@code now} or before, earliest first. */
  public List<K> expired(long now) {
    List<K> due = new ArrayList<>();
    while (!byDeadline.isEmpty() && byDeadline.firstKey() <= now) {
      for (K key : byDeadline.pollFirstEntry().getValue()) {
        deadlines.remove(key);
        due.add(key);
      }
    }
    return due;
  }

  public int size() {
    return deadlines.size();
  }

  public boolean isEmpty() {
    return deadlines.isEmpty();
  }

  public void clear() {
    byDeadline.clear();
    deadlines.clear();
  }
}
