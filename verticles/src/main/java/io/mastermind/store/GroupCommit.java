package io.mastermind.store;

import io.mastermind.protocol.TaskRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Group commit over a {@link TaskStore}: one flush in flight, the next accumulating behind it. Every
 * {@link #put} returns a future that succeeds once the batch holding that record is durable, so callers
 * acknowledge only what is stored; a failed flush fails every put in it (the caller answers 503 or
 * waits for the worker to resend). Within one batch the latest record of a task wins.
 *
 * <p>Used from one event loop only (the coordinator's); not thread-safe.
 *
 * <p>Implementation notes: with one flush in flight, batches grow exactly as fast as the store is
 * slow, so a fast store sees small batches (low latency) and a slow one large batches (high
 * throughput) without a tuning knob; {@code maxBatch} only bounds one flush's size.
 */
public final class GroupCommit {

  public static final int DEFAULT_MAX_BATCH = 1024;

  private final TaskStore store;
  private final LongSupplier epoch;
  private final int maxBatch;
  /** A record waiting for a flush, with everyone waiting for it (a later put of the same task joins). */
  private static final class Pending {
    TaskRecord record;
    final List<Promise<Void>> promises = new ArrayList<>(1);
  }

  private LinkedHashMap<String, Pending> puts = new LinkedHashMap<>();
  private Set<String> removes = new LinkedHashSet<>();
  private boolean flushing;
  private final ArrayDeque<Completed> completed = new ArrayDeque<>();
  private boolean draining;
  /** The flush whose puts are being completed, while their callbacks run; null otherwise. */
  private StoreBatch completing;
  /** True while the callers of a flush (stored or failed) are being answered. */
  private boolean answering;
  /** Runs once the callers of a flush were answered ({@link #afterAnswers}). */
  private Runnable afterAnswers = () -> { };
  private long flushes;
  private long entries;
  private long writeNanos;

  public GroupCommit(TaskStore store, LongSupplier epoch, int maxBatch) {
    if (maxBatch <= 0) {
      throw new IllegalArgumentException("maxBatch must be > 0");
    }
    this.store = store;
    this.epoch = epoch;
    this.maxBatch = maxBatch;
  }

  /** Stores the record with the next flush; the future succeeds once it (or a later version) is durable. */
  public Future<Void> put(TaskRecord record) {
    Pending pending = puts.computeIfAbsent(record.id(), id -> new Pending());
    pending.record = record;
    Promise<Void> promise = Promise.promise();
    pending.promises.add(promise);
    flushSoon();
    return promise.future();
  }

  /** Forgets a finished record with the next flush; nobody waits for it. */
  public void remove(String id) {
    Pending dropped = puts.remove(id);
    if (dropped != null) {
      dropped.promises.forEach(Promise::tryComplete); // superseded by the removal
    }
    removes.add(id);
    flushSoon();
  }

  /**
   * The bytes the store wrote for this very record, when called from a callback of the put that stored
   * it (the callbacks run while the flush completes); null otherwise or when the store did not say.
   */
  public byte[] encoded(TaskRecord record) {
    return completing == null ? null : completing.encoded().get(record);
  }

  /** Records waiting for a flush (not counting the one in flight). */
  public int backlog() {
    return puts.size() + removes.size();
  }

  /** Flushes performed and entries written, for the leader's counters. */
  public long flushes() {
    return flushes;
  }

  public long entries() {
    return entries;
  }

  /** Time the flushes spent in the store, from the write to its answer, summed. */
  public long writeNanos() {
    return writeNanos;
  }

  private void flushSoon() {
    if (!flushing) {
      flush();
    }
  }

  /** Starts a flush of what is waiting, if anything is; true if it did. */
  private boolean flush() {
    if (puts.isEmpty() && removes.isEmpty()) {
      flushing = false;
      return false;
    }
    flushing = true;
    // removals first, and puts only in a batch that holds every pending removal: a task removed and then
    // written again (an id submitted again once retention forgot it) has its removal in the same batch
    // as the put or an earlier one, and the store applies a batch's removals before its puts
    Set<String> batchRemoves;
    if (removes.size() <= maxBatch) {
      batchRemoves = removes;
      removes = new LinkedHashSet<>();
    } else { // more removals than maxBatch: they drain first, a batch at a time
      batchRemoves = new LinkedHashSet<>();
      var removing = removes.iterator();
      while (removing.hasNext() && batchRemoves.size() < maxBatch) {
        batchRemoves.add(removing.next());
        removing.remove();
      }
    }
    List<Pending> batchPuts = new ArrayList<>();
    var it = puts.values().iterator();
    while (removes.isEmpty() && it.hasNext() && batchPuts.size() + batchRemoves.size() < maxBatch) {
      batchPuts.add(it.next());
      it.remove();
    }
    List<TaskRecord> records = new ArrayList<>(batchPuts.size());
    batchPuts.forEach(p -> records.add(p.record));
    StoreBatch batch = new StoreBatch(epoch.getAsLong(), records, batchRemoves);
    flushes++;
    entries += batch.size();
    long started = System.nanoTime();
    Future<Void> written;
    try {
      written = store.write(batch);
    } catch (RuntimeException e) {
      written = Future.failedFuture(e);
    }
    written.onComplete(ar -> {
      writeNanos += System.nanoTime() - started;
      completed.add(new Completed(batch, batchPuts, ar.cause()));
      if (!draining) {
        drainCompleted();
      }
    });
    return true;
  }

  /**
   * Answers finished flushes in the order they were made. The next flush starts <em>before</em> the
   * answers of the one that finished run: answering a large batch (replies, events, dispatch) takes a
   * while on the loop, and the store round trip overlaps it instead of waiting behind it. A store that
   * completes synchronously (an empty flush, an in-memory store) only queues its completion here, so a
   * later batch is never answered before an earlier one.
   */
  private void drainCompleted() {
    draining = true;
    try {
      Completed done;
      while ((done = completed.poll()) != null) {
        boolean started = flush(); // what accumulated meanwhile; its completion waits in the queue
        flushing = true; // what the answers store waits: behind that flush, or for the one right after them
        answer(done);
        if (!started) {
          flush();
        }
      }
    } finally {
      draining = false;
    }
  }

  /**
   * {@code action} runs each time the callers of a flush (stored or failed) were all answered: what they
   * asked for meanwhile can then be done once for the whole flush (the coordinator's scheduling pass
   * places every task the flush queued, not its first task in one pass and the rest in another).
   */
  public void afterAnswers(Runnable action) {
    this.afterAnswers = action;
  }

  /** True while the callers of a flush are being answered. */
  public boolean answering() {
    return answering;
  }

  private void answer(Completed done) {
    completing = done.failure == null ? done.batch : null;
    answering = true;
    try {
      for (Pending p : done.puts) {
        for (Promise<Void> promise : p.promises) {
          if (done.failure == null) {
            promise.tryComplete();
          } else {
            promise.tryFail(done.failure);
          }
        }
      }
    } finally {
      completing = null;
      answering = false;
    }
    afterAnswers.run();
  }

  /** A flush the store has answered, waiting for its callers to be answered. */
  private record Completed(StoreBatch batch, List<Pending> puts, Throwable failure) {
  }
}
