package io.mastermind.coordinator;

import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskStatus;
import io.mastermind.protocol.TaskType;
import io.mastermind.store.FlushWriter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("FinishedRecords keeps finished records in arrays and chunks, found by id, listed by sequence, evicted oldest finished first")
class FinishedRecordsTest {

  private static final TaskStatus[] TERMINAL = {TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.TIMED_OUT,
    TaskStatus.CANCELLED};

  /** What the model remembers of a retained record. */
  record Row(String id, long seq, TaskStatus status, long finishedAt, long addOrder, int weight) {
  }

  @Test
  @DisplayName("ten thousand random adds, replacements, removals and evictions agree with a plain model, through ring growth, chunk turnover and hash-table deletes")
  void agreesWithModel() {
    Random random = new Random(42);
    ByteChunks chunks = new ByteChunks(256); // a record's bytes are ~200: chunks turn over constantly
    FinishedRecords records = new FinishedRecords(chunks, 16);
    Map<String, Row> model = new HashMap<>();
    long seq = 0;
    long addOrder = 0;
    long clock = 1_000;
    for (int step = 0; step < 10_000; step++) {
      int op = random.nextInt(10);
      String id = "task-" + random.nextInt(3_000);
      if (op < 6) {
        clock += random.nextInt(3);
        long finishedAt = random.nextInt(30) == 0 ? clock - random.nextInt(50) : clock; // a few out of order
        TaskStatus status = TERMINAL[random.nextInt(TERMINAL.length)];
        Row old = model.get(id);
        long s = old != null ? old.seq() : seq++;
        if (old != null) {
          assertThat(records.remove(id)).isTrue(); // a replacement: the older version goes first
        }
        int weight = 100 + random.nextInt(900);
        records.add(id, s, status, TaskType.COMPUTE, FlushWriter.encode(TaskBookTest.succeeded(id)), weight, finishedAt);
        model.put(id, new Row(id, s, status, finishedAt, addOrder++, weight));
      } else if (op < 8) {
        assertThat(records.remove(id)).isEqualTo(model.remove(id) != null);
      } else {
        int maxCount = 200 + random.nextInt(2_000);
        long maxBytes = 100_000L + random.nextInt(1_000_000);
        long maxAge = 100 + random.nextInt(5_000);
        List<String> evicted = records.evict(maxCount, maxBytes, maxAge, clock);
        assertThat(evicted).isEqualTo(modelEvict(model, maxCount, maxBytes, maxAge, clock));
      }
      if (step % 500 == 0) {
        assertSame(records, model);
      }
    }
    assertSame(records, model);
    records.evict(0, 0, 0, clock);
    assertThat(records.size()).isZero();
    assertThat(chunks.chunkCount()).as("every chunk but the current one freed").isLessThanOrEqualTo(1);
  }

  @Test
  @DisplayName("a record larger than a chunk gets a chunk of its own and reads back whole")
  void largeRecord() {
    FinishedRecords records = new FinishedRecords(new ByteChunks(64), 16);
    TaskRecord big = TaskBookTest.succeeded("big");
    byte[] json = FlushWriter.encode(big);
    assertThat(json.length).isGreaterThan(64);
    records.add("small", 1, TaskStatus.SUCCEEDED, TaskType.COMPUTE, FlushWriter.encode(TaskBookTest.succeeded("s")), 1, 5);
    records.add("big", 2, TaskStatus.SUCCEEDED, TaskType.COMPUTE, json, 1, 6);
    assertThat(records.get("big")).isEqualTo(TaskRecord.fromStoreJson(new io.vertx.core.json.JsonObject(
      io.vertx.core.buffer.Buffer.buffer(json))));
    assertThat(records.get("small").id()).isEqualTo("s");
  }

  private static List<String> modelEvict(Map<String, Row> model, int maxCount, long maxBytes, long maxAge, long now) {
    List<Row> oldestFirst = new ArrayList<>(model.values());
    oldestFirst.sort(Comparator.comparingLong(Row::finishedAt).thenComparingLong(Row::addOrder));
    long bytes = model.values().stream().mapToLong(Row::weight).sum();
    List<String> evicted = new ArrayList<>();
    for (Row row : oldestFirst) {
      if (model.size() <= maxCount && bytes <= maxBytes && row.finishedAt() >= now - maxAge) {
        break;
      }
      model.remove(row.id());
      bytes -= row.weight();
      evicted.add(row.id());
    }
    return evicted;
  }

  private static void assertSame(FinishedRecords records, Map<String, Row> model) {
    assertThat(records.size()).isEqualTo(model.size());
    for (Row row : model.values()) {
      assertThat(records.seqOf(row.id())).isEqualTo(row.seq());
      assertThat(records.get(row.id()).id()).isEqualTo(row.id());
    }
    assertThat(records.contains("never-added")).isFalse();
    for (TaskStatus status : TERMINAL) {
      List<Long> expected = model.values().stream().filter(r -> r.status() == status).map(Row::seq)
        .sorted(Comparator.reverseOrder()).toList();
      assertThat(records.count(status)).isEqualTo(expected.size());
      List<Long> listed = new ArrayList<>();
      FinishedRecords.Cursor cursor = records.cursor(status, Long.MAX_VALUE);
      while (cursor.next()) {
        listed.add(cursor.seq());
      }
      assertThat(listed).isEqualTo(expected);
      if (expected.size() > 2) { // from a cursor in the middle: strictly below it
        long below = expected.get(expected.size() / 2);
        List<Long> tail = new ArrayList<>();
        FinishedRecords.Cursor from = records.cursor(status, below);
        while (from.next()) {
          tail.add(from.seq());
        }
        assertThat(tail).isEqualTo(expected.subList(expected.size() / 2 + 1, expected.size()));
      }
    }
  }
}
