package io.mastermind.coordinator;

import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskStatus;
import io.mastermind.protocol.TaskType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The finished records the leader retains, in primitive arrays and byte chunks only: no object per
 * record for the collector to copy or trace. Kept in the order they finished (a ring), found by id
 * through an open-addressing hash table, listed newest-first through a {@link SeqIndex} per status,
 * and forgotten from the oldest finished by count, bytes and age.
 *
 * <p>Why: with 100,000 finished records retained as objects (about eleven each: entry, map and tree
 * nodes, boxed keys, id, bytes), each young collection copied every record finished since the last
 * one and scanned the old maps' references to them: 25-40 ms pauses every second at 23,000 tasks/s
 * standalone, and a clustered leader that fell behind at 9,000 tasks/s. Here a finished record is a
 * row of the ring's arrays plus its id and stored JSON appended to {@link ByteChunks}.
 *
 * <p>A record replaced while retained (rare: a takeover replaying an older version) is removed, which
 * marks its row dead, and added again; dead rows are skipped and reclaimed as the ring's head passes them.
 * Records put out of finishing order (a takeover replaying the store) are shifted into place.
 *
 * <p>Pure and not thread-safe: the coordinator's {@link TaskBook} owns it.
 */
final class FinishedRecords {

  private static final byte DEAD = -1;
  private static final TaskStatus[] STATUSES = TaskStatus.values();
  private static final TaskType[] TYPES = TaskType.values();

  private final ByteChunks bytes;
  private final SeqIndex[] byStatus = new SeqIndex[STATUSES.length];

  // the ring: row r of order o is o & (capacity - 1); orders [head, tail) are present or dead
  private long head;
  private long tail;
  private Rows rows;

  /** Open addressing, linear probing: order + 1 of the row holding the id, 0 for an empty slot. */
  private long[] slots;
  private int live;
  private long liveBytes;

  FinishedRecords() {
    this(new ByteChunks(), 1024);
  }

  FinishedRecords(ByteChunks bytes, int initialCapacity) {
    this.bytes = bytes;
    for (int i = 0; i < byStatus.length; i++) {
      byStatus[i] = new SeqIndex();
    }
    allocate(Integer.highestOneBit(Math.max(16, initialCapacity - 1) * 2));
  }

  int size() {
    return live;
  }

  int count(TaskStatus s) {
    return byStatus[s.ordinal()].size();
  }

  boolean contains(String id) {
    return find(id) >= 0;
  }

  /** The sequence number of the retained record {@code id}, or -1. */
  long seqOf(String id) {
    long order = find(id);
    return order < 0 ? -1 : rows.seq[row(order)];
  }

  TaskRecord get(String id) {
    long order = find(id);
    return order < 0 ? null : record(order);
  }

  /**
   * Retains a finished record that is not retained yet ({@link #remove} an older version first):
   * {@code json} is its stored JSON, {@code weight} its size for the byte bound.
   */
  void add(String id, long seqNo, TaskStatus s, TaskType t, byte[] json, int recordWeight, long finished) {
    if (tail - head == rows.seq.length) {
      allocate(rows.seq.length * 2);
    }
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    long order = tail;
    while (order > head && rows.finishedAt[row(order - 1)] > finished) {
      order--;
    }
    shiftUp(order);
    tail++;
    int r = row(order);
    rows.seq[r] = seqNo;
    rows.finishedAt[r] = finished;
    rows.location[r] = bytes.append(idBytes, json);
    rows.idLength[r] = idBytes.length;
    rows.jsonLength[r] = json.length;
    rows.weight[r] = recordWeight;
    rows.hash[r] = spread(id.hashCode());
    rows.status[r] = (byte) s.ordinal();
    rows.type[r] = (byte) t.ordinal();
    insert(order);
    byStatus[s.ordinal()].add(seqNo, order);
    live++;
    liveBytes += recordWeight;
  }

  /** Forgets {@code id}; returns whether it was retained. */
  boolean remove(String id) {
    long order = find(id);
    if (order < 0) {
      return false;
    }
    kill(order);
    return true;
  }

  /**
   * Forgets the oldest finished while more than {@code maxCount} are retained, they weigh more than
   * {@code maxBytes}, or the oldest finished before {@code now - maxAgeMs}; returns the ids forgotten.
   */
  List<String> evict(int maxCount, long maxBytes, long maxAgeMs, long now) {
    List<String> evicted = new ArrayList<>();
    while (head < tail) {
      int r = row(head);
      if (rows.status[r] != DEAD) {
        boolean over = live > maxCount || liveBytes > maxBytes || rows.finishedAt[r] < now - maxAgeMs;
        if (!over) {
          break;
        }
        evicted.add(id(head));
        kill(head);
      }
      head++;
    }
    return evicted;
  }

  void clear() {
    head = tail;
    Arrays.fill(slots, 0);
    for (SeqIndex index : byStatus) {
      index.clear();
    }
    bytes.clear();
    live = 0;
    liveBytes = 0;
  }

  /** A walk over one status's records, newest (highest sequence number) first. */
  Cursor cursor(TaskStatus s, long belowSeq) {
    return new Cursor(byStatus[s.ordinal()], belowSeq);
  }

  final class Cursor implements TaskBook.Walk {
    private final SeqIndex index;
    private int position;
    private long order = -1;

    private Cursor(SeqIndex index, long belowSeq) {
      this.index = index;
      this.position = index.below(belowSeq) + 1;
    }

    /** Moves to the next older record; false at the end. */
    @Override
    public boolean next() {
      while (--position >= 0) {
        order = index.valueAt(position);
        if (order != SeqIndex.NONE) {
          return true;
        }
      }
      return false;
    }

