package io.mastermind.protocol;

/**
 * Every event-bus address the system uses. Nothing else in the code base spells an address.
 */
public final class Addresses {

  /** Published lifecycle events (SPEC section 7). */
  public static final String EVENTS = "mastermind.events";

  /** Request-reply: submit a task; body {@code {"task": {...}}}, reply a status record. */
  public static final String COORDINATOR_SUBMIT = "mastermind.coordinator.submit";
  /** Request-reply: {@code {"id", "waitMs"}} answers the record once terminal or when waitMs has passed. */
  public static final String COORDINATOR_AWAIT = "mastermind.coordinator.await";
  /** Request-reply: {@code {"id"}} answers a status record. */
  public static final String COORDINATOR_GET = "mastermind.coordinator.get";
  /** Request-reply: {@code {"status"?, "type"?, "limit"?, "after"?}} answers {@code {"tasks": [...], "count", "next"?}}. */
  public static final String COORDINATOR_LIST = "mastermind.coordinator.list";
  /** Request-reply: {@code {"id"}} cancels, answers the record. */
  public static final String COORDINATOR_CANCEL = "mastermind.coordinator.cancel";
  /** Request-reply, answered by the leader's health verticle: {@code {"nodes": [...]}}, or one node with {@code {"id"}}. */
  public static final String HEALTH_NODES = "mastermind.health.nodes";
  /** Request-reply, answered by the leader's health verticle: {@code {"id"}} starts draining a node; answers the node. */
  public static final String HEALTH_DRAIN = "mastermind.health.drain";
  /** Request-reply: answers the cluster summary of {@code GET /api/v1/cluster}. */
  public static final String COORDINATOR_CLUSTER = "mastermind.coordinator.cluster";
  /** Control-plane envelopes from workers about tasks: {@code result_update} batches ({@link ResultBatch}). */
  public static final String COORDINATOR_INBOX = "mastermind.coordinator.inbox";
  /**
   * Control-plane envelopes from workers about themselves, taken by the leader's health verticle:
   * {@code node_join} ({@link JoinRequest}, reply {@link JoinReply}), {@code resource_update} (reply
   * {@code {"known","epoch"}}) and {@code node_leave}.
   */
  public static final String HEALTH_INBOX = "mastermind.health.inbox";

  // ---- inside the leading JVM only: local consumers, io.mastermind.controlplane messages ----------

  /** Request: a PlacementPass; reply a PlacementResult. */
  public static final String LEADER_BALANCER = "mastermind.leader.balancer";
  /** ReserveRequest (request, reply ReserveResult); Release, Claim, NodeUp, NodeDown, NodeEligible, NodeMetrics, ViewsWanted. */
  public static final String LEADER_RESOURCES = "mastermind.leader.resources";
  /** Published by the resource verticle: NodeViews, to the load balancer and health verticles. */
  public static final String LEADER_NODE_VIEWS = "mastermind.leader.resources.views";
  /** NodeJoined (request, reply JoinClaims); NodeLost, RevokeUnstarted, CapacityAvailable. */
  public static final String LEADER_COORDINATOR = "mastermind.leader.coordinator";
  /** MemberLost, EpochChanged, to the health verticle. */
  public static final String LEADER_HEALTH = "mastermind.leader.health";
  /** Request: node counts by state, for {@code GET /api/v1/cluster}. */
  public static final String LEADER_HEALTH_COUNTS = "mastermind.leader.health.counts";

  /** Published by a coordinator when it starts leading: {@code {"leader","epoch"}}; workers rejoin it. */
  public static final String COORDINATOR_LEADER = "mastermind.coordinator.leader";

  /** Request-reply on the node that receives it: admit a node described by a NodeConfig (addNode). */
  public static final String NODE_ADMIN_ADD = "mastermind.node.admin.add";
  /** Published: ask the worker with this id to leave (it undeploys once drained). */
  public static final String NODE_ADMIN_LEAVE = "mastermind.node.admin.leave";
  /** Published to every node; request-reply locally: change the log level. */
  public static final String LOG_LEVEL = "mastermind.admin.log-level";

  /**
   * Request-reply, the one inbound address of the SockJS bridge (SPEC section 7): body a task, reply
   * its status record, or a failure carrying an {@link ErrorCode}.
   */
  public static final String GATEWAY_SUBMIT = "mastermind.gateway.submit";
  /**
   * Request-reply, the Central Nexus bridge (SPEC section 8): body a NexusTask, reply a NexusResponse
   * once the task ended, or a failure carrying an {@link ErrorCode} when the NexusTask is refused.
   */
  public static final String NEXUS_TASKS = "mastermind.nexus.tasks";

  private Addresses() {
  }

  /**
   * The inbox of one worker node: {@code task_assignment} batches, {@code task_cancel}, {@code task_revoke}
   * and {@code health_check} envelopes.
   */
  public static String nodeInbox(String nodeId) {
    return "mastermind.node." + nodeId + ".inbox";
  }
}
