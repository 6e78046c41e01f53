package io.mastermind.coordinator;

import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.TaskError;
import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.protocol.TaskStatus;
import io.mastermind.protocol.TaskType;
import io.mastermind.protocol.ValidationException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("TaskBook indexes records by status, lists them newest first with a cursor and retains finished ones")
class TaskBookTest {

  private final TaskBook book = new TaskBook();

  static TaskRecord queued(String id) {
    return queued(id, "compute");
  }

  static TaskRecord queued(String id, String type) {
    return TaskRecord.queued(TaskSpec.fromJson(new JsonObject().put("id", id).put("type", type)
      .put("payload", new JsonObject().put("function", "echo").put("data", new JsonObject()))), 1_000);
  }

  static TaskRecord running(String id) {
    return queued(id).scheduled("n1").running(2_000);
  }

  static TaskRecord succeeded(String id) {
    return running(id).succeeded(new JsonObject().put("ok", true), 3_000);
  }

  static TaskRecord failed(String id) {
    return running(id).ended(TaskStatus.FAILED, TaskError.of(ErrorCode.HANDLER_ERROR, "boom"), 3_000);
  }

  private static List<String> ids(TaskBook.Page page) {
    return page.records().stream().map(TaskRecord::id).toList();
  }

  @Nested
  @DisplayName("records and counts")
  class Counts {

    @Test
    @DisplayName("a finished record is kept packed: read back whole, and changing the object that was put changes nothing kept")
    void finishedRecordsArePacked() {
      JsonObject result = new JsonObject().put("sum", 42).put("items", new JsonArray().add("x"));
      TaskRecord done = running("a").succeeded(result, 3_000);
      book.put(done, 100, 3_000);
      result.put("sum", 0);

      TaskRecord read = book.get("a");
      assertThat(read.status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(read.result()).isEqualTo(new JsonObject().put("sum", 42).put("items", new JsonArray().add("x")));
      assertThat(read.toJson().put("result", result)).isEqualTo(done.toJson());
      assertThat(read.spec()).isEqualTo(done.spec());
      assertThat(book.list(TaskStatus.SUCCEEDED, TaskType.COMPUTE, 10, null).records()).extracting(TaskRecord::id)
        .containsExactly("a");
    }

    @Test
    @DisplayName("counts by status follow every status change, and a re-put of the same status counts once")
    void countsFollowStatus() {
      book.put(queued("a"));
      book.put(queued("b"));
      book.put(queued("c"));
      assertThat(book.count(TaskStatus.QUEUED)).isEqualTo(3);

      book.put(queued("a").scheduled("n1"));
      book.put(running("b"));
      book.put(running("b").withProgress(0.5));

      assertThat(book.count(TaskStatus.QUEUED)).isEqualTo(1);
      assertThat(book.count(TaskStatus.SCHEDULED)).isEqualTo(1);
      assertThat(book.count(TaskStatus.RUNNING)).isEqualTo(1);

      book.put(succeeded("b"));
      book.put(running("c").ended(TaskStatus.CANCELLED, null, 3_000));
      book.put(queued("a").scheduled("n1").running(5).ended(TaskStatus.TIMED_OUT, null, 9));

      assertThat(book.count(TaskStatus.QUEUED)).isZero();
      assertThat(book.count(TaskStatus.SCHEDULED)).isZero();
      assertThat(book.count(TaskStatus.RUNNING)).isZero();
      assertThat(book.count(TaskStatus.SUCCEEDED)).isEqualTo(1);
      assertThat(book.count(TaskStatus.CANCELLED)).isEqualTo(1);
      assertThat(book.count(TaskStatus.TIMED_OUT)).isEqualTo(1);
      assertThat(book.count(TaskStatus.FAILED)).isZero();
      assertThat(book.size()).isEqualTo(3);
    }

    @Test
    @DisplayName("get answers the latest record put, and contains only known ids")
    void getAndContains() {
      book.put(queued("a"));
      book.put(running("a").withProgress(0.25));

      assertThat(book.get("a")).isEqualTo(running("a").withProgress(0.25));
      assertThat(book.contains("a")).isTrue();
      assertThat(book.get("zz")).isNull();
      assertThat(book.contains("zz")).isFalse();
    }

    @Test
    @DisplayName("a requeued record moves back to the queued count")
    void requeue() {
      book.put(running("a"));
      book.put(running("a").requeued(true, TaskError.of(ErrorCode.HANDLER_ERROR, "again")));

      assertThat(book.count(TaskStatus.RUNNING)).isZero();
      assertThat(book.count(TaskStatus.QUEUED)).isEqualTo(1);
      assertThat(book.get("a").retries()).isEqualTo(1);
    }

    @Test
    @DisplayName("clear forgets every record, count and retained byte")
    void clear() {
      book.put(queued("a"));
      book.put(succeeded("b"), 1_000, 5);

      book.clear();

      assertThat(book.size()).isZero();
      assertThat(book.count(TaskStatus.QUEUED)).isZero();
      assertThat(book.count(TaskStatus.SUCCEEDED)).isZero();
      assertThat(book.list(null, null, 10, null).records()).isEmpty();
      assertThat(book.evict(0, 0, 0, Long.MAX_VALUE)).isEmpty();

      book.put(succeeded("c"), 10, 5);
      assertThat(book.evict(10, 10, Long.MAX_VALUE, 5)).as("bytes from before clear are gone").isEmpty();
    }
  }

