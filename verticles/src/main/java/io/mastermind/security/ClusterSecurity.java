package io.mastermind.security;

import io.mastermind.events.EventPublisher;
import io.mastermind.protocol.EventNames;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One node's node authentication: the {@link EnvelopeSigner} it signs and checks with (none when no
 * cluster secret is configured: messages then travel as plain JSON, as before), the allowed clock
 * skew, and what it does about refused messages: a counter per {@link Verdict}, a log line and an
 * {@code alert} event, both rate-limited by an {@link AlertLimiter}.
 *
 * <p>Installed once per event bus ({@link #install}) before any verticle starts; components find it
 * with {@link #of(EventBus)}, which answers {@link #off()} for a bus nobody installed it on (tests that
 * deploy verticles on a bare Vert.x keep working as they always did). Thread-safe.
 */
public final class ClusterSecurity implements Shareable {

  public static final long DEFAULT_MAX_CLOCK_SKEW_MS = 30_000;
  /** At most one alert per kind and claimed sender in this interval (the others are counted and logged at debug). */
  public static final long ALERT_INTERVAL_MS = 10_000;
  private static final int MAX_ALERTS_PER_INTERVAL = 20;
  private static final Logger LOG = LoggerFactory.getLogger(ClusterSecurity.class);
  private static final ClusterSecurity OFF = new ClusterSecurity(null, null, DEFAULT_MAX_CLOCK_SKEW_MS);
  private static final Map<EventBus, ClusterSecurity> INSTALLED = Collections.synchronizedMap(new WeakHashMap<>());

  private final EnvelopeSigner signer;
  private final String nodeId;
  private final long maxSkewMs;
  private final Map<Verdict, LongAdder> refused = new EnumMap<>(Verdict.class);
  private final AlertLimiter limiter = new AlertLimiter(ALERT_INTERVAL_MS, MAX_ALERTS_PER_INTERVAL, 1024);
  private volatile EventPublisher alerts;

  private ClusterSecurity(EnvelopeSigner signer, String nodeId, long maxSkewMs) {
    if (maxSkewMs <= 0) {
      throw new IllegalArgumentException("cluster.maxClockSkewMs must be > 0");
    }
    this.signer = signer;
    this.nodeId = nodeId;
    this.maxSkewMs = maxSkewMs;
    for (Verdict v : Verdict.values()) {
      refused.put(v, new LongAdder());
    }
  }

  /** No signing: messages travel as plain JSON and are taken as they come. */
  public static ClusterSecurity off() {
    return OFF;
  }

  /** Signs and checks every message between nodes with {@code signer}; {@code nodeId} is this node's id. */
  public static ClusterSecurity signing(EnvelopeSigner signer, String nodeId, long maxSkewMs) {
    return new ClusterSecurity(signer, nodeId, maxSkewMs);
  }

  /** What was installed on this event bus, else {@link #off()}. */
  public static ClusterSecurity of(EventBus bus) {
    ClusterSecurity installed = INSTALLED.get(bus);
    return installed == null ? OFF : installed;
  }

  /**
   * Registers the {@link SealedCodec} (as the default codec of {@link Sealed}) on this Vert.x's event
   * bus and makes this the bus's security. Once per Vert.x; a second install on the same bus fails.
   */
  public synchronized ClusterSecurity install(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    if (INSTALLED.containsKey(bus)) {
      throw new IllegalStateException("node authentication is already installed on this Vert.x");
    }
    bus.registerDefaultCodec(Sealed.class, new SealedCodec(signer, maxSkewMs, System::currentTimeMillis));
    alerts = new EventPublisher(bus, nodeId);
    INSTALLED.put(bus, this);
    return this;
  }

  /** True when messages between nodes are signed and checked. */
  public boolean signing() {
    return signer != null;
  }

  EnvelopeSigner signer() {
    return signer;
  }

  public long maxSkewMs() {
    return maxSkewMs;
  }

  /** This node's id (its key id when it holds only its node key), or null when off. */
  public String nodeId() {
    return nodeId;
  }

  /** A channel for one component of this node, speaking as {@code selfId}. */
  public SecureChannel channel(EventBus bus, String selfId) {
    return new SecureChannel(bus, this, selfId);
  }

  /** Messages this node refused, by verdict, since it started. */
  public long refusedCount(Verdict verdict) {
    return refused.get(verdict).sum();
  }

  /** Messages this node refused, in all. */
  public long refusedTotal() {
    return refused.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /**
   * A refused message: counted always; logged at warn and raised as an {@code alert} event at most once
   * per {@link #ALERT_INTERVAL_MS} for its verdict and claimed sender (else logged at debug).
   *
   * @param claimedSender who the message says it is from (unverified), may be null
   */
  void refused(Verdict verdict, String address, String type, String claimedSender, String kid) {
    refused.get(verdict).increment();
    String sender = claimedSender == null ? "?" : claimedSender;
    // a key this node does not hold is no sign of an attack (a node key cannot check another node's
    // broadcast): counted, not alerted
    AlertLimiter.Decision decision = verdict == Verdict.UNKNOWN_KEY ? new AlertLimiter.Decision(false, 0)
      : limiter.occurred(verdict + "|" + sender, System.currentTimeMillis());
    String line = "refused a " + verdict.wireName() + " message on " + address + " (type " + type + ", claimed sender "
      + sender + (kid != null && !kid.equals(claimedSender) ? ", signed as " + kid : "") + ")";
    if (!decision.raise()) {
      if (LOG.isDebugEnabled()) {
        LOG.debug(line);
      }
      return;
    }
    LOG.warn(line + (decision.suppressed() > 0 ? "; " + decision.suppressed() + " more like it not logged" : ""));
    EventPublisher publisher = alerts;
    if (publisher != null) {
      publisher.publish(EventNames.ALERT, null, new JsonObject()
        .put("severity", "warning")
        .put("kind", verdict == Verdict.WRONG_IDENTITY ? "forged_sender" : "refused_message")
        .put("reason", verdict.wireName())
        .put("claimedSender", claimedSender)
        .put("signedAs", kid)
        .put("address", address)
        .put("type", type)
        .put("suppressed", decision.suppressed()));
    }
  }
}
