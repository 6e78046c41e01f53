package io.mastermind.scheduler;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The waiting room: tasks by priority level with aging, first in first out within a level.
 *
 * <p>Implementation notes. Each level is an insertion-ordered map, so add, remove-by-id and the head
 * of a level are O(1). A task's score is {@code level + waited / agingInterval}: every aging interval a
 * waiting task gains one level, so a low task that waited three intervals ranks with a fresh critical
 * one and nothing starves. Within a level the oldest task has the highest score, so the placement
 * order is a merge of the four level heads:
 *
 * <pre>
 *   level     head waited   score (aging 10 s)
 *   critical  0 s           3.0
 *   low       35 s          3.5   &lt;- placed first
 * </pre>
 *
 * Equal scores go to the higher level, then to the earlier arrival. Not thread-safe.
 *
 * @param <T> what is queued with each id
 */
public final class TaskQueue<T> {

  public static final long DEFAULT_AGING_INTERVAL_MS = 10_000;
  public static final int LEVELS = 4;

  /** One waiting task. {@code level} is 0 (low) to 3 (critical). */
  public record Entry<T>(String id, int level, long enqueuedAt, long sequence, T item) {

    /** The score times the aging interval, in whole numbers so equal scores compare equal. */
    long scaledScore(long now, long agingIntervalMs) {
      return level * agingIntervalMs + Math.max(0, now - enqueuedAt);
    }
  }

  private final long agingIntervalMs;
  private final List<LinkedHashMap<String, Entry<T>>> levels = new ArrayList<>();
  /** The same entries per level, for counting positions without walking them. */
  private final LevelIndex[] indexes = new LevelIndex[LEVELS];
  private final Map<String, Entry<T>> byId = new java.util.HashMap<>();
  private long sequence;
  private long lastEnqueuedAt = Long.MIN_VALUE;

  public TaskQueue(long agingIntervalMs) {
    if (agingIntervalMs <= 0) {
      throw new IllegalArgumentException("agingIntervalMs must be > 0");
    }
    this.agingIntervalMs = agingIntervalMs;
    for (int i = 0; i < LEVELS; i++) {
      levels.add(new LinkedHashMap<>());
      indexes[i] = new LevelIndex();
    }
  }

  /** Queues a task at the back of its level. An id already queued is replaced and moves to the back. */
  public void add(String id, int level, long now, T item) {
    if (level < 0 || level >= LEVELS) {
      throw new IllegalArgumentException("level must be 0.." + (LEVELS - 1));
    }
    remove(id);
    // Within a level, FIFO order must agree with age order even if the clock steps back.
    long enqueuedAt = Math.max(now, lastEnqueuedAt);
    lastEnqueuedAt = enqueuedAt;
    Entry<T> entry = new Entry<>(id, level, enqueuedAt, sequence++, item);
    levels.get(level).put(id, entry);
    indexes[level].add(entry.sequence(), enqueuedAt);
    byId.put(id, entry);
  }

  public boolean remove(String id) {
    Entry<T> entry = byId.remove(id);
    if (entry == null) {
      return false;
    }
    levels.get(entry.level()).remove(id);
    indexes[entry.level()].remove(entry.sequence());
    return true;
  }

  public boolean contains(String id) {
    return byId.containsKey(id);
  }

  public Optional<Entry<T>> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public int size() {
    return byId.size();
  }

  /** Tasks waiting at one level, 0 (low) to 3 (critical). */
  public int size(int level) {
    return levels.get(level).size();
  }

  public boolean isEmpty() {
    return byId.isEmpty();
  }

  /** Takes the task to place next. */
  public Optional<Entry<T>> poll(long now) {
    List<Entry<T>> first = inOrder(now, 1);
    if (first.isEmpty()) {
      return Optional.empty();
    }
    remove(first.get(0).id());
    return Optional.of(first.get(0));
  }

  /**
   * Where a queued task stands in the placement order at {@code now}: 1 for the task the next pass
   * looks at first, or 0 when the id is not queued. Within a level arrival order is placement order,
   * so the entries of a level ranked ahead of the task are a prefix of it: a binary search per level
   * finds where that prefix ends and a {@link LevelIndex} counts it, O(log n) per level.
   */
  public int position(String id, long now) {
    Entry<T> target = byId.get(id);
    if (target == null) {
      return 0;
    }
    int ahead = 0;
    for (int level = 0; level < LEVELS; level++) {
      LevelIndex index = indexes[level];
      if (level == target.level()) {
        ahead += index.countBelow(target.sequence());
      } else {
        int at = level;
        ahead += index.countWhile(slot -> ranksBefore(at, index.enqueuedAt(slot), index.sequence(slot), target, now));
      }
    }
    return ahead + 1;
  }

  /** Up to {@code max} tasks in placement order at {@code now}, left in the queue. */
  public List<Entry<T>> inOrder(long now, int max) {
    List<Iterator<Entry<T>>> cursors = new ArrayList<>(LEVELS);
    List<Entry<T>> heads = new ArrayList<>(LEVELS);
    for (LinkedHashMap<String, Entry<T>> level : levels) {
      Iterator<Entry<T>> cursor = level.values().iterator();
      cursors.add(cursor);
      heads.add(cursor.hasNext() ? cursor.next() : null);
    }
    List<Entry<T>> ordered = new ArrayList<>(Math.min(max, size()));
    while (ordered.size() < max) {
      int best = -1;
      for (int level = LEVELS - 1; level >= 0; level--) {
        Entry<T> head = heads.get(level);
        if (head != null && (best < 0 || ranksBefore(head, heads.get(best), now))) {
          best = level;
        }
      }
      if (best < 0) {
        break;
      }
      ordered.add(heads.get(best));
      Iterator<Entry<T>> cursor = cursors.get(best);
      heads.set(best, cursor.hasNext() ? cursor.next() : null);
    }
    return ordered;
  }

  private boolean ranksBefore(Entry<T> a, Entry<T> b, long now) {
    return ranksBefore(a.level(), a.enqueuedAt(), a.sequence(), b, now);
  }

  private boolean ranksBefore(int level, long enqueuedAt, long sequence, Entry<T> b, long now) {
    long score = level * agingIntervalMs + Math.max(0, now - enqueuedAt);
    int byScore = Long.compare(score, b.scaledScore(now, agingIntervalMs));
    if (byScore != 0) {
      return byScore > 0;
    }
    if (level != b.level()) {
      return level > b.level();
    }
    return sequence < b.sequence();
  }
}
