package io.mastermind.gateway;

import io.mastermind.events.EventPublisher;
import io.mastermind.gateway.security.AlertThrottle;
import io.mastermind.protocol.EventNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the gateway tells about suspicious activity. Every refusal is counted in
 * {@code mastermind_security_refusals_total{kind}}; an alert goes out as an {@code alert} live event
 * ({@code {"severity":"warning","kind",...}}), a WARN log line and {@code mastermind_security_alerts_total{kind}},
 * at most once a minute per kind and subject (an address, a token), so a flood raises one alert, not thousands.
 */
final class SecurityAlerts {

  /** Refusal kinds. */
  static final String UNAUTHORIZED = "unauthorized";
  static final String FORBIDDEN = "forbidden";
  static final String HOST = "host";
  static final String ORIGIN = "origin";
  static final String RATE_LIMITED = "rate_limited";
  static final String SLOWED = "slowed";

  /** Alert kinds. */
  static final String ALERT_AUTH_FAILURES = "auth_failures";
  static final String ALERT_RATE_LIMITED = "rate_limited";

  static final long QUIET_MS = 60_000;

  private static final Logger LOG = LoggerFactory.getLogger(SecurityAlerts.class);

  private final EventPublisher events;
  private final MeterRegistry registry;
  private final AlertThrottle throttle = new AlertThrottle(TimeUnit.MILLISECONDS.toNanos(QUIET_MS), 10_000);
  private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
  private final Map<String, Counter> alerts = new ConcurrentHashMap<>();

  SecurityAlerts(EventPublisher events, MeterRegistry registry) {
    this.events = events;
    this.registry = registry;
  }

  void refused(String kind) {
    refusals.computeIfAbsent(kind, k -> Counter.builder("mastermind.security.refusals").tag("kind", k)
      .description("Requests the gateway refused for security reasons (401, 403, 429 of a rate limit)")
      .register(registry)).increment();
  }

  /** @param subject what the alert is about (an address, a token id); {@code data} gets {@code severity} and {@code kind} */
  void alert(String kind, String subject, JsonObject data, String logLine) {
    if (!throttle.shouldAlert(kind, subject, System.nanoTime())) {
      return;
    }
    alerts.computeIfAbsent(kind, k -> Counter.builder("mastermind.security.alerts").tag("kind", k)
      .description("Security alerts raised by the gateway").register(registry)).increment();
    LOG.warn("security alert " + kind + ": " + logLine);
    events.publish(EventNames.ALERT, null, data.copy().put("severity", "warning").put("kind", kind));
  }
}
