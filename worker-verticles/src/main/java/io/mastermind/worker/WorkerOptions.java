package io.mastermind.worker;

import io.vertx.core.json.JsonObject;

/** Settings of a worker node: heartbeat, plugins folder, how often progress is reported. */
public final class WorkerOptions {

  /** How often a worker sends {@code resource_update} (the node config's {@code healthCheck.interval}). */
  public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000;
  public static final String DEFAULT_PLUGINS_DIR = "plugins";
  /** Progress reports of one task are sent at most this often; the last one always goes. */
  public static final long DEFAULT_PROGRESS_INTERVAL_MS = 100;
  /** Pause between attempts to announce this node to a coordinator that is not there yet. */
  public static final long DEFAULT_JOIN_RETRY_MS = 1_000;

  private long heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
  private String pluginsDir = DEFAULT_PLUGINS_DIR;
  private long progressIntervalMs = DEFAULT_PROGRESS_INTERVAL_MS;
  private long joinRetryMs = DEFAULT_JOIN_RETRY_MS;

  public WorkerOptions() {
  }

  public WorkerOptions(JsonObject json) {
    setHeartbeatIntervalMs(json.getLong("heartbeatIntervalMs", heartbeatIntervalMs));
    setPluginsDir(json.getString("pluginsDir", pluginsDir));
    setProgressIntervalMs(json.getLong("progressIntervalMs", progressIntervalMs));
    setJoinRetryMs(json.getLong("joinRetryMs", joinRetryMs));
  }

  public JsonObject toJson() {
    return new JsonObject().put("heartbeatIntervalMs", heartbeatIntervalMs).put("pluginsDir", pluginsDir)
      .put("progressIntervalMs", progressIntervalMs).put("joinRetryMs", joinRetryMs);
  }

  public long getHeartbeatIntervalMs() {
    return heartbeatIntervalMs;
  }

  public WorkerOptions setHeartbeatIntervalMs(long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("heartbeatIntervalMs must be > 0");
    }
    heartbeatIntervalMs = value;
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
    if (value < 0) {
      throw new IllegalArgumentException("progressIntervalMs must be >= 0");
    }
    progressIntervalMs = value;
    return this;
  }

  public long getJoinRetryMs() {
    return joinRetryMs;
  }

  public WorkerOptions setJoinRetryMs(long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("joinRetryMs must be > 0");
    }
    joinRetryMs = value;
    return this;
  }
}
