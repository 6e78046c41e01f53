package io.mastermind.coordinator;

import io.mastermind.cluster.ClusterView;
import io.mastermind.store.StoredTasks;
import io.mastermind.store.TaskStore;
import io.vertx.core.Future;

/**
 * A takeover's read of the store, fenced: the epoch is raised <em>before</em> the store is read, so a
 * deposed leader's flush that still reads its own epoch after it was stored (the store's fencing read)
 * landed before the raise and is in what this read returns; then the epoch is raised again above every
 * epoch the store holds, should the cluster's counter have been lost.
 */
record FencedLoad(long epoch, StoredTasks stored) {

  static Future<FencedLoad> read(ClusterView cluster, TaskStore store) {
    return cluster.nextEpoch(1).compose(raised -> store.load().compose(stored ->
      (stored.highestEpoch() < raised ? Future.succeededFuture(raised) : cluster.nextEpoch(stored.highestEpoch() + 1))
        .map(epoch -> new FencedLoad(epoch, stored))));
  }
}
