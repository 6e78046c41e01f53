package io.mastermind.cluster;

import io.vertx.core.Future;

/** A cluster of one: the local coordinator leads from the start, with epoch 1. */
public final class StandaloneClusterView implements ClusterView {

  @Override
  public Future<Void> start(Listener listener) {
    listener.leadership(true);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Long> nextEpoch() {
    return Future.succeededFuture(1L);
  }

  @Override
  public boolean isMember(String nodeId) {
    return true;
  }
}
