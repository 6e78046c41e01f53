package io.mastermind.controlplane;

import io.mastermind.cluster.ClusterOptions;

/** What the health verticle is told by the coordinator's options. */
public record HealthSettings(long intervalMs, long timeoutMs, int retries, long authTimeoutMs) {

  public HealthSettings(long intervalMs, long timeoutMs, int retries) {
    this(intervalMs, timeoutMs, retries, ClusterOptions.DEFAULT_AUTH_TIMEOUT_MS);
  }
}
