package io.mastermind.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.IMap;
import io.mastermind.protocol.TaskRecord;
import io.mastermind.store.FencedException;
import io.mastermind.store.FlushWriter;
import io.mastermind.store.StoreBatch;
import io.mastermind.store.StoredTasks;
import io.mastermind.store.TaskStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Task records in a Hazelcast map with one synchronous backup, <b>one entry per group-commit flush</b>
 * ({@code {"epoch", "records": [...]}}, JSON text: no Java serialization across the cluster), so a
 * flush of a thousand records is one partition operation and one backup round trip instead of a
 * thousand. Measured in VERTX5-NOTES: a value per batch stores ~300k entries/s against ~5.5k for one
 * write per record.
 *
 * <p>Implementation notes. Keys are {@code epoch << 40 | sequence}, so reading them back in key order
 * replays every leader's flushes in the order they were made, later versions of a task overriding
 * earlier ones. The leader counts, per flush entry, the records whose latest version it still holds;
 * when a flush holds none any more (each was written again later, or forgotten by retention) its
 * entry is deleted: the map stays about as large as the live records. A forgotten record whose flush
 * still holds other live records comes back after a takeover and is forgotten again by retention.
 *
 * <p>Segments: finished records are stored a second time, gathered into one entry of about a heap region
 * ({@link SegmentBuffer}), and then count towards that entry instead of their flush; so a flush is
 * deleted milliseconds after it was written, once its records have finished and moved, and the
 * finished records' bytes, kept for the retention period, sit in large arrays the collector allocates
 * outside the young generation and never copies (on the leader and on the backup's member).
 *
 * <p>Fencing: a flush is acknowledged only if it was stored while this leader's epoch was still the
 * newest. A new leader raises the epoch <em>before</em> it reads the store ({@code FencedLoad}), and
 * {@link #load} first waits out a deposed leader's lease (below); so every flush a deposed leader
 * acknowledged is in what its successor reads. A flush that cannot show it (no lease, or the lease ran
 * out before the flush was stored) reads the epoch counter once its entry is stored; one that sees a
 * newer epoch fails with {@link FencedException} and its entry is deleted again. A deposed leader's
 * flushes sort before its successor's, so they never override what the successor wrote.
 *
 * <p>The lease: a read of the epoch counter sent at time {@code t} that still finds this leader's epoch
 * means no successor had raised it at {@code t}, so a flush stored before {@code t + }{@link #LEASE_MS}
 * is stored before any successor's raise plus {@link #LEASE_MS}, and {@link #load} waits a little longer
 * than that ({@link #LEASE_WAIT_MS}) after the raise. Flushes within the lease skip their own epoch read
 * (it was a third of a flush's time on a busy 2-core machine: 2.7 of 8.7 ms); a read in the background
 * renews the lease when half of it is left. Only durations on each JVM's monotonic clock are compared,
 * never clocks of two machines.
 *
 * <p>Used from the leading coordinator's event loop; {@link #load} hands its bookkeeping over there.
 */
public final class HazelcastTaskStore implements TaskStore {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastTaskStore.class);
  private static final int SEQUENCE_BITS = 40;
  /** Sequence numbers tried for a locally owned flush key before taking whichever came last. */
  private static final int LOCAL_KEY_TRIES = 32;

  /** Runs a Hazelcast callback on the thread completing the future: ours only hand over to an event loop. */
  private static final Executor WHERE_COMPLETED = Runnable::run;

  /** How long a flush waits for the replicas to be safe again after a member died. */
  static final long SAFE_WAIT_MS = 2_000;
  /** How long after a member left flushes check that the replicas are safe (in steady state they do not). */
  static final long UNSAFE_WINDOW_MS = 5_000;
  /**
   * Hazelcast says "safe" in the first moments after a removal, before it has repaired the partition
   * table (measured: flushes acknowledged 100 ms after a worker died were lost when the leader died
   * 0.5 s later); so flushes also wait this long after a member left.
   */
  static final long SETTLE_MS = 1_000;
  /** How long after a read of the epoch counter found this leader's epoch its flushes need no read of their own. */
  static final long LEASE_MS = 500;
  /** How long {@link #load} waits after the takeover's raise: a deposed leader's lease, with room for clock rates. */
  static final long LEASE_WAIT_MS = LEASE_MS + LEASE_MS / 4 + 100;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  /** Flush key to the flush's JSON: UTF-8 bytes as written now, or text as older builds wrote it. */
  private final IMap<Long, Object> batches;
  private final IMap<String, Long> meta;
  /** Unfinished task id to the key of the flush holding its latest version (few: they finish soon). */
  private Map<String, Long> unfinishedIn = new HashMap<>();
  /** The same for finished records, the many retained ones: by id hash, in primitive arrays. */
  private FinishedIndex finishedIn = new FinishedIndex();
  /** Flush key to how many tasks' latest versions it holds. */
  private Map<Long, Integer> live = new HashMap<>();
  private long sequence;
  /** The epoch the lease is for, and until when (System.nanoTime) its flushes need no epoch read. */
  private long leaseEpoch = -1;
  private long leaseUntil;
  private boolean renewing;
  /** Finished records waiting to be moved into a segment. */
  private final SegmentBuffer segments;
  /** Flushes in flight (the coordinator's group commit has at most one). */
  private int writing;
  /** The last segment's write and bookkeeping: one segment at a time. */
  private Future<Void> lastSegment = Future.succeededFuture();
  /** Loads done: a write's bookkeeping from before the last load is dropped (the load read what it wrote). */
  private long loads;
  /** When a member last left the cluster; written by Hazelcast's listener thread. */
  private volatile long lastMemberLoss;

  public HazelcastTaskStore(Vertx vertx, HazelcastInstance hazelcast) {
    this(vertx, hazelcast, SegmentBuffer.regionTarget());
  }

  /** With segments of about {@code segmentBytes} (tests make them small). */
  HazelcastTaskStore(Vertx vertx, HazelcastInstance hazelcast, int segmentBytes) {
    this.segments = new SegmentBuffer(segmentBytes);
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.batches = hazelcast.getMap(HazelcastConfigFactory.TASK_BATCHES_MAP);
    this.meta = hazelcast.getMap(HazelcastConfigFactory.META_MAP);
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        lastMemberLoss = System.currentTimeMillis();
      }
    });
  }

  @Override
  public Future<Void> write(StoreBatch batch) {
    var context = vertx.getOrCreateContext();
    if (batch.puts().isEmpty()) {
      forget(batch.removes());
      return Future.succeededFuture();
    }
    if (writing == 0 && lastSegment.isComplete() && segments.full()) {
      writeSegment(batch, context); // between flushes: every earlier one has landed, the indexes are current
    }
    long key = nextKey(batch.epoch());
    Data value = SerializedBytes.wrap(FlushWriter.writeBytes(batch.epoch(), batch.puts(), batch.encoded(), SerializedBytes.HEADER));
    writing++;
    long loaded = loads;
    return store(key, batch.epoch(), value, context, true)
      .onComplete(ar -> writing--)
      .onSuccess(v -> {
        if (loaded != loads) {
          return; // a takeover's load rebuilt the books since, from what it read
        }
        forget(batch.removes()); // first: a task removed and written again in one batch keeps the put
        live.put(key, batch.puts().size());
        for (TaskRecord record : batch.puts()) {
          stored(record, key, batch.encoded().get(record));
        }
      });
  }

  /** {@code record} is now stored in flush {@code key} (as {@code bytes}): the flush of its previous version loses it. */
  private void stored(TaskRecord record, long key, byte[] bytes) {
    long hash = FinishedIndex.hash(record.id());
    if (!record.status().isTerminal()) {
      finishedIn.pinIfPresent(hash); // a finished task written again (never in a leader's life): keep both
      release(unfinishedIn.put(record.id(), key));
      return;
    }
    release(unfinishedIn.remove(record.id()));
    if (finishedIn.add(hash, key) && bytes != null) {
      segments.add(hash, key, bytes);
    } // else pinned: this flush is never released
  }

  /**
   * Stores the finished records gathered since the last segment again, in one entry ({@link SegmentBuffer}),
   * then points each at it: the flushes they leave may become empty and be deleted. Its key is taken
   * now, after every flush that holds them and before any flush that could write them again, so a
   * replay in key order still ends with each task's latest version. A segment that fails (fenced, or
   * the cluster lost a member) changes nothing: its records stay where they are.
   */
  private void writeSegment(StoreBatch batch, Context context) {
    Set<Long> skip = new HashSet<>();
    batch.removes().forEach(id -> skip.add(FinishedIndex.hash(id)));
    batch.puts().forEach(r -> skip.add(FinishedIndex.hash(r.id())));
    SegmentBuffer.Segment segment = segments.take(batch.epoch(), finishedIn, skip, SerializedBytes.HEADER);
    if (segment == null) {
      return;
    }
    long key = nextKey(batch.epoch());
    long loaded = loads;
    // a fenced segment is left in place: it only repeats acknowledged versions, its key sorts before
    // every newer leader's, and a successor's load may already have read it and deleted its flushes
    lastSegment = store(key, batch.epoch(), SerializedBytes.wrap(segment.value()), context, false).andThen(ar -> {
      if (loaded != loads) {
        return; // a takeover's load rebuilt the books since, from what it read
      }
      if (ar.failed()) {
        LOG.debug("segment " + key + " not written, its records stay in their flushes: " + ar.cause());
        return;
      }
      int moved = 0;
      for (int i = 0; i < segment.hashes().length; i++) {
        if (finishedIn.move(segment.hashes()[i], segment.from()[i], key)) { // else forgotten or pinned meanwhile
          release(segment.from()[i]);
          moved++;
        }
      }
      if (moved == 0) {
        deleteFlush(key);
      } else {
        live.put(key, moved);
      }
    });
  }

  Future<Void> lastSegment() {
    return lastSegment;
  }

  /**
   * Stores one entry, durably (primary and backup), and only while {@code epoch} is the newest leader's:
   * see the class notes on fencing and the lease.
   */
  private Future<Void> store(long key, long epoch, Data value, Context context, boolean removeIfFenced) {
    return replicasSafe(System.currentTimeMillis() + SAFE_WAIT_MS)
      .compose(v -> onContext(batches.setAsync(key, value), context))
      .compose(written -> {
        if (leased(epoch, System.nanoTime())) {
          renewIfHalfGone(epoch, context);
          return Future.<Void>succeededFuture();
        }
        // the epoch is read once the entry is stored: a new leader raises it before it reads the store,
        // so an entry that still reads its own epoch afterwards is in what that takeover reads
        // (asked from the event loop, not from the Hazelcast thread that completed the write)
        return readEpoch(epoch, context).compose(current -> {
          if (current != null && current > epoch) { // never acknowledged: no takeover may replay it
            FencedException fenced = new FencedException(epoch, current);
            return !removeIfFenced ? Future.<Void>failedFuture(fenced) : onContext(delete(key), context)
              .transform(removed -> Future.<Void>failedFuture(fenced));
          }
          return Future.<Void>succeededFuture();
        });
      });
  }

  /** True when a flush of {@code epoch} stored by {@code now} is within the lease. */
  private boolean leased(long epoch, long now) {
    return epoch == leaseEpoch && now - leaseUntil < 0;
  }

  /** Renews the lease in the background once half of it is gone, so a steady stream of flushes never waits for a read. */
  private void renewIfHalfGone(long epoch, Context context) {
    if (!renewing && leaseUntil - System.nanoTime() < TimeUnit.MILLISECONDS.toNanos(LEASE_MS) / 2) {
      renewing = true;
      readEpoch(epoch, context).onComplete(ar -> renewing = false);
    }
  }

  /**
   * Reads the epoch counter (null when lost); what it finds extends the lease of {@code epoch} from the
   * moment the read was sent, or ends it when a newer epoch was raised.
   */
  private Future<Long> readEpoch(long epoch, Context context) {
    long asked = System.nanoTime();
    return onContext(meta.getAsync(HazelcastClusterView.EPOCH_KEY), context).onSuccess(current -> {
      if (current != null && current > epoch) {
        endLease(epoch, asked); // deposed: the next flushes read the epoch and are fenced
      } else {
        extendLease(epoch, asked);
      }
    });
  }

  /** A read sent at {@code asked} found {@code epoch} current (a late answer about an older epoch changes nothing). */
  private void extendLease(long epoch, long asked) {
    long until = asked + TimeUnit.MILLISECONDS.toNanos(LEASE_MS);
    if (epoch > leaseEpoch || epoch == leaseEpoch && until - leaseUntil > 0) {
      leaseEpoch = epoch;
      leaseUntil = until;
    }
  }

  /** A read sent at {@code asked} found a newer epoch than {@code epoch}: its lease ends there. */
  private void endLease(long epoch, long asked) {
    if (epoch == leaseEpoch && leaseUntil - asked > 0) {
      leaseUntil = asked;
    }
  }

  /**
   * The next flush key: the next sequence number whose partition this member owns, when one of the next
   * few is, so the primary copy is written here and only the backup crosses the network (one hop
   * instead of two; skipped numbers leave gaps, which replay in key order does not mind).
   */
  private long nextKey(long epoch) {
    var partitions = hazelcast.getPartitionService();
    long key = 0;
    for (int tries = 0; tries < LOCAL_KEY_TRIES; tries++) {
      key = (epoch << SEQUENCE_BITS) | (sequence++ & ((1L << SEQUENCE_BITS) - 1));
      var owner = partitions.getPartition(key).getOwner();
      if (owner != null && owner.localMember()) {
        break;
      }
    }
    return key;
  }

  /**
   * Right after a member died, a partition whose backup it held has no backup until Hazelcast assigns a
   * new replica and copies the data: a write still succeeds, on its primary alone, and a second death
   * then loses it (seen with scripts/chaos.sh, kills ~1 s apart). So for a few seconds after a member
   * left, a flush first waits (at most {@link #SAFE_WAIT_MS}) until the replicas are in sync again, and
   * only in that window ({@link ReplicaSafety}).
   */
  private Future<Void> replicasSafe(long deadline) {
    if (System.currentTimeMillis() - lastMemberLoss > UNSAFE_WINDOW_MS) {
      return Future.succeededFuture();
    }
    return ReplicaSafety.await(vertx, hazelcast, lastMemberLoss + SETTLE_MS, deadline);
  }

  /** Records no longer retained: the flushes that held them may become empty. */
  private void forget(Iterable<String> ids) {
    for (String id : ids) {
      release(unfinishedIn.remove(id));
      long key = finishedIn.remove(FinishedIndex.hash(id));
      if (key >= 0) {
        release(key);
      }
    }
  }

  /** One task's latest version left this flush; an empty flush is deleted. */
  private void release(Long key) {
    if (key == null) {
      return;
    }
    Integer count = live.get(key);
    if (count == null) {
      return;
    }
    if (count <= 1) {
      live.remove(key);
      deleteFlush(key);
    } else {
      live.put(key, count - 1);
    }
  }

  private void deleteFlush(long key) {
    delete(key).whenCompleteAsync((removed, err) -> {
      if (err != null) {
        LOG.debug("could not delete flush " + key + ": " + err.getMessage());
      }
    }, WHERE_COMPLETED);
  }

  /** Deletes an entry, on its backup too, without its value coming back ({@link DeleteEntry}). */
  private CompletionStage<Boolean> delete(long key) {
    return batches.submitToKey(key, DeleteEntry.INSTANCE);
  }

  /**
   * A Hazelcast future as a future of this context. Not {@link Future#fromCompletionStage}: it registers
   * with {@code whenComplete}, and Hazelcast runs a callback registered without an executor on its
   * default async executor, which starts a new thread per callback when the common pool has one thread
   * (any 2-core machine): measured ~580 thread starts per second on a leader at 6,700 tasks/s.
   */
  private static <T> Future<T> onContext(CompletionStage<T> stage, Context context) {
    Promise<T> promise = Promise.promise();
    stage.whenCompleteAsync((value, err) -> context.runOnContext(v -> {
      if (err != null) {
        promise.fail(err);
      } else {
        promise.complete(value);
      }
    }), WHERE_COMPLETED);
    return promise.future();
  }

  /**
   * Reads every flush back in order, once a deposed leader's lease has run out ({@link #LEASE_WAIT_MS}
   * after the caller raised the epoch); blocking Hazelcast calls, so on a worker thread, once per takeover.
   */
  @Override
  public Future<StoredTasks> load() {
    return vertx.timer(LEASE_WAIT_MS).compose(waited -> vertx.<Loaded>executeBlocking(() -> {
      TreeMap<Long, Object> ordered = new TreeMap<>(batches);
      Map<String, TaskRecord> latest = new LinkedHashMap<>();
      Map<String, Long> latestKey = new HashMap<>();
      List<String> undecodable = new ArrayList<>();
      java.util.Set<Long> unreadable = new java.util.HashSet<>();
      long highest = 0;
      for (Map.Entry<Long, Object> entry : ordered.entrySet()) {
        JsonArray records;
        try {
          JsonObject flush = entry.getValue() instanceof byte[] bytes ? new JsonObject(Buffer.buffer(bytes))
            : new JsonObject((String) entry.getValue());
          highest = Math.max(highest, flush.getLong("epoch", 0L));
          records = flush.getJsonArray("records", new JsonArray());
        } catch (RuntimeException e) {
          undecodable.add("flush-" + entry.getKey());
          unreadable.add(entry.getKey()); // kept for whoever investigates, never deleted
          continue;
        }
        for (int i = 0; i < records.size(); i++) {
          try {
            TaskRecord record = TaskRecord.fromStoreJson(records.getJsonObject(i));
            latest.put(record.id(), record);
            latestKey.put(record.id(), entry.getKey());
          } catch (RuntimeException e) {
            Object id = records.getValue(i) instanceof JsonObject o ? o.getValue("id") : null;
            undecodable.add(id == null ? "flush-" + entry.getKey() + "[" + i + "]" : String.valueOf(id));
          }
        }
      }
      Map<Long, Integer> counts = new HashMap<>();
      latestKey.values().forEach(k -> counts.merge(k, 1, Integer::sum));
      List<Long> empty = new ArrayList<>();
      for (Long k : ordered.keySet()) {
        if (!counts.containsKey(k) && !unreadable.contains(k)) {
          empty.add(k); // every record in it was written again later
        }
      }
      empty.forEach(this::delete);
      Map<String, Long> unfinished = new HashMap<>();
      FinishedIndex finished = new FinishedIndex(latest.size());
      for (TaskRecord record : latest.values()) {
        long key = latestKey.get(record.id());
        if (record.status().isTerminal()) {
          finished.add(FinishedIndex.hash(record.id()), key); // a hash twice: pinned, its flushes kept
        } else {
          unfinished.put(record.id(), key);
        }
      }
      return new Loaded(new StoredTasks(new ArrayList<>(latest.values()), undecodable, highest), unfinished, finished, counts);
    })).map(loaded -> {
      loads++;
      unfinishedIn = loaded.unfinishedIn;
      finishedIn = loaded.finishedIn;
      live = loaded.live;
      return loaded.stored;
    });
  }

  private record Loaded(StoredTasks stored, Map<String, Long> unfinishedIn, FinishedIndex finishedIn, Map<Long, Integer> live) {
  }
}
