package io.mastermind.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.mastermind.protocol.TaskRecord;
import io.mastermind.store.FencedException;
import io.mastermind.store.StoreBatch;
import io.mastermind.store.StoreCodec;
import io.mastermind.store.StoredTasks;
import io.mastermind.store.TaskStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Task records in a Hazelcast map with one synchronous backup, one entry per task, stored as JSON text
 * (no Java serialization across the cluster). A batch is one {@code putAllAsync}, which Hazelcast
 * groups by partition and completes once every entry is on its primary and its backup; removes of
 * records no longer retained ride along without being waited for.
 *
 * <p>Fencing: before each batch the leader epoch counter is read; a batch from an older epoch is
 * refused with {@link FencedException}. This narrows, but does not close, the window in which a
 * deposed leader (one side of a partition) could still write: the check and the write are two calls.
 */
public final class HazelcastTaskStore implements TaskStore {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastTaskStore.class);

  private final Vertx vertx;
  private final IMap<String, String> records;
  private final IMap<String, Long> meta;

  public HazelcastTaskStore(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.records = hazelcast.getMap(HazelcastConfigFactory.TASKS_MAP);
    this.meta = hazelcast.getMap(HazelcastConfigFactory.META_MAP);
  }

  @Override
  public Future<Void> write(StoreBatch batch) {
    Map<String, String> encoded = new HashMap<>(batch.puts().size() * 2);
    for (TaskRecord record : batch.puts()) {
      encoded.put(record.id(), StoreCodec.encode(record, batch.epoch()));
    }
    var context = vertx.getOrCreateContext();
    for (String id : batch.removes()) {
      records.removeAsync(id).exceptionally(err -> {
        LOG.debug("could not forget task " + id + ": " + err.getMessage());
        return null;
      });
    }
    if (encoded.isEmpty()) {
      return Future.succeededFuture();
    }
    return Future.fromCompletionStage(meta.getAsync(HazelcastClusterView.EPOCH_KEY), context)
      .compose(current -> {
        if (current != null && current > batch.epoch()) {
          return Future.failedFuture(new FencedException(batch.epoch(), current));
        }
        return Future.fromCompletionStage(records.putAllAsync(encoded), context);
      });
  }

  /** Reads every record; blocking Hazelcast calls, so on a worker thread, once per takeover. */
  @Override
  public Future<StoredTasks> load() {
    return vertx.executeBlocking(() -> {
      List<TaskRecord> all = new ArrayList<>();
      List<String> undecodable = new ArrayList<>();
      long highest = 0;
      for (Map.Entry<String, String> entry : records.entrySet()) {
        try {
          StoreCodec.Decoded decoded = StoreCodec.decode(entry.getValue());
          all.add(decoded.record());
          highest = Math.max(highest, decoded.epoch());
        } catch (RuntimeException e) {
          undecodable.add(entry.getKey());
        }
      }
      return new StoredTasks(all, undecodable, highest);
    });
  }
}
