package io.mastermind.coordinator;

import io.mastermind.balancer.LoadBalancer;
import io.mastermind.scheduler.RetryBackoff;
import io.mastermind.scheduler.TaskQueue;
import io.vertx.core.json.JsonObject;

/**
 * Settings of the coordinator, read from the {@code scheduler} section of the node config.
 * Every setter validates; {@link #toJson()} is what {@code GET /api/v1/cluster} shows.
 */
public final class CoordinatorOptions {

  public static final String DEFAULT_CLUSTER_NAME = "mastermind";
  /** Tasks looked at per scheduling pass; the rest wait for the next pass. */
  public static final int DEFAULT_SCHEDULING_BATCH = 1024;
  /** Finished tasks kept for {@code GET /api/v1/tasks}; the oldest finished are forgotten first. */
  public static final int DEFAULT_RETAINED_TASKS = 100_000;
  /** How long a worker has to acknowledge an assignment before the task is placed again. */
  public static final long DEFAULT_ASSIGNMENT_TIMEOUT_MS = 5_000;

  /** A lost node re-queues its tasks this many times at most; then they fail with NODE_LOST. */
  public static final int DEFAULT_MAX_NODE_LOSSES = 3;
  /** Finished records kept in memory weigh at most this much (results included), oldest forgotten first. */
  public static final long DEFAULT_RETAINED_BYTES = 256L * 1024 * 1024;
  /** Finished records are kept at most this long. */
  public static final long DEFAULT_RETAINED_FOR_MS = 24L * 3600 * 1000;
  /** Records written to the store in one flush at most. */
  public static final int DEFAULT_STORE_BATCH = 1024;

  /**
   * Queued tasks allowed by default: a quarter of the heap at ~1 KB a queued task, clamped to
   * [10,000, 5,000,000], so the default never lets the queue run the JVM out of memory.
   */
  public static int defaultMaxQueuedTasks() {
    long byHeap = Runtime.getRuntime().maxMemory() / (4 * 1024);
    return (int) Math.max(10_000, Math.min(5_000_000, byHeap));
  }

  private String clusterName = DEFAULT_CLUSTER_NAME;
  private int maxQueuedTasks = defaultMaxQueuedTasks();
  private int maxNodeLosses = DEFAULT_MAX_NODE_LOSSES;
  private long retainedBytes = DEFAULT_RETAINED_BYTES;
  private long retainedForMs = DEFAULT_RETAINED_FOR_MS;
  private int storeBatch = DEFAULT_STORE_BATCH;
  private String strategy = LoadBalancer.DEFAULT_STRATEGY;
  private long agingIntervalMs = TaskQueue.DEFAULT_AGING_INTERVAL_MS;
  private long retryBaseMs = RetryBackoff.DEFAULT_BASE_MS;
  private long retryMaxMs = RetryBackoff.DEFAULT_MAX_MS;
  private int schedulingBatch = DEFAULT_SCHEDULING_BATCH;
  private int retainedTasks = DEFAULT_RETAINED_TASKS;
  private long assignmentTimeoutMs = DEFAULT_ASSIGNMENT_TIMEOUT_MS;
  private JsonObject clusterConfig = new JsonObject();
  /** After a takeover, how long tasks placed by the old leader wait for their node to rejoin. */
  public static final long DEFAULT_REJOIN_GRACE_MS = 3_000;
  private long rejoinGraceMs = DEFAULT_REJOIN_GRACE_MS;

  public CoordinatorOptions() {
  }

  /** From the {@code scheduler} section; unknown keys are ignored. */
  public CoordinatorOptions(JsonObject json) {
    setStrategy(json.getString("strategy", strategy));
    setAgingIntervalMs(json.getLong("agingIntervalMs", agingIntervalMs));
    setRetryBaseMs(json.getLong("retryBaseMs", retryBaseMs));
    setRetryMaxMs(json.getLong("retryMaxMs", retryMaxMs));
    setSchedulingBatch(json.getInteger("schedulingBatch", schedulingBatch));
    setRetainedTasks(json.getInteger("retainedTasks", retainedTasks));
    setAssignmentTimeoutMs(json.getLong("assignmentTimeoutMs", assignmentTimeoutMs));
    setRejoinGraceMs(json.getLong("rejoinGraceMs", rejoinGraceMs));
    setMaxQueuedTasks(json.getInteger("maxQueuedTasks", maxQueuedTasks));
    setMaxNodeLosses(json.getInteger("maxNodeLosses", maxNodeLosses));
    setRetainedBytes(json.getLong("retainedBytes", retainedBytes));
    setRetainedForMs(json.getLong("retainedForMs", retainedForMs));
    setStoreBatch(json.getInteger("storeBatch", storeBatch));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("strategy", strategy)
      .put("agingIntervalMs", agingIntervalMs)
      .put("retryBaseMs", retryBaseMs)
      .put("retryMaxMs", retryMaxMs)
      .put("schedulingBatch", schedulingBatch)
      .put("retainedTasks", retainedTasks)
      .put("assignmentTimeoutMs", assignmentTimeoutMs)
      .put("rejoinGraceMs", rejoinGraceMs)
      .put("maxQueuedTasks", maxQueuedTasks)
      .put("maxNodeLosses", maxNodeLosses)
      .put("retainedBytes", retainedBytes)
      .put("retainedForMs", retainedForMs)
      .put("storeBatch", storeBatch);
  }