    @Override
    public long seq() {
      return index.seqAt(position);
    }

    @Override
    public TaskType type() {
      return TYPES[rows.type[row(order)]];
    }

    @Override
    public TaskRecord record() {
      return FinishedRecords.this.record(order);
    }
  }

  // ---- rows --------------------------------------------------------------------------------------

  private int row(long order) {
    return (int) (order & (rows.seq.length - 1));
  }

  private String id(long order) {
    int r = row(order);
    return new String(bytes.chunk(rows.location[r]), ByteChunks.offset(rows.location[r]), rows.idLength[r], StandardCharsets.UTF_8);
  }

  private TaskRecord record(long order) {
    int r = row(order);
    byte[] json = bytes.copy(rows.location[r], rows.idLength[r], rows.jsonLength[r]);
    return TaskRecord.fromStoreJson(new JsonObject(Buffer.buffer(json)));
  }

  private void kill(long order) {
    int r = row(order);
    delete(order);
    byStatus[rows.status[r]].remove(rows.seq[r]);
    rows.status[r] = DEAD;
    bytes.release(rows.location[r]);
    live--;
    liveBytes -= rows.weight[r];
  }

  /**
   * Moves rows {@code [from, tail)} one place up so a record that finished earlier than the newest can
   * go in its place: the ring stays in finishing order. Only a takeover replaying the store (or a clock
   * stepping back) puts records out of order, and then by a few rows.
   */
  private void shiftUp(long from) {
    int mask = slots.length - 1;
    for (long order = tail - 1; order >= from; order--) {
      int b = row(order + 1);
      rows.copyRow(row(order), rows, b);
      if (rows.status[b] != DEAD) {
        int i = home(rows.hash[b]);
        while (slots[i] != order + 1) {
          i = (i + 1) & mask;
        }
        slots[i] = order + 2;
        byStatus[rows.status[b]].replace(rows.seq[b], order + 1);
      }
    }
  }

  private void allocate(int capacity) {
    Rows old = rows;
    rows = new Rows(capacity);
    slots = new long[capacity * 2];
    if (old == null) {
      return;
    }
    for (long order = head; order < tail; order++) {
      int to = row(order);
      old.copyRow((int) (order & (old.seq.length - 1)), rows, to);
      if (rows.status[to] != DEAD) {
        insert(order);
      }
    }
  }

  /** The ring's columns, one array per field of a row. */
  private static final class Rows {
    final long[] seq;
    final long[] finishedAt;
    final long[] location;
    final int[] idLength;
    final int[] jsonLength;
    final int[] weight;
    final int[] hash;
    final byte[] status;
    final byte[] type;

    Rows(int capacity) {
      seq = new long[capacity];
      finishedAt = new long[capacity];
      location = new long[capacity];
      idLength = new int[capacity];
      jsonLength = new int[capacity];
      weight = new int[capacity];
      hash = new int[capacity];
      status = new byte[capacity];
      type = new byte[capacity];
    }

    void copyRow(int from, Rows to, int at) {
      to.seq[at] = seq[from];
      to.finishedAt[at] = finishedAt[from];
      to.location[at] = location[from];
      to.idLength[at] = idLength[from];
      to.jsonLength[at] = jsonLength[from];
      to.weight[at] = weight[from];
      to.hash[at] = hash[from];
      to.status[at] = status[from];
      to.type[at] = type[from];
    }
  }

  // ---- the id table --------------------------------------------------------------------------------

  private static int spread(int h) {
    return h ^ (h >>> 16) ^ (h >>> 7);
  }

  private int home(int h) {
    return (h * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(slots.length));
  }

  /** The order of the row holding {@code id}, or -1. */
  private long find(String id) {
    int h = spread(id.hashCode());
    int mask = slots.length - 1;
    for (int i = home(h); slots[i] != 0; i = (i + 1) & mask) {
      long order = slots[i] - 1;
      if (rows.hash[row(order)] == h && idEquals(order, id)) {
        return order;
      }
    }
    return -1;
  }

  private void insert(long order) {
    int mask = slots.length - 1;
    int i = home(rows.hash[row(order)]);
    while (slots[i] != 0) {
      i = (i + 1) & mask;
    }
    slots[i] = order + 1;
  }

  /** Backward-shift deletion: no tombstones, so probes stay as short as the table's load. */
  private void delete(long order) {
    int mask = slots.length - 1;
    int i = home(rows.hash[row(order)]);
    while (slots[i] != order + 1) {
      i = (i + 1) & mask;
    }
    slots[i] = 0;
    for (int j = (i + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
      int k = home(rows.hash[row(slots[j] - 1)]);
      boolean movable = i <= j ? (k <= i || k > j) : (k <= i && k > j);
      if (movable) {
        slots[i] = slots[j];
        slots[j] = 0;
        i = j;
      }
    }
  }

  private boolean idEquals(long order, String id) {
    int r = row(order);
    int length = rows.idLength[r];
    byte[] chunk = bytes.chunk(rows.location[r]);
    int offset = ByteChunks.offset(rows.location[r]);
    if (length == id.length()) { // ASCII ids, the common case: compare without decoding
      boolean ascii = true;
      for (int i = 0; i < length && ascii; i++) {
        byte b = chunk[offset + i];
        if (b < 0) {
          ascii = false;
        } else if (b != id.charAt(i)) {
          return false;
        }
      }
      if (ascii) {
        return true;
      }
    }
    return new String(chunk, offset, length, StandardCharsets.UTF_8).equals(id);
  }
}
