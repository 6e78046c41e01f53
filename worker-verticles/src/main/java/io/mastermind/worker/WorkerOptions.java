package io.mastermind.worker;

import io.vertx.core.json.JsonObject;

/**
 * Settings of a worker node: heartbeat, plugins folder, how often progress is reported, and how its
 * reports travel to the leader (start reports, result batching, outcome resends, result size bound,
 * prefetch credits). The JSON keys are the names of the fields; unknown keys are ignored.
 */
public final class WorkerOptions {

  /** How often a worker sends {@code resource_update} (the node config's {@code healthCheck.interval}). */
  public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000;
  public static final String DEFAULT_PLUGINS_DIR = "plugins";
  /** Progress reports of one task are sent at most this often; the last one always goes. */
  public static final long DEFAULT_PROGRESS_INTERVAL_MS = 100;
  /** Pause between attempts to announce this node to a coordinator that is not there yet. */
  public static final long DEFAULT_JOIN_RETRY_MS = 1_000;
  /** A task still running this long after it started is reported {@code running}; shorter ones send only their outcome. */
  public static final long DEFAULT_RUNNING_REPORT_DELAY_MS = 5;
  /** Reports wait this long after the first pending one, so the reports of that moment travel in one batch. */
  public static final long DEFAULT_RESULT_BATCH_DELAY_MS = 1;
  /** First pause before an unacknowledged outcome is sent again; it doubles per outcome up to {@link #MAX_OUTCOME_RESEND_MS}. */
  public static final long DEFAULT_OUTCOME_RESEND_MS = 1_000;
  /** The longest pause between two sends of one outcome (unless {@code outcomeResendMs} is longer still). */
  public static final long MAX_OUTCOME_RESEND_MS = 5_000;
  /** A result whose JSON encoding is larger fails the task with {@code RESULT_TOO_LARGE}. */
  public static final long DEFAULT_MAX_RESULT_BYTES = 1_048_576;
  /**
   * Tasks the leader may hand this worker beyond what its free resources start at once (they wait here):
   * the most it will take. The leader gives it 16 of them steadily and more only while it finishes tasks
   * fast enough to need them (scheduler.prefetchWindowMs).
   */
  public static final int DEFAULT_PREFETCH = 256;

  private long heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
  private String pluginsDir = DEFAULT_PLUGINS_DIR;
  private long progressIntervalMs = DEFAULT_PROGRESS_INTERVAL_MS;
  private long joinRetryMs = DEFAULT_JOIN_RETRY_MS;
  private long runningReportDelayMs = DEFAULT_RUNNING_REPORT_DELAY_MS;
  private long resultBatchDelayMs = DEFAULT_RESULT_BATCH_DELAY_MS;
  private long outcomeResendMs = DEFAULT_OUTCOME_RESEND_MS;
  private long maxResultBytes = DEFAULT_MAX_RESULT_BYTES;
  private int prefetch = DEFAULT_PREFETCH;

  public WorkerOptions() {
  }

  public WorkerOptions(JsonObject json) {
    setHeartbeatIntervalMs(json.getLong("heartbeatIntervalMs", heartbeatIntervalMs));
    setPluginsDir(json.getString("pluginsDir", pluginsDir));
    setProgressIntervalMs(json.getLong("progressIntervalMs", progressIntervalMs));
    setJoinRetryMs(json.getLong("joinRetryMs", joinRetryMs));
    setRunningReportDelayMs(json.getLong("runningReportDelayMs", runningReportDelayMs));
    setResultBatchDelayMs(json.getLong("resultBatchDelayMs", resultBatchDelayMs));
    setOutcomeResendMs(json.getLong("outcomeResendMs", outcomeResendMs));
    setMaxResultBytes(json.getLong("maxResultBytes", maxResultBytes));
    setPrefetch(json.getInteger("prefetch", prefetch));
  }

  public JsonObject toJson() {
    return new JsonObject().put("heartbeatIntervalMs", heartbeatIntervalMs).put("pluginsDir", pluginsDir)
      .put("progressIntervalMs", progressIntervalMs).put("joinRetryMs", joinRetryMs)
      .put("runningReportDelayMs", runningReportDelayMs).put("resultBatchDelayMs", resultBatchDelayMs)
      .put("outcomeResendMs", outcomeResendMs).put("maxResultBytes", maxResultBytes).put("prefetch", prefetch);
  }

  public long getHeartbeatIntervalMs() {
    return heartbeatIntervalMs;
  }

  public WorkerOptions setHeartbeatIntervalMs(long value) {
    heartbeatIntervalMs = atLeast(value, 1, "heartbeatIntervalMs");
    return this;
  }

  public String getPluginsDir() {
    return pluginsDir;
  }

  public WorkerOptions setPluginsDir(String value) {
    pluginsDir = value;
    return this;
  }

  public long getProgressIntervalMs() {
    return progressIntervalMs;
  }

  public WorkerOptions setProgressIntervalMs(long value) {
    progressIntervalMs = atLeast(value, 0, "progressIntervalMs");
    return this;
  }

  public long getJoinRetryMs() {
    return joinRetryMs;
  }

  public WorkerOptions setJoinRetryMs(long value) {
    joinRetryMs = atLeast(value, 1, "joinRetryMs");
    return this;
  }

  public long getRunningReportDelayMs() {
    return runningReportDelayMs;
  }

  /** 0 reports every task as {@code running} as soon as it starts. */
  public WorkerOptions setRunningReportDelayMs(long value) {
    runningReportDelayMs = atLeast(value, 0, "runningReportDelayMs");
    return this;
  }

  public long getResultBatchDelayMs() {
    return resultBatchDelayMs;
  }

  /** 0 sends the reports pending at the end of the current event-loop turn. */
  public WorkerOptions setResultBatchDelayMs(long value) {
    resultBatchDelayMs = atLeast(value, 0, "resultBatchDelayMs");
    return this;
  }

  public long getOutcomeResendMs() {
    return outcomeResendMs;
  }

  public WorkerOptions setOutcomeResendMs(long value) {
    outcomeResendMs = atLeast(value, 1, "outcomeResendMs");
    return this;
  }

  public long getMaxResultBytes() {
    return maxResultBytes;
  }

  public WorkerOptions setMaxResultBytes(long value) {
    maxResultBytes = atLeast(value, 1, "maxResultBytes");
    return this;
  }

  public int getPrefetch() {
    return prefetch;
  }

  public WorkerOptions setPrefetch(int value) {
    prefetch = (int) atLeast(value, 0, "prefetch");
    return this;
  }

  private static long atLeast(long value, long min, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be " + (min == 0 ? ">= 0" : "> " + (min - 1)) + " (got " + value + ")");
    }
    return value;
  }
}
