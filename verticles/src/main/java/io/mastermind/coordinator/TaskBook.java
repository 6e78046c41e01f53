package io.mastermind.coordinator;

import io.mastermind.protocol.TaskRecord;
import io.mastermind.store.FlushWriter;
import io.mastermind.protocol.TaskStatus;
import io.mastermind.protocol.TaskType;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every task record the leader knows, with what the API needs without scanning: counts by status,
 * newest-first lists by status with a cursor, and retention of finished records by count, bytes and
 * age (the oldest finished go first).
 *
 * <p>Implementation notes. Each record gets a sequence number when first added, which a list's cursor
 * names. Unfinished records are objects: one sorted map per status indexes sequence to entry, so a
 * status change is two O(log n) map operations and a count is a map size. Finished records move to
 * {@link FinishedRecords}, which holds them as bytes in primitive arrays (nothing there for the
 * collector to copy or trace) in the order they finished; a page of a list merges the walks of the
 * statuses asked for, from the cursor.
 *
 * <p>Pure and not thread-safe: the coordinator owns it.
 */
public final class TaskBook {

  private static final class Entry {
    final long seq;
    TaskRecord record;

    Entry(long seq, TaskRecord record) {
      this.seq = seq;
      this.record = record;
    }
  }

  /** A page of a list: the records and the cursor of the next page (null at the end). */
  public record Page(List<TaskRecord> records, String next) {
  }

  private final Map<String, Entry> byId = new HashMap<>();
  private final EnumMap<TaskStatus, TreeMap<Long, Entry>> byStatus = new EnumMap<>(TaskStatus.class);
  private final FinishedRecords finished;
  private long nextSeq;

  public TaskBook() {
    this(new FinishedRecords());
  }

  TaskBook(FinishedRecords finished) {
    this.finished = finished;
    for (TaskStatus status : TaskStatus.values()) {
      if (!status.isTerminal()) {
        byStatus.put(status, new TreeMap<>());
      }
    }
  }

  public TaskRecord get(String id) {
    Entry entry = byId.get(id);
    return entry != null ? entry.record : finished.get(id);
  }

  public boolean contains(String id) {
    return byId.containsKey(id) || finished.contains(id);
  }

  /** Adds or replaces a record. {@code bytes} estimates a finished record's size for retention. */
  public void put(TaskRecord record) {
    put(record, 0, 0);
  }

  /** Adds or replaces a record; a terminal one joins the retention queue once, with its size. */
  public void put(TaskRecord record, long bytes, long finishedAt) {
    put(record, bytes, finishedAt, null);
  }

  /**
   * As {@link #put(TaskRecord, long, long)}, with the record's store JSON already encoded
   * ({@link FlushWriter#encode}) to keep a finished record packed in; null to encode it here.
   */
  public void put(TaskRecord record, long bytes, long finishedAt, byte[] encoded) {
    String id = record.id();
    Entry entry = byId.get(id);
    long retained = entry == null ? finished.seqOf(id) : -1; // an id is either unfinished or retained
    long seq = entry != null ? entry.seq : retained >= 0 ? retained : nextSeq++;
    if (retained >= 0) {
      finished.remove(id);
    }
    if (record.status().isTerminal()) {
      if (entry != null) {
        byId.remove(id);
        byStatus.get(entry.record.status()).remove(seq);
      }
      finished.add(id, seq, record.status(), record.spec().type(), encoded != null ? encoded : FlushWriter.encode(record),
        (int) Math.min(Integer.MAX_VALUE, bytes), Math.max(1, finishedAt));
      return;
    }
    if (entry == null) { // new, or a finished record unfinished again (a takeover replaying the store)
      entry = new Entry(seq, record);
      byId.put(id, entry);
    } else if (entry.record.status() != record.status()) {
      byStatus.get(entry.record.status()).remove(seq);
    }
    entry.record = record;
    byStatus.get(record.status()).put(seq, entry);
  }

  public int count(TaskStatus status) {
    return status.isTerminal() ? finished.count(status) : byStatus.get(status).size();
  }

  public int size() {
    return byId.size() + finished.size();
  }

  /**
   * Forgets the oldest finished records while there are more than {@code maxCount}, they weigh more
   * than {@code maxBytes}, or finished before {@code now - maxAgeMs}; returns the ids forgotten.
   */
  public List<String> evict(int maxCount, long maxBytes, long maxAgeMs, long now) {
    return finished.evict(maxCount, maxBytes, maxAgeMs, now);
  }

  /** One status's records from the cursor, newest first: the unfinished map's or the finished ones'. */
  interface Walk {
    boolean next();

    long seq();

    TaskType type();

    TaskRecord record();
  }

  private static Walk walk(Iterator<Entry> entries) {
    return new Walk() {
      private Entry current;

      public boolean next() {
        current = entries.hasNext() ? entries.next() : null;
        return current != null;
      }

      public long seq() {
        return current.seq;
      }

      public TaskType type() {
        return current.record.spec().type();
      }

      public TaskRecord record() {
        return current.record;
      }
    };
  }

  /** Newest first, optionally filtered, from after the cursor (exclusive). */
  public Page list(TaskStatus status, TaskType type, int limit, String after) {
    long from = parseCursor(after);
    List<Walk> walks = new ArrayList<>();
    for (TaskStatus s : status == null ? List.of(TaskStatus.values()) : List.of(status)) {
      Walk walk = s.isTerminal() ? finished.cursor(s, from)
        : walk(byStatus.get(s).headMap(from, false).descendingMap().values().iterator());
      if (walk.next()) {
        walks.add(walk);
      }
    }
    List<TaskRecord> page = new ArrayList<>(Math.min(limit, 64));
    long last = -1;
    boolean more = false;
    while (!walks.isEmpty()) {
      int best = 0;
      for (int i = 1; i < walks.size(); i++) {
        if (walks.get(i).seq() > walks.get(best).seq()) {
          best = i;
        }
      }
      Walk walk = walks.get(best);
      if (type == null || walk.type() == type) {
        if (page.size() == limit) {
          more = true;
          break;
        }
        page.add(walk.record());
        last = walk.seq();
      }
      if (!walk.next()) {
        walks.remove(best);
      }
    }
    return new Page(page, more && last >= 0 ? Long.toString(last) : null);
  }

  private static long parseCursor(String after) {
    if (after == null || after.isEmpty()) {
      return Long.MAX_VALUE;
    }
    try {
      return Long.parseLong(after);
    } catch (NumberFormatException e) {
      throw new io.mastermind.protocol.ValidationException("after", "after must be a cursor from a previous page's next");
    }
  }

  public void clear() {
    byId.clear();
    byStatus.values().forEach(TreeMap::clear);
    finished.clear();
  }
}
