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
  public Future<Long> nextEpoch(long atLeast) {
    return Future.succeededFuture(Math.max(1L, atLeast));
  }

  @Override
  public Future<Void> raiseEpoch(long epoch) {
    return Future.succeededFuture();
  }

  @Override
  public boolean shouldLead() {
    return true;
  }

  @Override
  public java.util.Set<String> workerMembers() {
    return java.util.Set.of();
  }

  @Override
  public boolean isMember(String nodeId) {
    return true;
  }
}
