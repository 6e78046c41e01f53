package io.mastermind.gateway;

import io.vertx.core.json.JsonObject;

/**
 * Per-caller rate limits: the {@code http.rateLimit} section. A caller is an API token, or the remote
 * address when tokens are off. Every HTTP request under {@code /api/}, every WebSocket operation and
 * every SockJS bridge {@code send}/{@code register} spends one request; past the limit the answer is 429
 * {@code LIMIT_EXCEEDED} with {@code Retry-After}.
 *
 * <p><b>Off by default</b> ({@code requestsPerSecond} 0): a single client legitimately submits 10k tasks a
 * second through one WebSocket, and a limit that high protects nothing a loopback-only default does not
 * already. Turn it on for shared gateways (docs/security.md).
 */
public final class RateLimitOptions {

  /** 0: no limit. */
  public static final double DEFAULT_REQUESTS_PER_SECOND = 0;
  /** 0: twice {@code requestsPerSecond} (at least 1). */
  public static final int DEFAULT_BURST = 0;

  private static final String REQUESTS_PER_SECOND = "requestsPerSecond";
  private static final String BURST = "burst";

  private double requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND;
  private int burst = DEFAULT_BURST;

  public RateLimitOptions() {
  }

  public RateLimitOptions(JsonObject json) {
    setRequestsPerSecond(json.getDouble(REQUESTS_PER_SECOND, requestsPerSecond));
    setBurst(json.getInteger(BURST, burst));
  }

  public JsonObject toJson() {
    return new JsonObject().put(REQUESTS_PER_SECOND, requestsPerSecond).put(BURST, burst);
  }

  public boolean isEnabled() {
    return requestsPerSecond > 0;
  }

  public double getRequestsPerSecond() {
    return requestsPerSecond;
  }

  public RateLimitOptions setRequestsPerSecond(double requestsPerSecond) {
    if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) {
      throw new IllegalArgumentException("http.rateLimit.requestsPerSecond must be >= 0 (0: no limit)");
    }
    this.requestsPerSecond = requestsPerSecond;
    return this;
  }

  public int getBurst() {
    return burst;
  }

  public RateLimitOptions setBurst(int burst) {
    if (burst < 0) {
      throw new IllegalArgumentException("http.rateLimit.burst must be >= 0 (0: twice requestsPerSecond)");
    }
    this.burst = burst;
    return this;
  }

  /** The burst in effect. */
  public int effectiveBurst() {
    return burst > 0 ? burst : (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(2 * requestsPerSecond)));
  }
}
