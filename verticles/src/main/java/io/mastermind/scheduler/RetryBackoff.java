package io.mastermind.scheduler;

/**
 * Exponential backoff between a failed attempt and the next: {@code base * 2^(retry-1)}, capped.
 * Deterministic, so a test can tell when a retry is due.
 */
public record RetryBackoff(long baseMs, long maxMs) {

  public static final long DEFAULT_BASE_MS = 200;
  public static final long DEFAULT_MAX_MS = 30_000;
  public static final RetryBackoff DEFAULT = new RetryBackoff(DEFAULT_BASE_MS, DEFAULT_MAX_MS);

  public RetryBackoff {
    if (baseMs < 0 || maxMs < baseMs) {
      throw new IllegalArgumentException("need 0 <= baseMs <= maxMs");
    }
  }

  /** Delay before retry number {@code retry} (1 for the first retry). */
  public long delayMs(int retry) {
    if (retry <= 1) {
      return baseMs;
    }
    int shift = Math.min(retry - 1, 62);
    // base * 2^shift > max  <=>  base > max / 2^shift, asked without computing the product
    return baseMs > (maxMs >> shift) ? maxMs : baseMs << shift;
  }
}
