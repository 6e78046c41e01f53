package io.mastermind.gateway;

import io.vertx.core.json.JsonObject;

/**
 * The slow-down of addresses that keep failing authentication: the {@code http.authFailures} section.
 * After {@code max} failed authentications (401) from one address within {@code windowMs}, an {@code alert}
 * event goes out and the address gets one attempt per {@code delayMs}; its other requests are answered 429
 * {@code LIMIT_EXCEEDED} with {@code Retry-After}, without their token being looked at. An address that stops
 * failing is back to normal one window after its last failure.
 */
public final class AuthFailureOptions {

  public static final int DEFAULT_MAX = 10;
  public static final long DEFAULT_WINDOW_MS = 60_000;
  public static final long DEFAULT_DELAY_MS = 1_000;

  private static final String MAX = "max";
  private static final String WINDOW_MS = "windowMs";
  private static final String DELAY_MS = "delayMs";

  private int max = DEFAULT_MAX;
  private long windowMs = DEFAULT_WINDOW_MS;
  private long delayMs = DEFAULT_DELAY_MS;

  public AuthFailureOptions() {
  }

  public AuthFailureOptions(JsonObject json) {
    setMax(json.getInteger(MAX, max));
    setWindowMs(json.getLong(WINDOW_MS, windowMs));
    setDelayMs(json.getLong(DELAY_MS, delayMs));
  }

  public JsonObject toJson() {
    return new JsonObject().put(MAX, max).put(WINDOW_MS, windowMs).put(DELAY_MS, delayMs);
  }

  public int getMax() {
    return max;
  }

  public AuthFailureOptions setMax(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("http.authFailures.max must be >= 1");
    }
    this.max = max;
    return this;
  }

  public long getWindowMs() {
    return windowMs;
  }

  public AuthFailureOptions setWindowMs(long windowMs) {
    if (windowMs <= 0) {
      throw new IllegalArgumentException("http.authFailures.windowMs must be > 0");
    }
    this.windowMs = windowMs;
    return this;
  }

  public long getDelayMs() {
    return delayMs;
  }

  public AuthFailureOptions setDelayMs(long delayMs) {
    if (delayMs <= 0) {
      throw new IllegalArgumentException("http.authFailures.delayMs must be > 0");
    }
    this.delayMs = delayMs;
    return this;
  }
}
