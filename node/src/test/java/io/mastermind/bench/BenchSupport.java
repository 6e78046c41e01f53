package io.mastermind.bench;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What the benchmark mains of {@code scripts/bench.sh throughput} share: flags, latency histograms,
 * the closed-loop driver (a fixed window of operations in flight) and the one result line each
 * measurement prints for the script ({@code RESULT {json}} on stdout). These are mains, not tests.
 */
final class BenchSupport {

  /** Latencies are recorded in us, up to an hour, 3 significant digits. */
  static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

  private BenchSupport() {
  }

  static Histogram histogram() {
    return new ConcurrentHistogram(MAX_MICROS, 3);
  }

  static void record(Histogram histogram, long micros) {
    histogram.recordValue(Math.max(0, Math.min(MAX_MICROS, micros)));
  }

  /** {@code --name value} from the command line, or the fallback. */
  static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  static int intArg(String[] args, String name, int fallback) {
    return Integer.parseInt(arg(args, name, String.valueOf(fallback)));
  }

  static double doubleArg(String[] args, String name, double fallback) {
    return Double.parseDouble(arg(args, name, String.valueOf(fallback)));
  }

  static void progress(String message) {
    System.err.println("[bench] " + message);
  }

  /** p50, p99, p99.9 and max of a histogram, in us, under {@code prefix}. */
  static JsonObject percentiles(Histogram histogram) {
    return new JsonObject()
      .put("count", histogram.getTotalCount())
      .put("p50", histogram.getValueAtPercentile(50))
      .put("p99", histogram.getValueAtPercentile(99))
      .put("p999", histogram.getValueAtPercentile(99.9))
      .put("max", histogram.getMaxValue());
  }

  /** The line scripts/bench.sh reads. */
  static void result(JsonObject result) {
    System.out.println("RESULT " + result.encode());
    System.out.flush();
  }

  /** One asynchronous operation: calls {@code done} once, with true when it succeeded. */
  interface Operation {
    void start(Consumer<Boolean> done);
  }

  /** A closed-loop measurement: completions in the measuring window, their latency, and failures. */
  record Measured(long completed, long failed, double seconds, Histogram latencyMicros, boolean drained,
                  JsonObject warmUp, JsonObject machineCpu) {
    double perSecond() {
      return completed / seconds;
    }

    JsonObject toJson(String scenario) {
      return new JsonObject().put("scenario", scenario).put("completed", completed).put("failed", failed)
        .put("seconds", seconds).put("perSecond", perSecond()).put("latencyUs", percentiles(latencyMicros))
        .put("drained", drained).put("warmUp", warmUp).put("machineCpu", machineCpu);
    }
  }

  /**
   * When a measuring window starts. Without {@code -Dbench.settled=FILE}: after {@code minSeconds}. With
   * it (set by {@code scripts/bench.sh}, whose watcher touches FILE every few seconds while the JIT
   * compilers of every JVM in the measurement have been quiet for 20 s): at the first touch after
   * {@code minSeconds}, or at {@code -Dbench.warmupMax} seconds (default 300) if the compilers never
   * settle. On a machine whose caches are shared with busy neighbours, C2 took 60-90 s to compile the
   * cluster's hot paths and used most of a core until then, so a fixed 40 s warm-up measured the
   * compiler as much as the system (docs/BENCHMARKS.md, 2026-12-02).
   */
  static final class WarmUp {
    private final long startNanos = System.nanoTime();
    private final long minSeconds;
    private final long maxSeconds;
    private final File settled;
    /** Set once, by {@link #begin}: when the window starts and ends (nanoTime), Long.MAX_VALUE before. */
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;
    private volatile boolean settledSeen;

    WarmUp(long minSeconds) {
      this.minSeconds = minSeconds;
      String file = System.getProperty("bench.settled");
      this.settled = file == null || file.isBlank() ? null : new File(file);
      this.maxSeconds = Math.max(minSeconds, Long.getLong("bench.warmupMax", 300));
    }

