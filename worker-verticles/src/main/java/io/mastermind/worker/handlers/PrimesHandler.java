package io.mastermind.worker.handlers;

import io.mastermind.protocol.BuiltinFunctions;
import io.mastermind.worker.spi.TaskContext;
import io.mastermind.worker.spi.TaskHandler;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.Set;

/**
 * {@code primes}: counts the primes {@code <= upTo} with a segmented sieve of Eratosthenes over odd
 * numbers only. Memory stays at one fixed segment plus the base primes up to {@code sqrt(upTo)}
 * whatever the limit, and the segment is sized to stay cache-resident.
 */
public final class PrimesHandler implements TaskHandler {

  /** Bytes per segment; each byte stands for one odd number, so a segment spans twice as many integers. */
  private static final int SEGMENT_BYTES = 256 * 1024;

  @Override
  public String function() {
    return "primes";
  }

  @Override
  public Set<String> types() {
    return Set.of("compute");
  }

  @Override
  public Object handle(Object data, TaskContext context) throws Exception {
    JsonObject object = HandlerData.object(data, function());
    long upTo = HandlerData.requireLong(object, "upTo", 0, BuiltinFunctions.MAX_PRIMES_UP_TO);
    return new JsonObject().put("count", countPrimes(upTo, context));
  }

  static long countPrimes(long upTo, TaskContext context) throws InterruptedException {
    if (upTo < 2) {
      return 0;
    }
    int[] basePrimes = oddPrimesUpTo(isqrt(upTo));
    // Index i stands for the odd number 2i + 1; index 0 (the number 1) is skipped, 2 is counted here.
    long lastIndex = (upTo - 1) / 2;
    long count = 1;
    byte[] composite = new byte[SEGMENT_BYTES];
    for (long low = 1; low <= lastIndex; low += SEGMENT_BYTES) {
      context.checkCancelled();
      int length = (int) Math.min(SEGMENT_BYTES, lastIndex - low + 1);
      Arrays.fill(composite, 0, length, (byte) 0);
      markComposites(composite, length, low, basePrimes);
      for (int i = 0; i < length; i++) {
        if (composite[i] == 0) {
          count++;
        }
      }
      context.reportProgress((low + length - 1) / (double) lastIndex);
    }
    return count;
  }

  private static void markComposites(byte[] composite, int length, long low, int[] basePrimes) {
    long firstNumber = 2 * low + 1;
    long lastNumber = 2 * (low + length - 1) + 1;
    for (int p : basePrimes) {
      long square = (long) p * p;
      if (square > lastNumber) {
        break;
      }
      // Smaller multiples of p were already crossed off by smaller primes, so start at p^2.
      long start = Math.max(square, (firstNumber + p - 1) / p * p);
      if ((start & 1) == 0) {
        start += p;
      }
      // Consecutive odd multiples of p are 2p apart, which is p apart in index space.
      for (long i = (start - 1) / 2 - low; i < length; i += p) {
        composite[(int) i] = 1;
      }
    }
  }

  /** The odd primes up to {@code limit} (at most ~44,721 here), by a plain sieve. */
  private static int[] oddPrimesUpTo(int limit) {
    boolean[] composite = new boolean[limit + 1];
    int[] primes = new int[limit + 1];
    int count = 0;
    for (int n = 3; n <= limit; n += 2) {
      if (!composite[n]) {
        primes[count++] = n;
        for (long m = (long) n * n; m <= limit; m += 2L * n) {
          composite[(int) m] = true;
        }
      }
    }
    return Arrays.copyOf(primes, count);
  }

  /** floor(sqrt(n)), corrected for the rounding of Math.sqrt on large longs. */
  private static int isqrt(long n) {
    long r = (long) Math.sqrt((double) n);
    while (r * r > n) {
      r--;
    }
    while ((r + 1) * (r + 1) <= n) {
      r++;
    }
    return (int) r;
  }
}
