package io.mastermind.store;

import io.mastermind.protocol.TaskRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.mastermind.store.ManualStore.record;
import static io.mastermind.store.ManualStore.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("GroupCommit keeps one flush in flight and acknowledges a put only once its batch is durable")
class GroupCommitTest {

  private final ManualStore store = new ManualStore();
  private final AtomicLong epoch = new AtomicLong(7);
  private final GroupCommit commit = new GroupCommit(store, epoch::get, GroupCommit.DEFAULT_MAX_BATCH);

  @Test
  @DisplayName("a maxBatch below one is refused")
  void rejectsNonPositiveMaxBatch() {
    assertThatThrownBy(() -> new GroupCommit(store, () -> 1, 0)).isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("maxBatch");
    assertThatThrownBy(() -> new GroupCommit(store, () -> 1, -3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("while a put's callbacks run, encoded() gives the very bytes the store wrote for that record; otherwise null")
  void encodedOnlyWhileCompleting() {
    List<Promise<Void>> inFlight = new ArrayList<>();
    TaskStore encoding = new TaskStore() {
      @Override
      public Future<Void> write(StoreBatch batch) {
        batch.puts().forEach(r -> batch.encoded().put(r, FlushWriter.encode(r)));
        Promise<Void> promise = Promise.promise();
        inFlight.add(promise);
        return promise.future();
      }

      @Override
      public Future<StoredTasks> load() {
        return Future.succeededFuture(new StoredTasks(List.of(), List.of(), 0));
      }
    };
    GroupCommit encodingCommit = new GroupCommit(encoding, epoch::get, GroupCommit.DEFAULT_MAX_BATCH);
    TaskRecord a = record("a");
    List<byte[]> seen = new ArrayList<>();
    encodingCommit.put(a).onSuccess(v -> seen.add(encodingCommit.encoded(a)));

    assertThat(encodingCommit.encoded(a)).as("before the flush completes").isNull();
    inFlight.get(0).complete();

    assertThat(seen).hasSize(1);
    assertThat(seen.get(0)).isEqualTo(FlushWriter.encode(a));
    assertThat(encodingCommit.encoded(a)).as("after the callbacks").isNull();
    assertThat(encodingCommit.encoded(record("a"))).as("an equal record, not the instance written").isNull();
  }

  @Test
  @DisplayName("afterAnswers runs once per flush, after every caller of it was answered (ok or failed); answering() is true only meanwhile")
  void afterAnswersOncePerFlush() {
    List<String> log = new ArrayList<>();
    commit.afterAnswers(() -> log.add("after " + commit.answering()));
    commit.put(record("a")).onComplete(ar -> log.add("a " + commit.answering()));
    commit.put(record("b")).onComplete(ar -> log.add("b " + commit.answering()));
    commit.put(record("c")).onComplete(ar -> log.add("c " + commit.answering()));
    assertThat(commit.answering()).isFalse();

    store.writes.get(0).promise().complete(); // "a" alone; "b" and "c" leave in the next flush
    assertThat(log).containsExactly("a true", "after false");
    store.writes.get(1).promise().fail("store down");
    assertThat(log).containsExactly("a true", "after false", "b true", "c true", "after false");
    assertThat(commit.answering()).isFalse();
  }

  @Nested
  @DisplayName("one flush in flight")
  class InFlight {

    @Test
    @DisplayName("the first put is written at once but its future stays pending until the store completes the write")
    void firstPutFlushesAtOnce() {
      Future<Void> put = commit.put(record("a"));

      assertThat(store.writes).hasSize(1);
      assertThat(store.last().putIds()).containsExactly("a");
      assertThat(store.last().removes()).isEmpty();
      assertThat(put.isComplete()).isFalse();
      assertThat(commit.backlog()).isZero();

      store.succeed();

      assertThat(put.succeeded()).isTrue();
      assertThat(store.writes).hasSize(1);
    }

    @Test
    @DisplayName("puts made while a flush is in flight accumulate into one next batch, written when the first completes")
    void nextBatchAccumulates() {
      Future<Void> a = commit.put(record("a"));
      Future<Void> b = commit.put(record("b"));
      Future<Void> c = commit.put(record("c"));
      Future<Void> d = commit.put(record("d"));

      assertThat(store.writes).as("only one write in flight").hasSize(1);
      assertThat(commit.backlog()).isEqualTo(3);
      assertThat(List.of(b, c, d)).noneMatch(Future::isComplete);

      store.succeed();

      assertThat(a.succeeded()).isTrue();
      assertThat(List.of(b, c, d)).as("their batch is only now in flight").noneMatch(Future::isComplete);
      assertThat(store.writes).hasSize(2);
      assertThat(store.last().putIds()).containsExactly("b", "c", "d");
      assertThat(commit.backlog()).isZero();

      store.succeed();

      assertThat(List.of(b, c, d)).allMatch(Future::succeeded);
      assertThat(commit.flushes()).isEqualTo(2);
      assertThat(commit.entries()).isEqualTo(4);
    }

    @Test
    @DisplayName("with nothing pending a completed flush writes nothing more, and the next put flushes at once again")
    void idleAfterDrain() {
      commit.put(record("a"));
      store.succeed();

      assertThat(store.inFlight()).isEmpty();
      assertThat(store.writes).hasSize(1);

      Future<Void> b = commit.put(record("b"));
      assertThat(store.writes).hasSize(2);
      store.succeed();
      assertThat(b.succeeded()).isTrue();
    }

    @Test
    @DisplayName("a put made from a completion callback is written in the next batch")
    void reentrantPut() {
      List<Future<Void>> later = new ArrayList<>();
      commit.put(record("a")).onSuccess(v -> later.add(commit.put(record("b"))));

      store.succeed();

      assertThat(later).hasSize(1);
      assertThat(store.writes).hasSize(2);
      assertThat(store.last().putIds()).containsExactly("b");
      store.succeed();
      assertThat(later.get(0).succeeded()).isTrue();
    }
    @Test
    @DisplayName("the next batch goes to the store before the callbacks of the finished one run, so answering overlaps the write")
    void nextFlushStartsBeforeAnswers() {
      List<Integer> writesSeenByCallback = new ArrayList<>();
      commit.put(record("a")).onSuccess(v -> writesSeenByCallback.add(store.writes.size()));
      commit.put(record("b"));

      store.succeed();

      assertThat(writesSeenByCallback).containsExactly(2);
      assertThat(store.last().putIds()).containsExactly("b");
    }

    @Test
    @DisplayName("when the next batch is stored before the finished one is answered, answers still come in write order")
    void answersInWriteOrder() {
      List<String> answered = new ArrayList<>();
      commit.put(record("a")).onSuccess(v -> answered.add("a"));
      commit.put(record("b")).onSuccess(v -> answered.add("b"));
      store.succeedAtOnce = true; // b's flush, started before a's answers, completes inside write()

      store.writes.get(0).promise().complete();

      assertThat(store.writes).hasSize(2);
      assertThat(answered).containsExactly("a", "b");
    }
  }

  @Nested
  @DisplayName("latest record wins")
  class LatestWins {

    @Test
    @DisplayName("two versions of a task in one batch write only the latest, and both futures wait for it")
    void latestInBatch() {
      commit.put(record("x"));
      Future<Void> v1 = commit.put(version("a", 1));
      Future<Void> v2 = commit.put(version("a", 2));
      Future<Void> v3 = commit.put(version("a", 3));

      assertThat(commit.backlog()).isEqualTo(1);
      store.succeed();

      assertThat(store.last().batch().puts()).containsExactly(version("a", 3));
      assertThat(List.of(v1, v2, v3)).noneMatch(Future::isComplete);

      store.succeed();

      assertThat(List.of(v1, v2, v3)).allMatch(Future::succeeded);
    }

    @Test
    @DisplayName("a version in flight completes with its own batch while a later version waits for the next")
    void versionInFlightAndNext() {
      Future<Void> v1 = commit.put(version("a", 1));
      Future<Void> v2 = commit.put(version("a", 2));

      assertThat(store.last().batch().puts()).containsExactly(version("a", 1));
      store.succeed();

      assertThat(v1.succeeded()).isTrue();
      assertThat(v2.isComplete()).isFalse();
      assertThat(store.last().batch().puts()).containsExactly(version("a", 2));

      store.succeed();
      assertThat(v2.succeeded()).isTrue();
    }

    @Test
    @DisplayName("a batch keeps the order in which tasks were first put")
    void firstPutOrder() {
      commit.put(record("x"));
      commit.put(version("b", 1));
      commit.put(version("a", 1));
      commit.put(version("b", 2));
      commit.put(version("c", 1));

      store.succeed();

      assertThat(store.last().putIds()).containsExactly("b", "a", "c");
    }
  }

  @Nested
  @DisplayName("failures")
  class Failures {

    @Test
    @DisplayName("a failed flush fails exactly the puts in it, and the next batch is still written and acknowledged")
    void failedFlushFailsItsPutsOnly() {
      IllegalStateException boom = new IllegalStateException("disk on fire");
      Future<Void> a1 = commit.put(version("a", 1));
      Future<Void> a2 = commit.put(version("a", 2));
      Future<Void> b = commit.put(record("b"));

      store.fail(boom);

      assertThat(a1.failed()).isTrue();
      assertThat(a1.cause()).isSameAs(boom);
      assertThat(a2.isComplete()).as("a later version rides the next batch").isFalse();
      assertThat(b.isComplete()).isFalse();
      assertThat(store.last().putIds()).containsExactly("a", "b");

      store.succeed();

      assertThat(a1.failed()).isTrue();
      assertThat(a2.succeeded()).isTrue();
      assertThat(b.succeeded()).isTrue();
    }

    @Test
    @DisplayName("every future waiting on a failed record fails with the store's cause")
    void joinedFuturesFailTogether() {
      commit.put(record("x"));
      Future<Void> v1 = commit.put(version("a", 1));
      Future<Void> v2 = commit.put(version("a", 2));
      store.succeed();

      RuntimeException down = new RuntimeException("partition lost");
      store.fail(down);

      assertThat(v1.cause()).isSameAs(down);
      assertThat(v2.cause()).isSameAs(down);
      assertThat(store.inFlight()).isEmpty();
    }

    @Test
    @DisplayName("a store that throws instead of returning a future fails that batch's puts and keeps flushing")
    void throwingStore() {
      AtomicInteger calls = new AtomicInteger();
      List<StoreBatch> written = new ArrayList<>();
      TaskStore flaky = new TaskStore() {
        @Override
        public Future<Void> write(StoreBatch batch) {
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("not connected");
          }
          written.add(batch);
          return Future.succeededFuture();
        }

        @Override
        public Future<StoredTasks> load() {
          return Future.succeededFuture(new StoredTasks(List.of(), List.of(), 0));
        }
      };
      GroupCommit gc = new GroupCommit(flaky, () -> 1, 16);

      Future<Void> a = gc.put(record("a"));
      Future<Void> b = gc.put(record("b"));

      assertThat(a.failed()).isTrue();
      assertThat(a.cause()).hasMessage("not connected");
      assertThat(b.succeeded()).isTrue();
      assertThat(written).hasSize(1);
      assertThat(written.get(0).puts()).extracting(TaskRecord::id).containsExactly("b");
    }

    @Test
    @DisplayName("a fenced write fails the put with FencedException")
    void fencedPutFails() {
      InMemoryTaskStore memory = new InMemoryTaskStore();
      AtomicLong leaderEpoch = new AtomicLong(5);
      new GroupCommit(memory, () -> 9, 16).put(record("successor")); // the successor wrote at epoch 9
      GroupCommit deposed = new GroupCommit(memory, leaderEpoch::get, 16);

      Future<Void> put = deposed.put(record("stale"));

      assertThat(put.failed()).isTrue();
      assertThat(put.cause()).isInstanceOf(FencedException.class).hasMessageContaining("epoch 5")
        .hasMessageContaining("epoch 9");
      assertThat(memory.load().result().records()).extracting(TaskRecord::id).containsExactly("successor");
    }
  }

  @Nested
  @DisplayName("removals")
  class Removals {

    @Test
    @DisplayName("a removal is written with the next flush and nothing waits for it")
    void removeFlushes() {
      commit.remove("a");

      assertThat(store.writes).hasSize(1);
      assertThat(store.last().removes()).containsExactly("a");
      assertThat(store.last().batch().puts()).isEmpty();
      store.succeed();
      assertThat(commit.backlog()).isZero();
    }

    @Test
    @DisplayName("remove supersedes a pending put: the record is not written, the removal is, and the put's future completes")
    void removeSupersedesPendingPut() {
      commit.put(record("x"));
      Future<Void> a = commit.put(record("a"));
      Future<Void> b = commit.put(record("b"));

      commit.remove("a");

      assertThat(a.succeeded()).as("superseded by the removal").isTrue();
      assertThat(b.isComplete()).isFalse();
      store.succeed();
      assertThat(store.last().putIds()).containsExactly("b");
      assertThat(store.last().removes()).containsExactly("a");
    }

    @Test
    @DisplayName("a put after a pending removal of the same task goes in the same batch as the removal (applied first)")
    void putAfterPendingRemove() {
      commit.put(record("x"));
      commit.remove("a");
      Future<Void> a = commit.put(record("a"));

      assertThat(commit.backlog()).isEqualTo(2);
      store.succeed();

      assertThat(store.last().putIds()).containsExactly("a");
      assertThat(store.last().removes()).containsExactly("a");
      store.succeed();
      assertThat(a.succeeded()).isTrue();
    }

    @Test
    @DisplayName("a removal of a record in flight waits for the next batch and leaves that put's future to its own batch")
    void removeOfRecordInFlight() {
      Future<Void> a = commit.put(record("a"));
      commit.remove("a");

      assertThat(a.isComplete()).isFalse();
      store.fail(new RuntimeException("lost"));

      assertThat(a.failed()).isTrue();
      assertThat(store.last().removes()).containsExactly("a");
    }

    @Test
    @DisplayName("a failed flush of removals fails no put and the flushing goes on")
    void failedRemovalBatch() {
      commit.remove("a");
      Future<Void> b = commit.put(record("b"));

      store.fail(new RuntimeException("lost"));

      assertThat(b.isComplete()).isFalse();
      assertThat(store.last().putIds()).containsExactly("b");
      store.succeed();
      assertThat(b.succeeded()).isTrue();
    }
  }

  @Nested
  @DisplayName("maxBatch")
  class MaxBatch {

    @Test
    @DisplayName("a backlog larger than maxBatch is split into batches of at most maxBatch, in put order")
    void splitsBacklog() {
      GroupCommit gc = new GroupCommit(store, epoch::get, 2);
      gc.put(record("x"));
      Future<Void> a = gc.put(record("a"));
      Future<Void> b = gc.put(record("b"));
      Future<Void> c = gc.put(record("c"));
      Future<Void> d = gc.put(record("d"));
      Future<Void> e = gc.put(record("e"));
      assertThat(gc.backlog()).isEqualTo(5);

      store.succeed();
      assertThat(store.last().putIds()).containsExactly("a", "b");
      assertThat(gc.backlog()).isEqualTo(3);

      store.succeed();
      assertThat(List.of(a, b)).allMatch(Future::succeeded);
      assertThat(List.of(c, d, e)).noneMatch(Future::isComplete);
      assertThat(store.last().putIds()).containsExactly("c", "d");

      store.fail(new RuntimeException("lost"));
      assertThat(List.of(c, d)).allMatch(Future::failed);
      assertThat(e.isComplete()).isFalse();
      assertThat(store.last().putIds()).containsExactly("e");

      store.succeed();
      assertThat(e.succeeded()).isTrue();
      assertThat(gc.flushes()).isEqualTo(4);
      assertThat(gc.entries()).isEqualTo(6);
    }

    @Test
    @DisplayName("more removals than maxBatch are written in batches of at most maxBatch, none lost and none empty")
    void splitsRemovals() {
      GroupCommit gc = new GroupCommit(store, epoch::get, 2);
      gc.put(record("x"));
      for (String id : List.of("r1", "r2", "r3", "r4", "r5")) {
        gc.remove(id);
      }

      store.succeed();
      List<String> removed = new ArrayList<>();
      for (int i = 0; i < 10 && !store.inFlight().isEmpty(); i++) {
        ManualStore.Write w = store.inFlight().get(0);
        assertThat(w.batch().size()).isBetween(1, 2);
        removed.addAll(w.removes());
        store.succeed();
      }

      assertThat(store.inFlight()).isEmpty();
      assertThat(removed).containsExactlyInAnyOrder("r1", "r2", "r3", "r4", "r5");
      assertThat(gc.backlog()).isZero();
    }

    @Test
    @DisplayName("puts and removals together never exceed maxBatch in one batch")
    void mixedBacklog() {
      GroupCommit gc = new GroupCommit(store, epoch::get, 3);
      gc.put(record("x"));
      Future<Void> a = gc.put(record("a"));
      Future<Void> b = gc.put(record("b"));
      gc.remove("r1");
      gc.remove("r2");

      store.succeed();
      while (!store.inFlight().isEmpty()) {
        assertThat(store.inFlight().get(0).batch().size()).isBetween(1, 3);
        store.succeed();
      }

      assertThat(List.of(a, b)).allMatch(Future::succeeded);
      assertThat(store.writes.stream().flatMap(w -> w.removes().stream())).containsExactlyInAnyOrder("r1", "r2");
      assertThat(store.writes.get(1).removes()).as("removals first").containsExactlyInAnyOrder("r1", "r2");
      assertThat(store.writes.get(1).putIds()).as("then puts, in the room left").containsExactly("a");
    }

    @Test
    @DisplayName("a store that completes at once drains a backlog of removals far beyond maxBatch")
    void synchronousStoreManyRemovals() {
      InMemoryTaskStore memory = new InMemoryTaskStore();
      Promise<Void> held = Promise.promise();
      AtomicBoolean holdNext = new AtomicBoolean();
      TaskStore gated = new TaskStore() {
        @Override
        public Future<Void> write(StoreBatch batch) {
          return holdNext.getAndSet(false) ? held.future().compose(v -> memory.write(batch)) : memory.write(batch);
        }

        @Override
        public Future<StoredTasks> load() {
          return memory.load();
        }
      };
      GroupCommit gc = new GroupCommit(gated, () -> 1, 4);
      for (int i = 0; i < 50; i++) {
        assertThat(gc.put(record("t" + i)).succeeded()).isTrue();
      }
      assertThat(memory.load().result().records()).hasSize(50);

      // evicting many from a completion callback, while the flush is still in flight, as the coordinator does
      holdNext.set(true);
      Future<Void> last = gc.put(version("t0", 2)).onSuccess(v -> {
        for (int i = 0; i < 50; i++) {
          gc.remove("t" + i);
        }
      });
      assertThat(gc.backlog()).isZero();
      held.complete();

      assertThat(last.succeeded()).isTrue();
      assertThat(gc.backlog()).isZero();
      assertThat(memory.load().result().records()).isEmpty();
      assertThat(gc.entries()).isEqualTo(50 + 1 + 50);
      assertThat(gc.flushes()).as("50 single puts, one put, then 50 removals in batches of 4").isEqualTo(50 + 1 + 13);
    }
  }

  @Test
  @DisplayName("each batch carries the epoch the supplier gives when it is flushed, not when its puts were made")
  void epochStampsEachBatch() {
    commit.put(record("a"));
    commit.put(record("b"));
    epoch.set(8);
    commit.put(record("c"));
    store.succeed();
    epoch.set(9);
    store.succeed();
    commit.put(record("d"));

    assertThat(store.writes).extracting(w -> w.batch().epoch()).containsExactly(7L, 8L, 9L);
    assertThat(store.writes.get(1).putIds()).containsExactly("b", "c");
  }

  @Test
  @DisplayName("a batch's removals are a snapshot: later removals do not leak into a batch in flight")
  void batchIsASnapshot() {
    List<Set<String>> seen = new ArrayList<>();
    TaskStore spying = new TaskStore() {
      @Override
      public Future<Void> write(StoreBatch batch) {
        seen.add(batch.removes());
        return store.write(batch);
      }

      @Override
      public Future<StoredTasks> load() {
        return store.load();
      }
    };
    GroupCommit gc = new GroupCommit(spying, () -> 1, 16);
    gc.remove("a");
    gc.remove("b");
    gc.remove("c");

    assertThat(seen).hasSize(1);
    assertThat(seen.get(0)).containsExactly("a");
    store.succeed();
    assertThat(seen.get(1)).containsExactlyInAnyOrder("b", "c");
  }
}
