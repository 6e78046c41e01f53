package io.mastermind.health;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns heartbeats into the node states of the product: HEALTHY, SUSPECT (the phi accrual detector
 * finds the silence unusual, so the coordinator probes the node), FAILED (silent for the whole
 * {@code healthCheck.timeout}, or membership lost). Suspicion adapts to how regular a node has been;
 * failure is a plain timeout, so an operator can still predict when a dead node's tasks are moved.
 *
 * <p>Implementation notes. The rules, applied per node on each {@link #evaluate}:
 * <pre>
 *   FAILED   + a heartbeat arrived since it failed  -&gt; HEALTHY ("restored"), then the rules below
 *   any      + silence &gt;= timeoutMs                -&gt; FAILED
 *   HEALTHY  + phi &gt;= suspectPhi                   -&gt; SUSPECT
 *   SUSPECT  + phi &lt;  suspectPhi                   -&gt; HEALTHY
 * </pre>
 * A HEALTHY node whose silence already reached the timeout goes straight to FAILED: one transition, not
 * two. The detector runs with window {@value #WINDOW_SIZE}, first estimate {@code intervalMs} and
 * standard deviation floor {@code intervalMs / 4}, so with the defaults (1000 ms, phi 3.0) a node that
 * beat regularly is suspected after about 1.77 s of silence (phi is 0.3 at exactly one interval, 1.3
 * at 1.4 s). When a FAILED node comes back its detector history is
 * reset: the outage is not a heartbeat interval and would blunt the detector for the next 100 beats.
 *
 * <p>{@link #markFailed} changes the state at once and queues the transition; the next {@link #evaluate}
 * reports it, before the transitions it computes itself, so every change leaves through one method.
 * A node is known from its first heartbeat (starting HEALTHY, which is not a transition) until
 * {@link #forget}.
 *
 * <p>Not thread-safe: owned by one verticle context.
 */
public final class NodeHealthPolicy {

  public static final long DEFAULT_INTERVAL_MS = 1_000;
  public static final long DEFAULT_TIMEOUT_MS = 3_000;
  public static final int DEFAULT_RETRIES = 3;
  public static final double DEFAULT_SUSPECT_PHI = 3.0;
  public static final int WINDOW_SIZE = PhiAccrualFailureDetector.DEFAULT_WINDOW_SIZE;

  public enum Health { HEALTHY, SUSPECT, FAILED }

  /** One state change; {@code phi} and {@code silentMs} are as of the moment it was decided. */
  public record Transition(String nodeId, Health from, Health to, double phi, long silentMs) {
  }

  private final long intervalMs;
  private final long timeoutMs;
  private final int retries;
  private final double suspectPhi;
  private final long probeIntervalMs;
  private final PhiAccrualFailureDetector detector;
  private final Map<String, NodeState> nodes = new LinkedHashMap<>();
  private final List<Transition> pending = new ArrayList<>();

  /** The product's {@code healthCheck {interval, timeout, retries}} plus the phi that means "suspect". */
  public NodeHealthPolicy(long intervalMs, long timeoutMs, int retries, double suspectPhi) {
    if (intervalMs <= 0) {
      throw new IllegalArgumentException("intervalMs must be > 0");
    }
    if (timeoutMs < intervalMs) {
      throw new IllegalArgumentException("timeoutMs must be >= intervalMs");
    }
    if (retries <= 0) {
      throw new IllegalArgumentException("retries must be > 0");
    }
    if (!(suspectPhi > 0) || Double.isInfinite(suspectPhi)) {
      throw new IllegalArgumentException("suspectPhi must be a finite number > 0");
    }
    this.intervalMs = intervalMs;
    this.timeoutMs = timeoutMs;
    this.retries = retries;
    this.suspectPhi = suspectPhi;
    this.probeIntervalMs = Math.max(1, timeoutMs / retries);
    this.detector = new PhiAccrualFailureDetector(WINDOW_SIZE, Math.max(1, intervalMs / 4), intervalMs);
  }

  /** interval 1000 ms, timeout 3000 ms, 3 retries, suspect at phi 3.0. */
  public static NodeHealthPolicy withDefaults() {
    return new NodeHealthPolicy(DEFAULT_INTERVAL_MS, DEFAULT_TIMEOUT_MS, DEFAULT_RETRIES, DEFAULT_SUSPECT_PHI);
  }

  public long intervalMs() {
    return intervalMs;
  }

  public long timeoutMs() {
    return timeoutMs;
  }

  public int retries() {
    return retries;
  }

  public double suspectPhi() {
    return suspectPhi;
  }

  /** How often a SUSPECT node is probed: {@code max(1, timeoutMs / retries)}. */
  public long probeIntervalMs() {
    return probeIntervalMs;
  }

  /** A sign of life: a resource_update or an answered health_check probe. Makes an unknown node known. */
  public void heartbeat(String nodeId, long nowMs) {
    Objects.requireNonNull(nodeId, "nodeId");
    NodeState state = nodes.computeIfAbsent(nodeId, id -> new NodeState());
    if (state.health == Health.FAILED && !state.heardSinceFailed) {
      state.heardSinceFailed = true;
      detector.remove(nodeId);
    }
    detector.heartbeat(nodeId, nowMs);
  }

  /** The state changes since the last call, oldest first. Call it periodically (well below intervalMs). */
  public List<Transition> evaluate(long nowMs) {
    List<Transition> out = new ArrayList<>(pending);
    pending.clear();
    for (Map.Entry<String, NodeState> entry : nodes.entrySet()) {
      String nodeId = entry.getKey();
      NodeState state = entry.getValue();
      if (state.health == Health.FAILED) {
        if (!state.heardSinceFailed) {
          continue;
        }
        out.add(move(nodeId, state, Health.HEALTHY, nowMs));
      }
      double phi = detector.phi(nodeId, nowMs);
      if (silentMs(nodeId, nowMs) >= timeoutMs) {
        out.add(move(nodeId, state, Health.FAILED, nowMs));
      } else if (state.health == Health.HEALTHY && phi >= suspectPhi) {
        out.add(move(nodeId, state, Health.SUSPECT, nowMs));
      } else if (state.health == Health.SUSPECT && phi < suspectPhi) {
        out.add(move(nodeId, state, Health.HEALTHY, nowMs));
      }
    }
    return out;
  }

  /** Whether a health_check probe should go to {@code nodeId} now: only while SUSPECT, every probeIntervalMs. */
  public boolean probeDue(String nodeId, long nowMs) {
    NodeState state = nodes.get(nodeId);
    if (state == null || state.health != Health.SUSPECT) {
      return false;
    }
    return !state.probed || nowMs - state.lastProbeAt >= probeIntervalMs;
  }

  /** Records that a probe was sent to {@code nodeId} at {@code nowMs}. */
  public void probed(String nodeId, long nowMs) {
    NodeState state = nodes.get(nodeId);
    if (state != null) {
      state.probed = true;
      state.lastProbeAt = nowMs;
    }
  }

  /**
   * A hard signal, such as cluster membership lost: the node is FAILED from now on, and the next
   * {@link #evaluate} reports the transition. No-op for an unknown node; for a node already FAILED it
   * only cancels a restore not yet reported (a heartbeat before the membership was lost again).
   */
  public void markFailed(String nodeId, long nowMs) {
    NodeState state = nodes.get(nodeId);
    if (state == null) {
      return;
    }
    if (state.health == Health.FAILED) {
      state.heardSinceFailed = false;
      return;
    }
    pending.add(move(nodeId, state, Health.FAILED, nowMs));
  }

  /** The node left gracefully: dropped without a transition, including any not yet reported. */
  public void forget(String nodeId) {
    nodes.remove(nodeId);
    detector.remove(nodeId);
    pending.removeIf(t -> t.nodeId().equals(nodeId));
  }

  /** The current state, or {@code null} for a node never heard from (or forgotten). */
  public Health health(String nodeId) {
    NodeState state = nodes.get(nodeId);
    return state == null ? null : state.health;
  }

  public double phi(String nodeId, long nowMs) {
    return detector.phi(nodeId, nowMs);
  }

  public OptionalLong lastHeartbeat(String nodeId) {
    return detector.lastHeartbeat(nodeId);
  }

  /** The known nodes in order of their first heartbeat; a snapshot. */
  public Set<String> nodes() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(nodes.keySet()));
  }

  private Transition move(String nodeId, NodeState state, Health to, long nowMs) {
    Transition transition = new Transition(nodeId, state.health, to, detector.phi(nodeId, nowMs), silentMs(nodeId, nowMs));
    state.health = to;
    if (to == Health.FAILED) {
      state.heardSinceFailed = false;
    }
    if (to == Health.SUSPECT) {
      state.probed = false;
    }
    return transition;
  }

  private long silentMs(String nodeId, long nowMs) {
    OptionalLong last = detector.lastHeartbeat(nodeId);
    return last.isPresent() ? Math.max(0, nowMs - last.getAsLong()) : 0;
  }

  private static final class NodeState {
    private Health health = Health.HEALTHY;
    private boolean heardSinceFailed;
    private boolean probed;
    private long lastProbeAt;
  }
}
