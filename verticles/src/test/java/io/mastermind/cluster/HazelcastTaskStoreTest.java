package io.mastermind.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.store.FencedException;
import io.mastermind.store.StoreBatch;
import io.mastermind.store.StoredTasks;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Hazelcast task store on a real two-member cluster on loopback: where flushes land, and fencing. */
@ExtendWith(VertxExtension.class)
class HazelcastTaskStoreTest {

  private static HazelcastInstance leader;
  private static HazelcastInstance worker;

  @BeforeAll
  static void startCluster() throws IOException {
    String name = "store-test-" + UUID.randomUUID();
    int port = LoopbackPorts.free();
    leader = Hazelcast.newHazelcastInstance(HazelcastConfigFactory.create(
      new ClusterOptions().setName(name).setHost("127.0.0.1").setPort(port), "c1", Set.of("coordinator")));
    worker = Hazelcast.newHazelcastInstance(HazelcastConfigFactory.create(
      new ClusterOptions().setName(name).setHost("127.0.0.1").setPort(LoopbackPorts.free()).setJoin(List.of("127.0.0.1:" + port)),
      "w1", Set.of("worker")));
  }

  @AfterAll
  static void stopCluster() {
    worker.shutdown();
    leader.shutdown();
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  @DisplayName("flushes land in partitions the writing member owns, and a load reads back the latest version of each task")
  void flushesAreLocalAndLoadBack(Vertx vertx, VertxTestContext test) {
    assertThat(worker.getCluster().getMembers()).hasSize(2);
    emptyStoreAtEpoch(2);
    HazelcastTaskStore store = new HazelcastTaskStore(vertx, leader);
    Future<Void> writes = Future.succeededFuture();
    for (int i = 0; i < 20; i++) {
      TaskRecord queued = record("t" + i);
      TaskRecord later = i % 2 == 0 ? queued.withReason("written twice") : null;
      writes = writes.compose(v -> write(vertx, store, 2, queued))
        .compose(v -> later == null ? Future.succeededFuture() : write(vertx, store, 2, later));
    }
    writes.compose(v -> store.load()).onComplete(test.succeeding(stored -> test.verify(() -> {
      IMap<Long, Object> flushes = flushes();
      assertThat(flushes.keySet()).isNotEmpty().allSatisfy(key ->
        assertThat(leader.getPartitionService().getPartition(key).getOwner().localMember())
          .as("flush %s owned by the writer", key).isTrue());
      assertThat(stored.records()).hasSize(20);
      assertThat(stored.records()).filteredOn(r -> "written twice".equals(r.reason())).hasSize(10);
      assertThat(stored.highestEpoch()).isEqualTo(2);
      test.completeNow();
    })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  @DisplayName("finished records move into segments, their flushes are deleted, and a load still reads each task's latest version")
  void finishedRecordsMoveIntoSegments(Vertx vertx, VertxTestContext test) {
    emptyStoreAtEpoch(3);
    HazelcastTaskStore store = new HazelcastTaskStore(vertx, leader, 2_000); // a segment per ~3 records
    IMap<Long, Object> flushes = flushes();
    Future<Void> writes = Future.succeededFuture();
    for (int i = 0; i < 30; i++) {
      TaskRecord queued = record("s" + i);
      TaskRecord done = queued.scheduled("w1").running(System.currentTimeMillis()).succeeded(new JsonObject().put("n", i), System.currentTimeMillis());
      writes = writes.compose(v -> write(vertx, store, 3, queued)).compose(v -> write(vertx, store, 3, done));
    }
    writes.compose(v -> write(vertx, store, 3, record("last"))) // a write after the last segment filled
      .compose(v -> store.load())
      .onComplete(test.succeeding(stored -> test.verify(() -> {
        assertThat(stored.records()).hasSize(31);
        assertThat(stored.records()).filteredOn(r -> r.status().isTerminal()).hasSize(30)
          .allSatisfy(r -> assertThat(r.result()).isEqualTo(new JsonObject().put("n", Integer.parseInt(r.id().substring(1)))));
        long segmentEntries = flushes.values().stream()
          .filter(HazelcastTaskStoreTest::isSegment).count();
        assertThat(segmentEntries).as("segments").isGreaterThan(0);
        assertThat(flushes.size()).as("entries left of 61 flushes").isLessThan(25);
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  @DisplayName("once every finished record is forgotten, in segments or in flushes, the store is empty")
  void forgottenRecordsEmptyTheStore(Vertx vertx, VertxTestContext test) {
    emptyStoreAtEpoch(4);
    HazelcastTaskStore store = new HazelcastTaskStore(vertx, leader, 2_000);
    IMap<Long, Object> flushes = flushes();
    Future<Void> writes = Future.succeededFuture();
    Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      TaskRecord done = cancelled("f" + i);
      ids.add(done.id());
      writes = writes.compose(v -> write(vertx, store, 4, done));
    }
    writes.compose(v -> write(vertx, store, 4, List.of(), ids))
      // deletions are asynchronous; the backups (on the other member) go too
      .compose(v -> until(vertx, () -> flushes.isEmpty() && backupsOnWorker() == 0))
      .onComplete(test.succeedingThenComplete());
  }

  @Test
  @DisplayName("a flush's bytes given to the map in serialized form are what Hazelcast writes for a byte[], and read back as one")
  void serializedBytesAreHazelcastsOwnForm() {
    byte[] flush = "{\"epoch\":1,\"records\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] withRoom = new byte[SerializedBytes.HEADER + flush.length];
    System.arraycopy(flush, 0, withRoom, SerializedBytes.HEADER, flush.length);
    com.hazelcast.internal.serialization.Data ours = SerializedBytes.wrap(withRoom);
    com.hazelcast.internal.serialization.Data hazelcasts =
      ((com.hazelcast.spi.impl.SerializationServiceSupport) leader).getSerializationService().toData(flush);
    assertThat(ours.toByteArray()).isEqualTo(hazelcasts.toByteArray());
    IMap<Long, Object> flushes = flushes();
    flushes.set(-1L, ours);
    assertThat(worker.<Long, Object>getMap(HazelcastConfigFactory.TASK_BATCHES_MAP).get(-1L)).isEqualTo(flush);
    flushes.delete(-1L);
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a task forgotten and submitted again in one batch releases its finished version's flush: no entry kept for good")
  void removedThenWrittenAgainInOneBatch(Vertx vertx, VertxTestContext test) {
    emptyStoreAtEpoch(4);
    HazelcastTaskStore store = new HazelcastTaskStore(vertx, leader);
    IMap<Long, Object> flushes = flushes();
    TaskRecord finished = cancelled("again");
    TaskRecord resubmitted = record("again");
    write(vertx, store, 4, finished)
      .compose(v -> write(vertx, store, 4, List.of(resubmitted), Set.of("again")))
      .compose(v -> until(vertx, () -> flushes.size() == 1)) // the finished version's flush deleted (asynchronously), the new one kept
      .compose(v -> store.load())
      .onComplete(test.succeeding(stored -> test.verify(() -> {
        assertThat(stored.records()).singleElement().satisfies(r -> assertThat(r.status().isTerminal()).isFalse());
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a deposed leader's segment is fenced but left in place: a successor may have read it already")
  void fencedSegmentStays(Vertx vertx, VertxTestContext test) {
    emptyStoreAtEpoch(7);
    HazelcastTaskStore deposed = new HazelcastTaskStore(vertx, leader, 1_000);
    IMap<Long, Object> flushes = flushes();
    List<TaskRecord> done = new ArrayList<>();
    for (int i = 0; i < 4; i++) { // one flush of enough finished records for a segment, written by the next flush
      done.add(cancelled("g" + i));
    }
    write(vertx, deposed, 7, done, Set.of())
      .compose(v -> {
        leader.getMap(HazelcastConfigFactory.META_MAP).put(HazelcastClusterView.EPOCH_KEY, 8L);
        return vertx.timer(HazelcastTaskStore.LEASE_MS + 50); // the lease has run out: every write reads the epoch
      })
      .compose(v -> write(vertx, deposed, 7, record("late")).transform(ar -> {
        assertThat(ar.cause()).isInstanceOf(FencedException.class);
        return deposed.lastSegment().transform(segment -> Future.succeededFuture(segment.cause()));
      }))
      .onComplete(test.succeeding(segmentFailure -> test.verify(() -> {
        assertThat(segmentFailure).as("the segment was fenced").isInstanceOf(FencedException.class);
        assertThat(flushes.values()).as("the segment is still stored")
          .anyMatch(HazelcastTaskStoreTest::isSegment);
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a flush of a deposed leader fails with FencedException and leaves nothing a takeover would read")
  void deposedLeaderIsFenced(Vertx vertx, VertxTestContext test) {
    emptyStoreAtEpoch(9); // a successor's epoch
    HazelcastTaskStore store = new HazelcastTaskStore(vertx, leader);

    write(vertx, store, 5, record("late-1"))
      .onComplete(test.failing(err -> test.verify(() -> {
        assertThat(err).isInstanceOf(FencedException.class);
        assertThat(flushes().size()).isZero();
        store.load().onComplete(test.succeeding(stored -> test.verify(() -> {
          assertThat(stored.records()).isEmpty();
          test.completeNow();
        })));
      })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  @DisplayName("within its lease a deposed leader's flush is acknowledged unread, and a successor's load waits the lease out and finds it")
  void leaseCoversDeposedLeadersAcknowledgedFlushes(Vertx vertx, VertxTestContext test) {
    emptyStoreAtEpoch(5);
    HazelcastTaskStore deposed = new HazelcastTaskStore(vertx, leader);
    HazelcastTaskStore successor = new HazelcastTaskStore(vertx, worker);

    write(vertx, deposed, 5, record("before-raise")) // reads the epoch: the lease starts
      .compose(v -> {
        worker.getMap(HazelcastConfigFactory.META_MAP).put(HazelcastClusterView.EPOCH_KEY, 6L); // the successor's raise
        return write(vertx, deposed, 5, record("in-lease")); // stored before the lease ran out: acknowledged
      })
      .compose(v -> {
        long loading = System.nanoTime();
        return successor.load().map(stored -> new Loaded(stored, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loading)));
      })
      .onComplete(test.succeeding(loaded -> test.verify(() -> {
        assertThat(loaded.stored().records()).extracting(TaskRecord::id).contains("before-raise", "in-lease");
        assertThat(loaded.tookMs()).as("the load waited out the lease").isGreaterThanOrEqualTo(HazelcastTaskStore.LEASE_WAIT_MS);
        test.completeNow();
      })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  @DisplayName("once its lease has run out, a deposed leader's flush reads the epoch again and is fenced")
  void expiredLeaseIsFencedAgain(Vertx vertx, VertxTestContext test) {
    emptyStoreAtEpoch(7);
    HazelcastTaskStore deposed = new HazelcastTaskStore(vertx, leader);

    write(vertx, deposed, 7, record("leased"))
      .compose(v -> {
        leader.getMap(HazelcastConfigFactory.META_MAP).put(HazelcastClusterView.EPOCH_KEY, 8L);
        return vertx.timer(HazelcastTaskStore.LEASE_MS + 50); // what is under test is the lease's length
      })
      .compose(v -> write(vertx, deposed, 7, record("too-late")))
      .onComplete(test.failing(err -> test.verify(() -> {
        assertThat(err).isInstanceOf(FencedException.class);
        assertThat(flushes().size()).as("only the leased flush").isEqualTo(1);
        test.completeNow();
      })));
  }

  private record Loaded(StoredTasks stored, long tookMs) {
  }

  /** The store's map of flush and segment entries, as the leader sees it. */
  private static IMap<Long, Object> flushes() {
    return leader.getMap(HazelcastConfigFactory.TASK_BATCHES_MAP);
  }

  /** Backup copies of flushes the other member holds. */
  private static long backupsOnWorker() {
    return worker.getMap(HazelcastConfigFactory.TASK_BATCHES_MAP).getLocalMapStats().getBackupEntryCount();
  }

  /** No flushes stored, and the cluster's epoch counter at {@code epoch}. */
  private static void emptyStoreAtEpoch(long epoch) {
    flushes().clear();
    leader.getMap(HazelcastConfigFactory.META_MAP).put(HazelcastClusterView.EPOCH_KEY, epoch);
  }

  /** Writes from an event-loop context, as the coordinator does. */
  private static Future<Void> write(Vertx vertx, HazelcastTaskStore store, long epoch, TaskRecord record) {
    return write(vertx, store, epoch, List.of(record), Set.of());
  }

  private static Future<Void> write(Vertx vertx, HazelcastTaskStore store, long epoch, List<TaskRecord> puts, Set<String> removes) {
    return Future.future(promise -> vertx.runOnContext(v ->
      store.write(new StoreBatch(epoch, new ArrayList<>(puts), removes)).onComplete(promise)));
  }

  /** Succeeds once {@code condition} holds, checked every 50 ms (the store deletes entries asynchronously). */
  private static Future<Void> until(Vertx vertx, java.util.function.BooleanSupplier condition) {
    Promise<Void> done = Promise.promise();
    vertx.setPeriodic(50, timer -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(timer);
        done.tryComplete();
      }
    });
    return done.future();
  }

  private static TaskRecord cancelled(String id) {
    return record(id).ended(io.mastermind.protocol.TaskStatus.CANCELLED, null, System.currentTimeMillis());
  }

  /** A stored entry holding more than one record: in these tests, a segment. */
  private static boolean isSegment(Object value) {
    return new JsonObject(io.vertx.core.buffer.Buffer.buffer((byte[]) value)).getJsonArray("records").size() > 1;
  }

  private static TaskRecord record(String id) {
    return TaskRecord.queued(TaskSpec.fromJson(new JsonObject().put("id", id).put("type", "compute")
      .put("payload", new JsonObject().put("function", "echo").put("data", new JsonObject().put("text", id)))), System.currentTimeMillis());
  }

}