  @Nested
  @DisplayName("list")
  class ListPages {

    @Test
    @DisplayName("lists newest first by when a record was first added; a status change keeps its place")
    void newestFirst() {
      book.put(queued("a"));
      book.put(queued("b"));
      book.put(queued("c"));
      book.put(succeeded("a"));

      assertThat(ids(book.list(null, null, 10, null))).containsExactly("c", "b", "a");
      assertThat(book.list(null, null, 10, null).next()).isNull();
    }

    @Test
    @DisplayName("filters by status, by type, and by both")
    void filters() {
      book.put(queued("q1", "compute"));
      book.put(queued("q2", "io_bound"));
      book.put(running("r1"));
      book.put(queued("q3", "io_bound"));
      book.put(succeeded("s1"));

      assertThat(ids(book.list(TaskStatus.QUEUED, null, 10, null))).containsExactly("q3", "q2", "q1");
      assertThat(ids(book.list(null, TaskType.IO_BOUND, 10, null))).containsExactly("q3", "q2");
      assertThat(ids(book.list(TaskStatus.QUEUED, TaskType.COMPUTE, 10, null))).containsExactly("q1");
      assertThat(ids(book.list(null, TaskType.COMPUTE, 10, null))).containsExactly("s1", "r1", "q1");
      assertThat(ids(book.list(TaskStatus.FAILED, null, 10, null))).isEmpty();
      assertThat(ids(book.list(TaskStatus.RUNNING, TaskType.ML_TRAINING, 10, null))).isEmpty();
    }

    @Test
    @DisplayName("next pages through every record exactly once and is null on the last page")
    void pages() {
      for (String id : List.of("a", "b", "c", "d", "e")) {
        book.put(queued(id));
      }

      TaskBook.Page first = book.list(null, null, 2, null);
      TaskBook.Page second = book.list(null, null, 2, first.next());
      TaskBook.Page third = book.list(null, null, 2, second.next());

      assertThat(ids(first)).containsExactly("e", "d");
      assertThat(ids(second)).containsExactly("c", "b");
      assertThat(ids(third)).containsExactly("a");
      assertThat(first.next()).isNotNull();
      assertThat(second.next()).isNotNull();
      assertThat(third.next()).isNull();
    }

    @Test
    @DisplayName("a page that ends exactly at the last record has no next")
    void exactLastPage() {
      book.put(queued("a"));
      book.put(queued("b"));

      TaskBook.Page page = book.list(null, null, 2, null);

      assertThat(ids(page)).containsExactly("b", "a");
      assertThat(page.next()).isNull();
    }

    @Test
    @DisplayName("with a type filter the cursor skips non-matching records and next is null when none match later")
    void cursorWithFilter() {
      book.put(queued("c1", "compute"));
      book.put(queued("i1", "io_bound"));
      book.put(queued("c2", "compute"));
      book.put(queued("i2", "io_bound"));
      book.put(queued("i3", "io_bound"));

      TaskBook.Page first = book.list(null, TaskType.COMPUTE, 1, null);
      TaskBook.Page second = book.list(null, TaskType.COMPUTE, 1, first.next());

      assertThat(ids(first)).containsExactly("c2");
      assertThat(ids(second)).containsExactly("c1");
      assertThat(second.next()).isNull();
    }

    @Test
    @DisplayName("a record that changes status between pages is not listed twice")
    void statusChangeBetweenPages() {
      book.put(queued("a"));
      book.put(queued("b"));
      book.put(queued("c"));

      TaskBook.Page first = book.list(null, null, 2, null);
      book.put(running("c"));
      book.put(running("a"));
      TaskBook.Page second = book.list(null, null, 2, first.next());

      assertThat(ids(first)).containsExactly("c", "b");
      assertThat(ids(second)).containsExactly("a");
    }

    @Test
    @DisplayName("an empty cursor starts at the newest, and a cursor that is not a number is a ValidationException on after")
    void cursors() {
      book.put(queued("a"));

      assertThat(ids(book.list(null, null, 5, ""))).containsExactly("a");
      assertThatThrownBy(() -> book.list(null, null, 5, "abc")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("after")
        .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("after"));
      assertThatThrownBy(() -> book.list(TaskStatus.QUEUED, null, 5, "1.5")).isInstanceOf(ValidationException.class);
    }
  }

  @Nested
  @DisplayName("evict")
  class Evict {

