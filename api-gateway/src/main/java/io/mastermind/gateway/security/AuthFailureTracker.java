package io.mastermind.gateway.security;

import java.util.Map;

/**
 * Failed authentications per remote address, and the slow-down of an address that has too many: once
 * {@code maxFailures} failures fall within {@code windowNanos}, the address is <em>slowed</em> and gets
 * one authentication attempt per {@code delayNanos}; its other requests are refused without looking at
 * their token (answering them would let a guesser go on at full speed). Failures older than the window
 * no longer count, so an address that stops failing recovers within one window.
 *
 * <h2>Implementation notes</h2>
 * Each address keeps the times of its last {@code maxFailures} failures in a ring: it is slowed when the
 * ring is full and its oldest entry is inside the window. At most {@code maxAddresses} addresses are
 * remembered, least recently seen dropped first. Thread-safe; times are from a monotonic clock.
 */
public final class AuthFailureTracker {

  public static final int DEFAULT_MAX_ADDRESSES = 10_000;

  private final int maxFailures;
  private final long windowNanos;
  private final long delayNanos;
  private final Map<String, Record> addresses;

  private static final class Record {
    final long[] failures;
    int count;
    int next;
    long nextAttemptAt;

    Record(int size) {
      failures = new long[size];
    }

    long oldest() {
      return failures[count < failures.length ? 0 : next];
    }
  }

  public AuthFailureTracker(int maxFailures, long windowNanos, long delayNanos) {
    this(maxFailures, windowNanos, delayNanos, DEFAULT_MAX_ADDRESSES);
  }

  AuthFailureTracker(int maxFailures, long windowNanos, long delayNanos, int maxAddresses) {
    if (maxFailures < 1 || windowNanos <= 0 || delayNanos < 0) {
      throw new IllegalArgumentException("auth failures: max must be >= 1, window > 0, delay >= 0");
    }
    this.maxFailures = maxFailures;
    this.windowNanos = windowNanos;
    this.delayNanos = delayNanos;
    this.addresses = BoundedMap.leastRecentlyUsedFirstOut(maxAddresses);
  }

  /**
   * Whether a request from {@code address} may be authenticated now.
   *
   * @return 0 if so, else the nanoseconds until it may try again
   */
  public synchronized long admit(String address, long now) {
    Record record = addresses.get(address);
    if (record == null || !slowed(record, now)) {
      return 0;
    }
    if (now - record.nextAttemptAt >= 0) {
      record.nextAttemptAt = now + delayNanos;
      return 0;
    }
    return record.nextAttemptAt - now;
  }

  /**
   * Records a failed authentication.
   *
   * @return true when this failure made the address slowed (it was not just before): the moment to alert
   */
  public synchronized boolean failed(String address, long now) {
    Record record = addresses.computeIfAbsent(address, a -> new Record(maxFailures));
    boolean before = slowed(record, now);
    record.failures[record.next] = now;
    record.next = (record.next + 1) % maxFailures;
    record.count = Math.min(maxFailures, record.count + 1);
    boolean after = slowed(record, now);
    if (after && !before) {
      record.nextAttemptAt = now + delayNanos;
    }
    return after && !before;
  }

  /** Failures of {@code address} inside the window, at most {@code maxFailures}. */
  public synchronized int failures(String address, long now) {
    Record record = addresses.get(address);
    if (record == null) {
      return 0;
    }
    int inWindow = 0;
    for (int i = 0; i < record.count; i++) {
      if (now - record.failures[i] < windowNanos) {
        inWindow++;
      }
    }
    return inWindow;
  }

  private boolean slowed(Record record, long now) {
    return record.count == maxFailures && now - record.oldest() < windowNanos;
  }
}
