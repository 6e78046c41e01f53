package io.mastermind.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The phi accrual failure detector (Hayashibara et al.), as in Akka and Cassandra: instead of a yes/no
 * timeout it says how suspicious a silence is, given how regular the node's heartbeats have been. A
 * node that beats like a clock is suspected soon after it misses a beat; one on a jittery link gets
 * more slack.
 *
 * <p>{@code phi = -log10(1 - F(now - last))}, where {@code F} is the normal CDF with the mean and
 * standard deviation of the node's recent heartbeat inter-arrival times. phi 1 means a 10% chance that
 * a heartbeat is still coming, phi 3 a 0.1% chance, and so on.
 *
 * <p>Implementation notes.
 * <ul>
 *   <li>Per node a ring buffer of the last {@code windowSize} intervals. Mean and (population) standard
 *       deviation are recomputed in two passes when a sample is added, so phi is O(1) and there is no
 *       drift from running sums after a huge interval leaves the window.</li>
 *   <li>Bootstrap as Akka does: the first heartbeat seeds the window with {@code est - est/4} and
 *       {@code est + est/4}, which is mean {@code est}, standard deviation {@code est/4}. The seeds age
 *       out like any other sample.</li>
 *   <li>The standard deviation is floored at {@code minStdDevMs}: perfectly regular heartbeats would
 *       otherwise give a zero deviation and phi would jump to the cap a millisecond after the mean.</li>
 *   <li>The normal CDF is Akka's logistic approximation: with {@code y = (t - mean) / stddev} and
 *       {@code z = y * (1.5976 + 0.070566 * y * y)}, {@code 1 - F ~= 1 / (1 + exp(z))}. Akka computes
 *       {@code -log10(e / (1 + e))} with {@code e = exp(-z)}, splitting on the sign of {@code z}; that is
 *       exactly {@code log10(1 + exp(z))}, evaluated here as a stable softplus so a long silence never
 *       underflows {@code e} to 0 and yields infinity. The result is still capped at {@link #MAX_PHI}.</li>
 *   <li>A heartbeat at the same millisecond as the last one adds no sample (a resource_update and a
 *       probe answer together are one sign of life, and a 0 ms interval would drag the mean down). One
 *       earlier than the last (the clock stepped back) only moves {@code last} back, again without a
 *       sample. Pass a monotonic clock.</li>
 * </ul>
 *
 * <p>Not thread-safe: owned by one verticle context.
 */
public final class PhiAccrualFailureDetector {

  public static final int DEFAULT_WINDOW_SIZE = 100;
  /** phi never exceeds this, so callers never see infinity or NaN. */
  public static final double MAX_PHI = 1000.0;

  private static final double LN_10 = Math.log(10);

  /** The window of one node: sample count, mean and raw (not floored) standard deviation of the intervals. */
  public record Stats(int samples, double meanMs, double stdDevMs) {
  }

  private final int windowSize;
  private final long minStdDevMs;
  private final long firstHeartbeatEstimateMs;
  private final Map<String, History> histories = new LinkedHashMap<>();

  public PhiAccrualFailureDetector(int windowSize, long minStdDevMs, long firstHeartbeatEstimateMs) {
    if (windowSize < 2) {
      throw new IllegalArgumentException("windowSize must be >= 2");
    }
    if (minStdDevMs <= 0) {
      throw new IllegalArgumentException("minStdDevMs must be > 0");
    }
    if (firstHeartbeatEstimateMs <= 0) {
      throw new IllegalArgumentException("firstHeartbeatEstimateMs must be > 0");
    }
    this.windowSize = windowSize;
    this.minStdDevMs = minStdDevMs;
    this.firstHeartbeatEstimateMs = firstHeartbeatEstimateMs;
  }

  public int windowSize() {
    return windowSize;
  }

  public long minStdDevMs() {
    return minStdDevMs;
  }

  public long firstHeartbeatEstimateMs() {
    return firstHeartbeatEstimateMs;
  }

  /** Records a sign of life from {@code nodeId} at {@code nowMs}. The first one makes the node known. */
  public void heartbeat(String nodeId, long nowMs) {
    Objects.requireNonNull(nodeId, "nodeId");
    History history = histories.get(nodeId);
    if (history == null) {
      history = new History(windowSize);
      double stdDev = firstHeartbeatEstimateMs / 4.0;
      history.add(firstHeartbeatEstimateMs - stdDev);
      history.add(firstHeartbeatEstimateMs + stdDev);
      history.last = nowMs;
      histories.put(nodeId, history);
      return;
    }
    if (nowMs > history.last) {
      history.add((double) nowMs - history.last);
    }
    history.last = nowMs;
  }

  /** How suspicious the silence of {@code nodeId} is at {@code nowMs}: 0 for an unknown node, at most {@link #MAX_PHI}. */
  public double phi(String nodeId, long nowMs) {
    History history = histories.get(nodeId);
    if (history == null) {
      return 0;
    }
    return phi((double) nowMs - history.last, history.mean, Math.max(history.stdDev, minStdDevMs));
  }

  /** phi of a silence of {@code elapsedMs} under a normal distribution; {@code stdDevMs} must be > 0. */
  static double phi(double elapsedMs, double meanMs, double stdDevMs) {
    double y = (elapsedMs - meanMs) / stdDevMs;
    double z = y * (1.5976 + 0.070566 * y * y);
    // log(1 + exp(z)) without overflow for large z or loss for very negative z
    double lnOneMinusF = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    double phi = lnOneMinusF / LN_10;
    return phi < MAX_PHI ? phi : MAX_PHI; // also maps a NaN to the cap rather than leak it
  }

  public void remove(String nodeId) {
    histories.remove(nodeId);
  }

  public OptionalLong lastHeartbeat(String nodeId) {
    History history = histories.get(nodeId);
    return history == null ? OptionalLong.empty() : OptionalLong.of(history.last);
  }

  public Optional<Stats> stats(String nodeId) {
    History history = histories.get(nodeId);
    return history == null ? Optional.empty() : Optional.of(new Stats(history.count, history.mean, history.stdDev));
  }

  /** The known nodes in order of their first heartbeat; a snapshot. */
  public Set<String> nodes() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(histories.keySet()));
  }

  /** Inter-arrival times of one node, oldest overwritten first. */
  private static final class History {
    private final double[] intervals;
    private int next;
    private int count;
    private long last;
    private double mean;
    private double stdDev;

    History(int windowSize) {
      intervals = new double[windowSize];
    }

    void add(double intervalMs) {
      intervals[next] = intervalMs;
      next = (next + 1) % intervals.length;
      count = Math.min(count + 1, intervals.length);
      double sum = 0;
      for (int i = 0; i < count; i++) {
        sum += intervals[i];
      }
      mean = sum / count;
      double squares = 0;
      for (int i = 0; i < count; i++) {
        double d = intervals[i] - mean;
        squares += d * d;
      }
      stdDev = Math.sqrt(squares / count);
    }
  }
}
