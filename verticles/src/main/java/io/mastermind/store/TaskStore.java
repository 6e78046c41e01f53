package io.mastermind.store;

import io.vertx.core.Future;

/**
 * Task records that outlive the leading coordinator. It writes whole batches and reads everything
 * back only when a coordinator takes over. In memory when standalone; a replicated Hazelcast map when
 * clustered; a disk-backed store plugs in here without touching the coordinator.
 *
 * <p>Implementations must make a batch durable before its future succeeds (for Hazelcast: on the
 * primary and its synchronous backup), and refuse a batch whose epoch is older than the newest leader
 * epoch they know, with {@link FencedException}: a deposed leader must not overwrite its successor.
 */
public interface TaskStore {

  /** Applies every remove of the batch, then stores every put. */
  Future<Void> write(StoreBatch batch);

  /** Everything stored, for a takeover. Records that fail to decode are reported, never fatal. */
  Future<StoredTasks> load();
}
