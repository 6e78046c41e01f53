package io.mastermind.coordinator;

import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.TaskError;
import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskStatus;
import io.mastermind.protocol.TaskType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@Label("TaskBook properties")
class TaskBookPropertyTest {

  private static final List<String> TYPES = List.of("compute", "io_bound", "data_processing", "ml_training");

  /** Puts task {@code id} (a small pool, so records change status) of a type in a status. */
  record Put(int id, String type, TaskStatus status) {
  }

  @Provide
  Arbitrary<List<Put>> puts() {
    return Combinators.combine(Arbitraries.integers().between(0, 40), Arbitraries.of(TYPES),
      Arbitraries.of(TaskStatus.class)).as(Put::new).list().ofMaxSize(80);
  }

  @Provide
  Arbitrary<TaskStatus> statusFilter() {
    return Arbitraries.of(TaskStatus.class).injectNull(0.4);
  }

  @Provide
  Arbitrary<TaskType> typeFilter() {
    return Arbitraries.of(TaskType.class).injectNull(0.4);
  }

  /** The record of {@code put}, keeping the task's first type so a type never changes under the same id. */
  private static TaskRecord record(Put put, String type) {
    String id = "t" + put.id();
    TaskRecord queued = TaskBookTest.queued(id, type);
    return switch (put.status()) {
      case QUEUED -> queued;
      case SCHEDULED -> queued.scheduled("n1");
      case RUNNING -> queued.scheduled("n1").running(5);
      case SUCCEEDED -> queued.scheduled("n1").running(5).succeeded(1, 9);
      case FAILED, TIMED_OUT, CANCELLED -> queued.ended(put.status(), TaskError.of(ErrorCode.HANDLER_ERROR, "x"), 9);
    };
  }

  @Property(tries = 150)
  @Label("concatenated pages of size k are the whole newest-first list, each record exactly once, and counts match")
  void pagesCoverTheList(@ForAll("puts") List<Put> puts, @ForAll @IntRange(min = 1, max = 7) int k,
                         @ForAll("statusFilter") TaskStatus status, @ForAll("typeFilter") TaskType type) {
    TaskBook book = new TaskBook();
    Map<String, TaskRecord> model = new LinkedHashMap<>(); // first-added order
    Map<String, String> typeOf = new LinkedHashMap<>();
    for (Put put : puts) {
      String t = typeOf.computeIfAbsent("t" + put.id(), id -> put.type());
      TaskRecord r = record(put, t);
      book.put(r);
      model.put(r.id(), r);
    }

    List<TaskRecord> expected = new ArrayList<>(model.values());
    Collections.reverse(expected);
    expected.removeIf(r -> status != null && r.status() != status || type != null && r.spec().type() != type);

    List<TaskRecord> paged = new ArrayList<>();
    String after = null;
    for (int guard = 0; ; guard++) {
      assertThat(guard).as("paging terminates").isLessThanOrEqualTo(expected.size() + 1);
      TaskBook.Page page = book.list(status, type, k, after);
      assertThat(page.records()).hasSizeLessThanOrEqualTo(k);
      paged.addAll(page.records());
      if (page.next() == null) {
        break;
      }
      assertThat(page.records()).as("a page with a next is full").hasSize(k);
      after = page.next();
    }
    assertThat(paged).containsExactlyElementsOf(expected);

    for (TaskStatus s : TaskStatus.values()) {
      assertThat(book.count(s)).as("count of %s", s).isEqualTo((int) model.values().stream().filter(r -> r.status() == s).count());
    }
    assertThat(book.size()).isEqualTo(model.size());
  }

  /** A task put finished (or not) at a time, weighing some bytes; puts arrive in any order of time. */
  record Finish(boolean finished, long at, int bytes) {
  }

  @Provide
  Arbitrary<List<Finish>> finishes() {
    return Combinators.combine(Arbitraries.frequency(Tuple.of(3, true), Tuple.of(1, false)),
      Arbitraries.longs().between(1, 1_000), Arbitraries.integers().between(0, 100)).as(Finish::new).list().ofMaxSize(50);
  }

  @Property(tries = 150)
  @Label("evict forgets exactly the oldest finished records until count, bytes and age are within limits, never an unfinished one")
  void evictsOldestFinished(@ForAll("finishes") List<Finish> finishes,
                            @ForAll @IntRange(min = 0, max = 40) int maxCount,
                            @ForAll @LongRange(min = 0, max = 3_000) long maxBytes,
                            @ForAll @LongRange(min = 0, max = 1_200) long maxAge) {
    TaskBook book = new TaskBook();
    long now = 1_000;
    record Finished(String id, long at, int bytes, int order) {
    }
    List<Finished> retained = new ArrayList<>();
    Set<String> unfinished = new HashSet<>();
    for (int i = 0; i < finishes.size(); i++) {
      Finish f = finishes.get(i);
      String id = "t" + i;
      if (f.finished()) {
        book.put(TaskBookTest.succeeded(id), f.bytes(), f.at());
        retained.add(new Finished(id, f.at(), f.bytes(), i));
      } else {
        TaskRecord record = switch (i % 3) {
          case 0 -> TaskBookTest.queued(id);
          case 1 -> TaskBookTest.queued(id).scheduled("n1");
          default -> TaskBookTest.running(id);
        };
        book.put(record, f.bytes(), f.at());
        unfinished.add(id);
      }
    }
    retained.sort(Comparator.comparingLong(Finished::at).thenComparingInt(Finished::order));
    List<String> expected = new ArrayList<>();
    long bytes = retained.stream().mapToLong(Finished::bytes).sum();
    while (!retained.isEmpty() && (retained.size() > maxCount || bytes > maxBytes || retained.get(0).at() < now - maxAge)) {
      Finished oldest = retained.remove(0);
      bytes -= oldest.bytes();
      expected.add(oldest.id());
    }

    List<String> evicted = book.evict(maxCount, maxBytes, maxAge, now);

    assertThat(evicted).containsExactlyElementsOf(expected);
    assertThat(evicted).doesNotContainAnyElementsOf(unfinished.isEmpty() ? Set.of("none") : unfinished);
    unfinished.forEach(id -> assertThat(book.contains(id)).isTrue());
    evicted.forEach(id -> assertThat(book.contains(id)).isFalse());
    assertThat(retained).allMatch(r -> r.at() >= now - maxAge);
    assertThat(book.size()).isEqualTo(unfinished.size() + retained.size());
    assertThat(book.evict(maxCount, maxBytes, maxAge, now)).as("a second evict finds nothing more").isEmpty();
  }
}