    @Test
    @DisplayName("by count: the oldest finished go first, in finishing order, not submission order")
    void byCount() {
      book.put(queued("first-submitted"));
      book.put(succeeded("x"), 10, 100);
      book.put(succeeded("y"), 10, 200);
      book.put(succeeded("first-submitted"), 10, 300);
      book.put(failed("z"), 10, 400);

      assertThat(book.evict(2, Long.MAX_VALUE, Long.MAX_VALUE, 500)).containsExactly("x", "y");

      assertThat(book.size()).isEqualTo(2);
      assertThat(book.contains("x")).isFalse();
      assertThat(book.count(TaskStatus.SUCCEEDED)).isEqualTo(1);
      assertThat(book.count(TaskStatus.FAILED)).isEqualTo(1);
      assertThat(ids(book.list(null, null, 10, null))).containsExactly("z", "first-submitted");
      assertThat(book.evict(2, Long.MAX_VALUE, Long.MAX_VALUE, 500)).isEmpty();
    }

    @Test
    @DisplayName("by bytes: the oldest finished go until what is retained weighs no more than maxBytes")
    void byBytes() {
      book.put(succeeded("a"), 100, 1);
      book.put(succeeded("b"), 300, 2);
      book.put(succeeded("c"), 50, 3);
      book.put(succeeded("d"), 50, 4);

      assertThat(book.evict(100, 400, Long.MAX_VALUE, 10)).containsExactly("a");
      assertThat(book.evict(100, 399, Long.MAX_VALUE, 10)).containsExactly("b");
      assertThat(book.evict(100, 100, Long.MAX_VALUE, 10)).isEmpty();
      assertThat(book.evict(100, 0, Long.MAX_VALUE, 10)).containsExactly("c", "d");
    }

    @Test
    @DisplayName("by age: records finished before now - maxAge go, one finished exactly at the limit stays")
    void byAge() {
      book.put(succeeded("a"), 0, 1_000);
      book.put(succeeded("b"), 0, 2_000);
      book.put(succeeded("c"), 0, 3_000);

      assertThat(book.evict(100, Long.MAX_VALUE, 1_000, 3_000)).containsExactly("a");
      assertThat(book.contains("b")).isTrue();
      assertThat(book.evict(100, Long.MAX_VALUE, 999, 3_000)).containsExactly("b");
    }

    @Test
    @DisplayName("never evicts unfinished records, whatever the limits")
    void neverUnfinished() {
      book.put(queued("q"));
      book.put(running("r"));
      book.put(queued("s").scheduled("n2"));
      book.put(succeeded("done"), 1_000, 1);

      assertThat(book.evict(0, 0, 0, Long.MAX_VALUE)).containsExactly("done");

      assertThat(book.size()).isEqualTo(3);
      assertThat(book.count(TaskStatus.QUEUED)).isEqualTo(1);
      assertThat(book.count(TaskStatus.RUNNING)).isEqualTo(1);
      assertThat(book.count(TaskStatus.SCHEDULED)).isEqualTo(1);
    }

    @Test
    @DisplayName("a finished record put again joins retention once, with the size it first had")
    void finishedOnce() {
      book.put(succeeded("a"), 100, 1);
      book.put(succeeded("a").withReason("seen twice"), 100, 2);
      book.put(succeeded("b"), 100, 3);

      assertThat(book.evict(2, 200, Long.MAX_VALUE, 3)).as("200 bytes in two records").isEmpty();
      assertThat(book.evict(1, Long.MAX_VALUE, Long.MAX_VALUE, 3)).containsExactly("a");
      assertThat(book.evict(0, Long.MAX_VALUE, Long.MAX_VALUE, 3)).containsExactly("b");
    }

    @Test
    @DisplayName("a finished record put without a time counts as finished at time 1 for age")
    void finishedWithoutTime() {
      book.put(succeeded("a"));

      assertThat(book.evict(10, Long.MAX_VALUE, 5, 5)).isEmpty();
      assertThat(book.evict(10, Long.MAX_VALUE, 5, 7)).containsExactly("a");
    }

    @Test
    @DisplayName("records put out of finishing order (a takeover reading the store) are still evicted oldest finished first")
    void outOfOrderPuts() {
      book.put(succeeded("newest"), 10, 3_000);
      book.put(succeeded("oldest"), 10, 1_000);
      book.put(succeeded("middle"), 10, 2_000);

      assertThat(book.evict(2, Long.MAX_VALUE, Long.MAX_VALUE, 3_000)).containsExactly("oldest");
      assertThat(book.evict(100, Long.MAX_VALUE, 500, 3_000)).as("middle finished 1000 ms ago").containsExactly("middle");
      assertThat(book.contains("newest")).isTrue();
    }

    @Test
    @DisplayName("the evicted ids are the ones the caller removes from the store, each once")
    void evictedOnce() {
      List<String> all = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        book.put(succeeded("t" + i), 1, i + 1);
      }
      all.addAll(book.evict(7, Long.MAX_VALUE, Long.MAX_VALUE, 100));
      all.addAll(book.evict(3, Long.MAX_VALUE, Long.MAX_VALUE, 100));
      all.addAll(book.evict(0, Long.MAX_VALUE, Long.MAX_VALUE, 100));

      assertThat(all).containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "t" + i).toList());
      assertThat(book.size()).isZero();
    }
  }
}
