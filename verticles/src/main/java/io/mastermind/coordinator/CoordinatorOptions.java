package io.mastermind.coordinator;

import io.mastermind.balancer.LoadBalancer;
import io.mastermind.protocol.TaskSpec;
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
  /** What one queued task is budgeted to cost on the leader's heap (record, spec, queue entry), in bytes. */
  public static final long QUEUED_TASK_BYTES = 1024;
  /** The share of the heap queued tasks may take by default: a quarter. */
  public static final int QUEUE_HEAP_DIVISOR = 4;
  /** The default bound never goes below this, however small the heap ... */
  public static final int MIN_DEFAULT_MAX_QUEUED_TASKS = 10_000;
  /** ... nor above this, however large. */
  public static final int MAX_DEFAULT_MAX_QUEUED_TASKS = 5_000_000;
  /**
   * Tasks waiting to be placed before a submission is refused with {@code QUEUE_FULL} (SPEC section 10,
   * Admission): sized to this JVM's heap by {@link #defaultMaxQueuedTasks(long)}.
   */
  public static final int DEFAULT_MAX_QUEUED_TASKS = defaultMaxQueuedTasks(Runtime.getRuntime().maxMemory());

  /** A lost node re-queues its tasks this many times at most; then they fail with NODE_LOST. */
  public static final int DEFAULT_MAX_NODE_LOSSES = 3;
  /** Finished records kept in memory weigh at most this much (results included), oldest forgotten first. */
  public static final long DEFAULT_RETAINED_BYTES = 256L * 1024 * 1024;
  /** Finished records are kept at most this long. */
  public static final long DEFAULT_RETAINED_FOR_MS = 24L * 3600 * 1000;
  /** {@code events.maxResultBytes}: above this a task:completed event says resultTruncated instead of the result. */
  public static final int DEFAULT_MAX_EVENT_RESULT_BYTES = 64 * 1024;
  /** Records written to the store in one flush at most. */
  public static final int DEFAULT_STORE_BATCH = 1024;
  /** A node may prefetch (up to what it advertised) as many tasks as it finished in this many ms lately. */
  public static final long DEFAULT_PREFETCH_WINDOW_MS = 20;
  /**
   * {@code scheduler.maxTimeoutMs}: the longest a task may run, 24 h. A task without a {@code timeout}
   * gets this one (its status record shows it); a task asking for more is refused with 400
   * {@code INVALID_FIELD}, so nobody's deadline is shortened silently.
   */
  public static final long DEFAULT_MAX_TIMEOUT_MS = 24L * 3600 * 1000;

  private String clusterName = DEFAULT_CLUSTER_NAME;
  private boolean clusterNameShown = true;
  private long memberAuthTimeoutMs = io.mastermind.cluster.ClusterOptions.DEFAULT_AUTH_TIMEOUT_MS;
  private int maxNodeLosses = DEFAULT_MAX_NODE_LOSSES;
  private long prefetchWindowMs = DEFAULT_PREFETCH_WINDOW_MS;
  private long retainedBytes = DEFAULT_RETAINED_BYTES;
  private long retainedForMs = DEFAULT_RETAINED_FOR_MS;
  private int storeBatch = DEFAULT_STORE_BATCH;
  private int maxEventResultBytes = DEFAULT_MAX_EVENT_RESULT_BYTES;
  private String strategy = LoadBalancer.DEFAULT_STRATEGY;
  private long agingIntervalMs = TaskQueue.DEFAULT_AGING_INTERVAL_MS;
  private long retryBaseMs = RetryBackoff.DEFAULT_BASE_MS;
  private long retryMaxMs = RetryBackoff.DEFAULT_MAX_MS;
  private int schedulingBatch = DEFAULT_SCHEDULING_BATCH;
  private int retainedTasks = DEFAULT_RETAINED_TASKS;
  private long assignmentTimeoutMs = DEFAULT_ASSIGNMENT_TIMEOUT_MS;
  private int maxQueuedTasks = DEFAULT_MAX_QUEUED_TASKS;
  private JsonObject clusterConfig = new JsonObject();
  /** After a takeover, how long tasks placed by the old leader wait for their node to rejoin. */
  public static final long DEFAULT_REJOIN_GRACE_MS = 3_000;
  private long rejoinGraceMs = DEFAULT_REJOIN_GRACE_MS;
  private long maxTimeoutMs = DEFAULT_MAX_TIMEOUT_MS;

  public CoordinatorOptions() {
  }

  /**
   * From the {@code scheduler} section; unknown keys are ignored. {@code maxQueuedTasks} absent or null
   * keeps the heap-sized default.
   */
  public CoordinatorOptions(JsonObject json) {
    setStrategy(json.getString("strategy", strategy));
    setAgingIntervalMs(json.getLong("agingIntervalMs", agingIntervalMs));
    setRetryBaseMs(json.getLong("retryBaseMs", retryBaseMs));
    setRetryMaxMs(json.getLong("retryMaxMs", retryMaxMs));
    setSchedulingBatch(json.getInteger("schedulingBatch", schedulingBatch));
    setRetainedTasks(json.getInteger("retainedTasks", retainedTasks));
    setAssignmentTimeoutMs(json.getLong("assignmentTimeoutMs", assignmentTimeoutMs));
    setRejoinGraceMs(json.getLong("rejoinGraceMs", rejoinGraceMs));
    Integer maxQueued = json.getInteger("maxQueuedTasks"); // null in the shipped config: the heap-sized default
    setMaxQueuedTasks(maxQueued == null ? maxQueuedTasks : maxQueued);
    setMaxNodeLosses(json.getInteger("maxNodeLosses", maxNodeLosses));
    setRetainedBytes(json.getLong("retainedBytes", retainedBytes));
    setRetainedForMs(json.getLong("retainedForMs", retainedForMs));
    setStoreBatch(json.getInteger("storeBatch", storeBatch));
    setPrefetchWindowMs(json.getLong("prefetchWindowMs", prefetchWindowMs));
    setMaxTimeoutMs(json.getLong("maxTimeoutMs", maxTimeoutMs));
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
      .put("storeBatch", storeBatch)
      .put("prefetchWindowMs", prefetchWindowMs)
      .put("maxTimeoutMs", maxTimeoutMs);
  }

  /**
   * The default bound for a heap of {@code maxHeapBytes}: a quarter of the heap at
   * {@value #QUEUED_TASK_BYTES} bytes a task, clamped to [{@value #MIN_DEFAULT_MAX_QUEUED_TASKS},
   * {@value #MAX_DEFAULT_MAX_QUEUED_TASKS}].
   *
   * <p>Implementation notes: the leader holds every queued task in memory (its record, its spec and a
   * queue entry; about 1 KB for a typical payload), so an unbounded queue turns a burst of submissions
   * into an OutOfMemoryError that takes every task with it. A quarter leaves the rest of the heap to
   * running and retained tasks, buffers and the event bus. The floor keeps tiny heaps useful; the
   * ceiling keeps a huge heap's queue short enough to be scheduled and recovered in seconds.
   *
   * <table>
   *   <caption>Defaults for some heaps</caption>
   *   <tr><th>-Xmx</th><th>maxQueuedTasks</th></tr>
   *   <tr><td>39 MB or less</td><td>10 000 (the floor)</td></tr>
   *   <tr><td>256 MB</td><td>65 536</td></tr>
   *   <tr><td>1 GB</td><td>262 144</td></tr>
   *   <tr><td>4 GB</td><td>1 048 576</td></tr>
   *   <tr><td>19.1 GB or more</td><td>5 000 000 (the ceiling)</td></tr>
   * </table>
   */
  public static int defaultMaxQueuedTasks(long maxHeapBytes) {
    long byHeap = maxHeapBytes / (QUEUE_HEAP_DIVISOR * QUEUED_TASK_BYTES);
    return (int) Math.max(MIN_DEFAULT_MAX_QUEUED_TASKS, Math.min(MAX_DEFAULT_MAX_QUEUED_TASKS, byHeap));
  }

  /** Tasks waiting to be placed (not those scheduled or running) past which a submission is refused. */
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

  public long getPrefetchWindowMs() {
    return prefetchWindowMs;
  }

  /** 0 lets every node prefetch exactly its {@code worker.prefetch}, whatever its rate. */
  public CoordinatorOptions setPrefetchWindowMs(long prefetchWindowMs) {
    require(prefetchWindowMs >= 0, "prefetchWindowMs must be >= 0");
    this.prefetchWindowMs = prefetchWindowMs;
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

  /** From the {@code events} section ({@code events.maxResultBytes}), not {@code scheduler}. */
  public int getMaxEventResultBytes() {
    return maxEventResultBytes;
  }

  public CoordinatorOptions setMaxEventResultBytes(int maxEventResultBytes) {
    require(maxEventResultBytes >= 0, "events.maxResultBytes must be >= 0");
    this.maxEventResultBytes = maxEventResultBytes;
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

  /** The longest a task may run; the timeout of a task that names none. See {@link #DEFAULT_MAX_TIMEOUT_MS}. */
  public long getMaxTimeoutMs() {
    return maxTimeoutMs;
  }

  public CoordinatorOptions setMaxTimeoutMs(long maxTimeoutMs) {
    require(maxTimeoutMs > 0 && maxTimeoutMs <= TaskSpec.MAX_TIMEOUT_MS,
      "maxTimeoutMs must be between 1 and " + TaskSpec.MAX_TIMEOUT_MS + " (7 days)");
    this.maxTimeoutMs = maxTimeoutMs;
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

  /**
   * Whether {@code GET /api/v1/cluster} shows the cluster name. It is what a Hazelcast member needs to
   * join (open-source Hazelcast has no member authentication), so a clustered node whose API takes
   * calls without a token hides it; with tokens every caller is authenticated.
   */
  public boolean isClusterNameShown() {
    return clusterNameShown;
  }

  public CoordinatorOptions setClusterNameShown(boolean clusterNameShown) {
    this.clusterNameShown = clusterNameShown;
    return this;
  }

  /** {@code cluster.authTimeoutMs}: a member whose signed hello has not reached the leader by then is listed rejected. */
  public long getMemberAuthTimeoutMs() {
    return memberAuthTimeoutMs;
  }

  public CoordinatorOptions setMemberAuthTimeoutMs(long memberAuthTimeoutMs) {
    require(memberAuthTimeoutMs > 0, "cluster.authTimeoutMs must be > 0");
    this.memberAuthTimeoutMs = memberAuthTimeoutMs;
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