    /**
     * Starts deciding in the background; {@code seconds} is the measuring window's length. One path for
     * both rules: without a settle file the maximum is the minimum, so the window opens at it.
     */
    void begin(long seconds) {
      Thread decider = new Thread(() -> {
        long minEnd = startNanos + TimeUnit.SECONDS.toNanos(minSeconds);
        long wallMinEnd = System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(minEnd - System.nanoTime());
        long maxEnd = startNanos + TimeUnit.SECONDS.toNanos(maxSeconds());
        try {
          while (true) {
            long now = System.nanoTime();
            boolean fresh = settled != null && now >= minEnd && settled.lastModified() >= wallMinEnd;
            if (fresh || now >= maxEnd) {
              settledSeen = fresh;
              open(now, seconds);
              if (settled != null) {
                progress(String.format("warm-up over after %.0f s (%s)", (now - startNanos) / 1e9,
                  fresh ? "JIT compilers quiet" : "compilers still busy at the maximum"));
              }
              return;
            }
            // a main pacing its own phases: polls the file, or sleeps to the fixed window's start
            Thread.sleep(Math.max(1, Math.min(250, TimeUnit.NANOSECONDS.toMillis((now < minEnd ? minEnd : maxEnd) - now))));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "bench-warm-up");
      decider.setDaemon(true);
      decider.start();
    }

    /** The window opens: the machine's counters are read now, so its cpu split covers the window only. */
    private void open(long start, long seconds) {
      cpuAtStart = MachineCpu.read();
      windowEnd = start + TimeUnit.SECONDS.toNanos(seconds);
      windowStart = start;
    }

    private volatile long[] cpuAtStart;

    /** The machine's cpu split over the window (read when it ended); empty off Linux. */
    JsonObject machine() {
      return MachineCpu.between(cpuAtStart, MachineCpu.read());
    }

    long windowStart() {
      return windowStart;
    }

    long windowEnd() {
      return windowEnd;
    }

    /** The longest a warm-up can last, in seconds. */
    long maxSeconds() {
      return settled == null ? minSeconds : maxSeconds;
    }

    JsonObject toJson() {
      return new JsonObject().put("seconds", Math.round((windowStart - startNanos) / 1e9))
        .put("adaptive", settled != null).put("settled", settledSeen);
    }
  }

  /**
   * The whole machine's cpu time by kind, from the first line of {@code /proc/stat}: on a shared VM the
   * steal (time the host ran someone else) and system time of a window say whether its numbers are the
   * system's or the host's (docs/BENCHMARKS.md, 2026-12-02: the same build 6k or 15k tasks/s).
   */
  static final class MachineCpu {
    private static final String[] KINDS = {"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"};

    private MachineCpu() {
    }

    /** The counters (clock ticks) of {@link #KINDS}, or null when there is no /proc/stat. */
    static long[] read() {
      try {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long[] ticks = new long[KINDS.length];
        for (int i = 0; i < KINDS.length && i + 1 < f.length; i++) {
          ticks[i] = Long.parseLong(f[i + 1]);
        }
        return ticks;
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }

    /** Each kind's share of all the machine's cpu time between two reads, in %; empty if either is null. */
    static JsonObject between(long[] before, long[] after) {
      JsonObject split = new JsonObject();
      if (before == null || after == null) {
        return split;
      }
      long total = 0;
      for (int i = 0; i < KINDS.length; i++) {
        total += after[i] - before[i];
      }
      for (int i = 0; total > 0 && i < KINDS.length; i++) {
        split.put(KINDS[i], Math.round(1000.0 * (after[i] - before[i]) / total) / 10.0);
      }
      return split;
    }
  }

  /**
   * Keeps {@code window} operations in flight: each completion starts the next one, on the thread that
   * completed it, until the measuring window ends. Counts and times (start to completion) the operations
   * that complete inside the measuring window, which begins after the warm-up ({@link WarmUp}: at least
   * {@code warmupSeconds}). Waits at most 30 s after the end for the last operations to complete.
   *
   * @param launcher runs the initial operations where they belong (an event loop, for Vert.x clients)
   */
  static Measured closedLoop(String name, int window, int warmupSeconds, int seconds,
                             Consumer<Runnable> launcher, Operation operation) throws InterruptedException {
    WarmUp warmUp = new WarmUp(warmupSeconds);
    Histogram latency = histogram();
    AtomicLong completed = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    CountDownLatch slots = new CountDownLatch(window);
    progress(name + ": warm-up " + warmupSeconds + " s" + (warmUp.maxSeconds() > warmupSeconds
      ? " or more, until the JIT compilers are quiet (at most " + warmUp.maxSeconds() + " s)" : "")
      + ", then " + seconds + " s measured, " + window + " in flight");
    warmUp.begin(seconds);
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (System.nanoTime() >= warmUp.windowEnd()) {
        slots.countDown();
        return;
      }
      long start = System.nanoTime();
      operation.start(ok -> {
        long now = System.nanoTime();
        if (now >= warmUp.windowStart() && now < warmUp.windowEnd()) {
          if (Boolean.TRUE.equals(ok)) {
            completed.incrementAndGet();
            record(latency, (now - start) / 1_000);
          } else {
            failed.incrementAndGet();
          }
        }
        next[0].run();
      });
    };
    launcher.accept(() -> {
      for (int i = 0; i < window; i++) {
        next[0].run();
      }
    });
    boolean drained = slots.await(TimeUnit.SECONDS.toMillis(warmUp.maxSeconds() + seconds + 30), TimeUnit.MILLISECONDS);
    Measured measured = new Measured(completed.get(), failed.get(), seconds, latency, drained, warmUp.toJson(),
      warmUp.machine());
    progress(String.format("%s: %,.0f per second, p50 %,d us, p99 %,d us, %d failed%s", name, measured.perSecond(),
      latency.getValueAtPercentile(50), latency.getValueAtPercentile(99), failed.get(),
      drained ? "" : ", NOT all operations ended within 30 s of the end"));
    return measured;
  }
}
