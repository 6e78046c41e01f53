package io.mastermind.cluster;

import io.vertx.core.Future;

/**
 * What the coordinator needs to know of the cluster: whether this member leads, which node left the
 * membership (the hard failure signal), and a fresh leader epoch when it takes over. Standalone, the
 * one coordinator always leads with epoch 1.
 */
public interface ClusterView {

  /** Callbacks arrive on the coordinator's context. */
  interface Listener {

    /** This member became (true) or stopped being (false) the leading coordinator. */
    void leadership(boolean leading);

    /** A member of the cluster disappeared; {@code nodeId} is the node id it ran. */
    void nodeLost(String nodeId);

    /** A member joined or left (after {@link #nodeLost} for one that left); {@link #members()} has the list. */
    default void membersChanged() {
    }
  }

  /**
   * One member as the cluster membership shows it, before it proved anything: {@code memberId} is the
   * membership's own id for it, {@code nodeId} and {@code roles} what it announces (null and empty
   * when it announces nothing), {@code host} and {@code port} where its membership connection is.
   */
  record MemberInfo(String memberId, String nodeId, java.util.Set<String> roles, String host, int port) {
  }

  /** The cluster's members now, oldest first (empty standalone: there is no membership to audit). */
  default java.util.List<MemberInfo> members() {
    return java.util.List.of();
  }

  Future<Void> start(Listener listener);

  Future<Void> stop();

  /**
   * The next leader epoch: larger than every epoch handed out before in this cluster and at least
   * {@code atLeast} (the highest epoch seen in the store), so it never goes backwards even when the
   * counter itself was lost with the members that held it.
   */
  Future<Long> nextEpoch(long atLeast);

  /** Raises the cluster's epoch counter to at least {@code epoch} (a worker reported a newer one). */
  Future<Void> raiseEpoch(long epoch);

  /** True when the node id still belongs to a live cluster member (always true standalone). */
  boolean isMember(String nodeId);

  /**
   * Completes once the store's replicas are in a safe state to read everything back (Hazelcast: no
   * partition migrating, every backup in sync), or after {@code timeoutMs} at most. A takeover waits
   * for it: a member that died a moment ago may still be having its partitions promoted.
   */
  default Future<Void> awaitSafe(long timeoutMs) {
    return Future.succeededFuture();
  }

  /** True while this member should lead (re-checked after a failed takeover). */
  boolean shouldLead();

  /** Node ids of the live members with the worker role (empty standalone: nobody to wait for). */
  java.util.Set<String> workerMembers();
}
