package io.mastermind.controlplane;

import io.mastermind.balancer.Blocked;
import io.mastermind.balancer.PlacementRequest;
import io.mastermind.protocol.HeldTask;
import io.mastermind.protocol.NodeConfig;
import io.mastermind.resources.ReservationBook;
import io.mastermind.resources.Resources;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/** The messages between the leader's verticles; see the package documentation for who sends which. */
public final class ControlMessages {

  private ControlMessages() {
  }

  // ---- coordinator <-> load balancer ----------------------------------------------------------

  /** One queued task offered to a scheduling pass. */
  public record Candidate(String taskId, int attempt, PlacementRequest request) {
  }

  /**
   * A scheduling pass: the highest-ranked queued tasks, in placement order, and the attempts that ended
   * since the last pass: their resources are freed first, so a slot a task just left is filled in the
   * same pass, with no extra hop.
   */
  public record PlacementPass(List<Candidate> candidates, List<Reservation> released) {
  }

  /** A task placed on a node: reserved there now, or prefetched (waits in the worker's queue). */
  public record Placed(String taskId, int attempt, String nodeId, boolean prefetched) {
  }

  /**
   * The answer to a pass: what was placed, why the rest was not, and how much room is left across
   * eligible nodes (free one-core slots plus prefetch room): 0 means "no pass until capacity frees".
   */
  public record PlacementResult(List<Placed> placed, Map<String, Blocked> blocked, int room) {
  }

  /** Capacity freed after the last pass said there was no room: the coordinator may run a pass. */
  public record CapacityAvailable(int room) {
  }


  // ---- load balancer / coordinator -> resource ------------------------------------------------

  /** One attempt to reserve (or prefetch) on one node. */
  public record Reservation(ReservationBook.Key key, String nodeId, Resources resources) {
  }

  /** Frees {@code released} first, then reserves each of {@code reservations} in order. */
  public record ReserveRequest(List<ReservationBook.Key> released, List<Reservation> reservations) {
  }

  /** One grant per reservation, in order. */
  public record ReserveResult(List<ReservationBook.Grant> grants) {
  }

  /** Attempts that ended (or were revoked, or never reached their node): their holds are freed. */
  public record Release(List<Reservation> freed) {
  }

  /** Attempts a rejoining node still runs, claimed back after a takeover: held whether they fit or not. */
  public record Claim(List<Reservation> reservations) {
  }

  // ---- health -> resource ---------------------------------------------------------------------

  public record NodeUp(NodeConfig config, int prefetch) {
  }

  public record NodeDown(String nodeId) {
  }

  /** Healthy nodes take new tasks; suspect, draining, failed and left ones do not. */
  public record NodeEligible(String nodeId, boolean eligible) {
  }

  /** A node's latest {@code resource_update} metrics. */
  public record NodeMetrics(String nodeId, JsonObject metrics, int runningTasks) {
  }

  // ---- resource -> load balancer, health (published) ------------------------------------------

  /** What the resource verticle knows of one node. */
  public record NodeView(NodeConfig config, boolean eligible, ReservationBook.Load load, JsonObject metrics) {

    public String nodeId() {
      return config.id();
    }
  }

  /** Changed node views ({@code full}: every node, after a {@link ViewsWanted}); {@code removed}: gone. */
  public record NodeViews(List<NodeView> views, List<String> removed, boolean full) {
  }

  /** Asks the resource verticle to publish every view (a verticle rebuilding its view). */
  public record ViewsWanted() {
  }

  // ---- health -> coordinator ------------------------------------------------------------------

  /**
   * A node (re)joined holding these tasks; {@code workerEpoch} is the highest epoch it has seen. Its
   * config tells the coordinator what can now be run, before the join is answered.
   */
  public record NodeJoined(NodeConfig config, List<HeldTask> held, long workerEpoch) {

    public String nodeId() {
      return config.id();
    }
  }

  /** The coordinator's answer: held tasks the node must drop, and the epoch to tell it. */
  public record JoinClaims(List<String> cancel, long epoch) {
  }

  /** A node is gone (failed or left): its tasks run again elsewhere. */
  public record NodeLost(String nodeId, String reason, boolean failed) {
  }

  /** Coordinator to health: the cluster membership lost this node (the hard failure signal). */
  public record MemberLost(String nodeId) {
  }

  /** Coordinator to health: the leader epoch changed (a worker had seen a newer one). */
  public record EpochChanged(long epoch) {
  }

  /** A node drains: tasks placed there and not started go back to the queue. */
  public record RevokeUnstarted(String nodeId) {
  }

  /**
   * Coordinator to health: the cluster's members now (on every membership change and at takeover), so
   * the health verticle can list a member that never proved the cluster secret as rejected.
   */
  public record Members(List<io.mastermind.cluster.ClusterView.MemberInfo> members) {
  }
}
