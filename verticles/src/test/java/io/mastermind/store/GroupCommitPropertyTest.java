package io.mastermind.store;

import io.mastermind.protocol.TaskRecord;
import io.vertx.core.Future;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.mastermind.store.ManualStore.version;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random puts, removes and store completions against a {@link ManualStore}. The oracle is the observed
 * sequence of writes, not a second implementation: a put's future must complete exactly when the first
 * write carrying its task after it completes (with that write's outcome), or at once when a removal of the
 * task supersedes it before any such write.
 */
@Label("GroupCommit properties")
class GroupCommitPropertyTest {

  private static final List<String> IDS = List.of("a", "b", "c", "d", "e");

  sealed interface Op permits Put, Remove, Complete {
  }

  record Put(String id) implements Op {
  }

  record Remove(String id) implements Op {
  }

  record Complete(boolean success) implements Op {
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<String> id = Arbitraries.of(IDS);
    Arbitrary<Op> put = id.map(Put::new);
    Arbitrary<Op> remove = id.map(Remove::new);
    Arbitrary<Op> complete = Arbitraries.frequency(Tuple.of(4, true), Tuple.of(1, false)).map(Complete::new);
    return Arbitraries.frequencyOf(Tuple.of(6, put), Tuple.of(2, remove), Tuple.of(3, complete)).list().ofMaxSize(60);
  }

  @Provide
  Arbitrary<List<Op>> successfulOps() {
    return ops().map(list -> list.stream().<Op>map(op -> op instanceof Complete ? new Complete(true) : op).toList());
  }

  /** One put call and when its future completed. */
  private static final class Call {
    final String id;
    final int version;
    final int step;
    final Future<Void> future;
    int doneAt = -1;

    Call(String id, int version, int step, Future<Void> future) {
      this.id = id;
      this.version = version;
      this.step = step;
      this.future = future;
    }
  }

  /** One write and the steps at which it was written and completed. */
  private record Timed(ManualStore.Write write, int writtenAt, int[] doneAt) {
  }

  private static final class Run {
    final ManualStore store = new ManualStore();
    final GroupCommit commit;
    final int maxBatch;
    final List<Call> calls = new ArrayList<>();
    final List<Timed> writes = new ArrayList<>();
    final Map<Integer, String> removeSteps = new HashMap<>();
    final List<Op> applied = new ArrayList<>();
    int step;
    int nextVersion = 1;
    Timed inFlight;

    Run(int maxBatch) {
      this.maxBatch = maxBatch;
      this.commit = new GroupCommit(store, () -> 3, maxBatch);
    }

    void apply(Op op) {
      step++;
      applied.add(op);
      if (op instanceof Put p) {
        int v = nextVersion++;
        Future<Void> f = commit.put(version(p.id(), v));
        Call call = new Call(p.id(), v, step, f);
        f.onComplete(ar -> call.doneAt = step);
        calls.add(call);
      } else if (op instanceof Remove r) {
        removeSteps.put(step, r.id());
        commit.remove(r.id());
      } else if (op instanceof Complete c && inFlight != null) {
        Timed done = inFlight;
        inFlight = null;
        done.doneAt()[0] = step;
        if (c.success()) {
          store.succeed();
        } else {
          store.fail(new RuntimeException("write " + writes.indexOf(done) + " lost"));
        }
      }
      collectWrites();
    }

    private void collectWrites() {
      for (int i = writes.size(); i < store.writes.size(); i++) {
        assertThat(inFlight).as("a second write while one is in flight, at step %d", step).isNull();
        Timed t = new Timed(store.writes.get(i), step, new int[] {-1});
        writes.add(t);
        inFlight = t;
      }
      assertThat(store.inFlight()).hasSizeLessThanOrEqualTo(1);
    }

    void drain() {
      for (int guard = 0; inFlight != null; guard++) {
        assertThat(guard).as("the backlog drains in a bounded number of flushes").isLessThan(200);
        apply(new Complete(true));
      }
    }
  }

  @Property(tries = 300)
  @Label("every put completes exactly when the first write carrying its task completes, or when a removal supersedes it")
  void futuresFollowTheirBatch(@ForAll("ops") List<Op> ops, @ForAll @IntRange(min = 1, max = 4) int maxBatch) {
    Run run = new Run(maxBatch);
    ops.forEach(run::apply);
    run.drain();

    assertBatchesWellFormed(run);
    for (Call call : run.calls) {
      assertThat(call.future.isComplete()).as("put of %s v%d completed after the drain", call.id, call.version).isTrue();
      Timed carrier = null;
      for (Timed t : run.writes) {
        if (t.writtenAt() >= call.step && t.write().putIds().contains(call.id)) {
          carrier = t;
          break;
        }
      }
      Integer supersededAt = null;
      for (int s = call.step + 1; s <= run.step; s++) {
        if (call.id.equals(run.removeSteps.get(s)) && (carrier == null || s < carrier.writtenAt())) {
          supersededAt = s;
          break;
        }
      }
      if (supersededAt != null) {
        assertThat(call.future.succeeded()).as("put of %s v%d superseded by a removal", call.id, call.version).isTrue();
        assertThat(call.doneAt).isEqualTo(supersededAt);
      } else {
        assertThat(carrier).as("a write carries put of %s v%d", call.id, call.version).isNotNull();
        TaskRecord written = carrier.write().batch().puts().stream().filter(r -> r.id().equals(call.id)).findFirst()
          .orElseThrow();
        assertThat((int) written.progress()).as("the carrier holds this version or a later one").isGreaterThanOrEqualTo(call.version);
        assertThat(call.doneAt).as("put of %s v%d completes with its carrier", call.id, call.version)
          .isEqualTo(carrier.doneAt()[0]);
        assertThat(call.future.succeeded()).isEqualTo(carrier.write().promise().future().succeeded());
      }
    }
  }

  @Property(tries = 200)
  @Label("when every write succeeds, the store ends up holding exactly the latest put of each task not removed since")
  void storeConvergesToLatest(@ForAll("successfulOps") List<Op> ops, @ForAll @IntRange(min = 1, max = 4) int maxBatch) {
    Run run = new Run(maxBatch);
    ops.forEach(run::apply);
    run.drain();

    Map<String, Integer> expected = new HashMap<>();
    int v = 1;
    for (Op op : run.applied) {
      if (op instanceof Put p) {
        expected.put(p.id(), v++);
      } else if (op instanceof Remove r) {
        expected.remove(r.id());
      }
    }
    Map<String, Integer> stored = new HashMap<>();
    for (Timed t : run.writes) {
      t.write().removes().forEach(stored::remove); // as a store applies a batch: removals first
      t.write().batch().puts().forEach(r -> stored.put(r.id(), (int) r.progress()));
    }
    assertBatchesWellFormed(run);
    assertThat(stored).isEqualTo(expected);
    assertThat(run.calls).allMatch(c -> c.future.succeeded());
    assertThat(run.commit.backlog()).isZero();
  }

  private static void assertBatchesWellFormed(Run run) {
    long entries = 0;
    for (Timed t : run.writes) {
      StoreBatch batch = t.write().batch();
      List<String> putIds = t.write().putIds();
      entries += batch.size();
      assertThat(batch.size()).as("write at step %d is neither empty nor over maxBatch", t.writtenAt())
        .isBetween(1, run.maxBatch);
      assertThat(new HashSet<>(putIds)).as("no task twice in a batch").hasSameSizeAs(putIds);
      // a removal and a put of one task in one batch: the removal was asked for first (a later removal drops the put)
      for (String id : batch.removes()) {
        if (putIds.contains(id)) {
          int removedAt = run.removeSteps.entrySet().stream().filter(e -> e.getValue().equals(id) && e.getKey() <= t.writtenAt())
            .mapToInt(Map.Entry::getKey).max().orElseThrow();
          assertThat(run.calls).as("%s put after its removal at step %d", id, removedAt)
            .anyMatch(c -> c.id.equals(id) && c.step > removedAt && c.step <= t.writtenAt());
        }
      }
      assertThat(batch.epoch()).isEqualTo(3);
      // each record written is the latest version put before the write
      for (TaskRecord r : batch.puts()) {
        int latest = run.calls.stream().filter(c -> c.id.equals(r.id()) && c.step <= t.writtenAt())
          .mapToInt(c -> c.version).max().orElseThrow();
        assertThat((int) r.progress()).as("version of %s written at step %d", r.id(), t.writtenAt()).isEqualTo(latest);
      }
    }
    // every removal reaches the store after it was asked for, and no later than a put of the task made after it
    Set<Integer> removeSteps = run.removeSteps.keySet();
    for (int s : removeSteps) {
      String id = run.removeSteps.get(s);
      assertThat(run.writes).as("removal of %s at step %d is written", id, s)
        .anyMatch(t -> t.writtenAt() >= s && t.write().removes().contains(id));
      for (Timed put : run.writes) {
        if (put.writtenAt() >= s && put.write().putIds().contains(id)) {
          assertThat(run.writes).as("removal of %s at step %d written with or before its put at step %d", id, s, put.writtenAt())
            .anyMatch(t -> t.writtenAt() >= s && t.writtenAt() <= put.writtenAt() && t.write().removes().contains(id));
          break;
        }
      }
    }
    assertThat(run.commit.flushes()).isEqualTo(run.writes.size());
    assertThat(run.commit.entries()).isEqualTo(entries);
  }
}
