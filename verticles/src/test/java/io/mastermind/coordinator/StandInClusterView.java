package io.mastermind.coordinator;

import io.mastermind.cluster.ClusterView;
import io.mastermind.cluster.StandaloneClusterView;
import io.vertx.core.Future;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Leads at once like a standalone node, but with the worker members a takeover waits for, and a record
 * of the epochs asked for ({@code "nextEpoch"} in {@link #calls}), so a test can see what came first.
 */
final class StandInClusterView implements ClusterView {

  final List<String> calls = new CopyOnWriteArrayList<>();
  private final StandaloneClusterView standalone = new StandaloneClusterView();
  private final Set<String> workers;

  StandInClusterView(Set<String> workers) {
    this.workers = workers;
  }

  @Override
  public Future<Void> start(Listener listener) {
    return standalone.start(listener);
  }

  @Override
  public Future<Void> stop() {
    return standalone.stop();
  }

  @Override
  public Future<Long> nextEpoch(long atLeast) {
    calls.add("nextEpoch");
    return standalone.nextEpoch(atLeast);
  }

  @Override
  public Future<Void> raiseEpoch(long epoch) {
    return standalone.raiseEpoch(epoch);
  }

  @Override
  public boolean isMember(String nodeId) {
    return true;
  }

  @Override
  public boolean shouldLead() {
    return true;
  }

  @Override
  public Set<String> workerMembers() {
    return workers;
  }
}
