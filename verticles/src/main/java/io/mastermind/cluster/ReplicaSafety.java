package io.mastermind.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Waits until Hazelcast's replicas are safe ({@code isClusterSafe}: no migration, every backup in
 * sync). The check asks every member, so it is polled on a worker thread, never an event loop. Used by
 * a takeover before it reads the store, and by store writes in the seconds after a member left.
 */
final class ReplicaSafety {

  private static final long POLL_MS = 20;

  private ReplicaSafety() {
  }

  /**
   * Completes once the replicas are safe and it is at least {@code notBefore}, or at {@code deadline}
   * (or {@code notBefore}, if later) whatever their state. Never fails: a member shutting down ends
   * the wait and the caller's next Hazelcast call fails on its own.
   */
  static Future<Void> await(Vertx vertx, HazelcastInstance hazelcast, long notBefore, long deadline) {
    return vertx.executeBlocking(() -> {
      while (System.currentTimeMillis() < Math.max(deadline, notBefore)) {
        try {
          if (System.currentTimeMillis() >= notBefore && hazelcast.getPartitionService().isClusterSafe()) {
            return null;
          }
        } catch (RuntimeException e) {
          return null;
        }
        Thread.sleep(POLL_MS); // a worker thread polling Hazelcast
      }
      return null;
    }, false);
  }
}
