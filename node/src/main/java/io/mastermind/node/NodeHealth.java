package io.mastermind.node;

import com.hazelcast.core.HazelcastInstance;
import io.mastermind.coordinator.CoordinatorClient;
import io.mastermind.gateway.ManagementRoutes;
import io.mastermind.worker.WorkerVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;

import java.util.function.Supplier;

/**
 * One node's health checks, for the roles it has; the gateway and the management port answer with the
 * same checks. Readiness means "this node can do its job":
 * <ul>
 *   <li>{@code ready/coordinator} (gateway role): a leader answers; worker counts are data only;</li>
 *   <li>{@code ready/worker} (worker role): this node's worker is joined to a leader;</li>
 *   <li>{@code ready/cluster} (clustered): this process is a running member of the cluster, which is
 *       all a coordinator-only standby needs.</li>
 * </ul>
 * Hazelcast's cluster-safe state is {@code cluster/safe}, in {@code /health} only: partition migrations
 * during a rolling restart must not take every node out of service. Every check reads local state or
 * asks the leader for its counts; none reads task records.
 */
final class NodeHealth {

  private NodeHealth() {
  }

  /**
   * @param hazelcast this process's member, or null standalone
   * @param worker    this node's worker verticle, or null while there is none
   */
  static HealthChecks create(Vertx vertx, NodeSettings settings, HazelcastInstance hazelcast,
                             Supplier<WorkerVerticle> worker) {
    HealthChecks checks = ManagementRoutes.liveChecks(vertx);
    if (settings.hasRole("gateway")) {
      ManagementRoutes.addGatewayReadiness(checks, new CoordinatorClient(vertx.eventBus(), ManagementRoutes.CHECK_TIMEOUT_MS));
    }
    if (settings.hasRole("worker")) {
      checks.register(ManagementRoutes.READY + "worker", promise -> promise.complete(workerStatus(worker.get())));
    }
    if (hazelcast != null) {
      checks.register(ManagementRoutes.READY + "cluster", promise -> promise.complete(memberStatus(hazelcast)));
      // isClusterSafe asks the other members: off the event loop
      checks.register("cluster/safe", ManagementRoutes.CHECK_TIMEOUT_MS, promise -> vertx
        .executeBlocking(() -> hazelcast.getPartitionService().isClusterSafe(), false)
        .onComplete(ar -> promise.complete(ar.succeeded() && ar.result() ? Status.OK()
          : ManagementRoutes.down(ar.failed() ? "cluster state unknown: " + ar.cause().getMessage()
            : "partitions are migrating or their backups are not in sync"))));
    }
    return checks;
  }

  private static Status workerStatus(WorkerVerticle worker) {
    if (worker == null) {
      return ManagementRoutes.down("no worker is running on this node");
    }
    WorkerVerticle.Membership membership = worker.membership();
    return membership.joined()
      ? Status.OK(new JsonObject().put("leader", membership.leader()).put("epoch", membership.epoch()))
      : ManagementRoutes.down(membership.reason());
  }

  private static Status memberStatus(HazelcastInstance hazelcast) {
    try {
      if (!hazelcast.getLifecycleService().isRunning()) {
        return ManagementRoutes.down("this node's cluster member is not running");
      }
      var cluster = hazelcast.getCluster();
      return cluster.getMembers().contains(cluster.getLocalMember())
        ? Status.OK(new JsonObject().put("members", cluster.getMembers().size()))
        : ManagementRoutes.down("this node is not a member of the cluster");
    } catch (RuntimeException e) { // HazelcastInstanceNotActiveException while shutting down
      return ManagementRoutes.down("this node's cluster member is not running: " + e.getMessage());
    }
  }
}
