package io.mastermind.gateway.security;

import java.util.Map;

/**
 * Token buckets, one per key (an API token, or a remote address when tokens are off): a key may spend
 * {@code burst} requests at once and then {@code perSecond} a second.
 *
 * <h2>Implementation notes</h2>
 * A bucket holds a fractional number of permits and the time it was last refilled; a request refills it
 * by the time elapsed, then takes one permit or is refused with the time until one is there. At most
 * {@code maxKeys} buckets are kept, least recently used dropped first, which bounds the memory a caller
 * rotating through many addresses can take (a dropped key starts again with a full bucket, as a new
 * address would). Thread-safe (one lock; a call is a few arithmetic operations).
 */
public final class RateLimiter {

  /** Buckets kept at most. */
  public static final int DEFAULT_MAX_KEYS = 10_000;

  private final double perNano;
  private final double burst;
  private final Map<String, Bucket> buckets;

  private static final class Bucket {
    double permits;
    long refilledAt;

    Bucket(double permits, long now) {
      this.permits = permits;
      this.refilledAt = now;
    }
  }

  public RateLimiter(double perSecond, int burst) {
    this(perSecond, burst, DEFAULT_MAX_KEYS);
  }

  RateLimiter(double perSecond, int burst, int maxKeys) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate limit: perSecond must be > 0 and burst >= 1");
    }
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.buckets = BoundedMap.leastRecentlyUsedFirstOut(maxKeys);
  }

  /**
   * Takes one permit for {@code key} at {@code nowNanos} (a monotonic clock, {@link System#nanoTime()}).
   *
   * @return 0 when allowed, else how many nanoseconds until a permit is there (&gt; 0)
   */
  public synchronized long acquire(String key, long nowNanos) {
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      bucket = new Bucket(burst, nowNanos);
      buckets.put(key, bucket);
    } else {
      refill(bucket, nowNanos);
    }
    if (bucket.permits >= 1) {
      bucket.permits -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - bucket.permits) / perNano));
  }

  /** Buckets held now (tests). */
  synchronized int size() {
    return buckets.size();
  }

  private void refill(Bucket bucket, long now) {
    long elapsed = now - bucket.refilledAt;
    if (elapsed > 0) {
      bucket.permits = Math.min(burst, bucket.permits + elapsed * perNano);
      bucket.refilledAt = now;
    }
  }
}
