package io.mastermind.gateway.security;

import java.util.Map;

/**
 * At most one alert per kind and subject (an address, a token) per quiet period, so that an address
 * hammering the gateway raises one {@code alert} a minute, not one per request. Thread-safe; at most
 * {@code maxSubjects} remembered, least recently alerted dropped first.
 */
public final class AlertThrottle {

  private final long quietNanos;
  private final Map<String, Long> lastAlert;

  public AlertThrottle(long quietNanos, int maxSubjects) {
    this.quietNanos = quietNanos;
    this.lastAlert = BoundedMap.leastRecentlyUsedFirstOut(maxSubjects);
  }

  /** True when an alert about {@code subject} of {@code kind} should go out now (and records it). */
  public synchronized boolean shouldAlert(String kind, String subject, long now) {
    String key = kind + '\n' + subject;
    Long last = lastAlert.get(key);
    if (last != null && now - last < quietNanos) {
      return false;
    }
    lastAlert.put(key, now);
    return true;
  }
}