  public int getMaxQueuedTasks() {
    return maxQueuedTasks;
  }

  public CoordinatorOptions setMaxQueuedTasks(int maxQueuedTasks) {
    require(maxQueuedTasks > 0, "maxQueuedTasks must be > 0");
    this.maxQueuedTasks = maxQueuedTasks;
    return this;
  }

  public int getMaxNodeLosses() {
    return maxNodeLosses;
  }

  public CoordinatorOptions setMaxNodeLosses(int maxNodeLosses) {
    require(maxNodeLosses >= 0, "maxNodeLosses must be >= 0");
    this.maxNodeLosses = maxNodeLosses;
    return this;
  }

  public long getRetainedBytes() {
    return retainedBytes;
  }

  public CoordinatorOptions setRetainedBytes(long retainedBytes) {
    require(retainedBytes > 0, "retainedBytes must be > 0");
    this.retainedBytes = retainedBytes;
    return this;
  }

  public long getRetainedForMs() {
    return retainedForMs;
  }

  public CoordinatorOptions setRetainedForMs(long retainedForMs) {
    require(retainedForMs > 0, "retainedForMs must be > 0");
    this.retainedForMs = retainedForMs;
    return this;
  }

  public int getStoreBatch() {
    return storeBatch;
  }

  public CoordinatorOptions setStoreBatch(int storeBatch) {
    require(storeBatch > 0, "storeBatch must be > 0");
    this.storeBatch = storeBatch;
    return this;
  }

  public long getRejoinGraceMs() {
    return rejoinGraceMs;
  }

  public CoordinatorOptions setRejoinGraceMs(long rejoinGraceMs) {
    require(rejoinGraceMs >= 0, "rejoinGraceMs must be >= 0");
    this.rejoinGraceMs = rejoinGraceMs;
    return this;
  }

  /** {@code healthCheck.interval}: the heartbeat period the failure detector expects. */
  public long getHealthIntervalMs() {
    return healthCheck().getLong("interval", 1000L);
  }

  /** {@code healthCheck.timeout}: silence after which a node is failed. */
  public long getHealthTimeoutMs() {
    return healthCheck().getLong("timeout", 3000L);
  }

  /** {@code healthCheck.retries}: probes sent to a suspect node within the timeout. */
  public int getHealthRetries() {
    return healthCheck().getInteger("retries", 3);
  }

  private JsonObject healthCheck() {
    return clusterConfig.getJsonObject("healthCheck", new JsonObject());
  }

  public String getClusterName() {
    return clusterName;
  }

  public CoordinatorOptions setClusterName(String clusterName) {
    this.clusterName = clusterName;
    return this;
  }

  public String getStrategy() {
    return strategy;
  }

  public CoordinatorOptions setStrategy(String strategy) {
    LoadBalancer.strategy(strategy); // throws for an unknown name
    this.strategy = strategy;
    return this;
  }

  public long getAgingIntervalMs() {
    return agingIntervalMs;
  }

  public CoordinatorOptions setAgingIntervalMs(long agingIntervalMs) {
    require(agingIntervalMs > 0, "agingIntervalMs must be > 0");
    this.agingIntervalMs = agingIntervalMs;
    return this;
  }

  public long getRetryBaseMs() {
    return retryBaseMs;
  }

  public CoordinatorOptions setRetryBaseMs(long retryBaseMs) {
    require(retryBaseMs >= 0, "retryBaseMs must be >= 0");
    this.retryBaseMs = retryBaseMs;
    return this;
  }

  public long getRetryMaxMs() {
    return retryMaxMs;
  }

  public CoordinatorOptions setRetryMaxMs(long retryMaxMs) {
    require(retryMaxMs >= 0, "retryMaxMs must be >= 0");
    this.retryMaxMs = retryMaxMs;
    return this;
  }

  public RetryBackoff retryBackoff() {
    return new RetryBackoff(retryBaseMs, Math.max(retryBaseMs, retryMaxMs));
  }

  public int getSchedulingBatch() {
    return schedulingBatch;
  }

  public CoordinatorOptions setSchedulingBatch(int schedulingBatch) {
    require(schedulingBatch > 0, "schedulingBatch must be > 0");
    this.schedulingBatch = schedulingBatch;
    return this;
  }

  public int getRetainedTasks() {
    return retainedTasks;
  }

  public CoordinatorOptions setRetainedTasks(int retainedTasks) {
    require(retainedTasks > 0, "retainedTasks must be > 0");
    this.retainedTasks = retainedTasks;
    return this;
  }

  public long getAssignmentTimeoutMs() {
    return assignmentTimeoutMs;
  }

  public CoordinatorOptions setAssignmentTimeoutMs(long assignmentTimeoutMs) {
    require(assignmentTimeoutMs > 0, "assignmentTimeoutMs must be > 0");
    this.assignmentTimeoutMs = assignmentTimeoutMs;
    return this;
  }

  /** The {@code nodes} and {@code healthCheck} sections, shown as-is by {@code GET /api/v1/cluster}. */
  public JsonObject getClusterConfig() {
    return clusterConfig;
  }

  public CoordinatorOptions setClusterConfig(JsonObject clusterConfig) {
    this.clusterConfig = clusterConfig == null ? new JsonObject() : clusterConfig;
    return this;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
