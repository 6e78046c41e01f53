package io.mastermind.bench;

import io.mastermind.node.EmbeddedSystems;
import io.mastermind.api.DistributedSystem;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Standalone throughput through the Java API (issue 9: "≥ 20,000 no-op tasks/s via the Java API"): the
 * node embedded in this JVM ({@code EmbeddedSystems.embedded}, all roles, HTTP on a free port), a closed
 * loop of {@code --window} {@code executeTask} calls of the bench's 100-byte echo task, each completion
 * sending the next; {@code --warmup} s not counted, then {@code --seconds} s measured. A main, not a test.
 */
public final class EmbeddedBench {

  private EmbeddedBench() {
  }

  public static void main(String[] args) throws Exception {
    int warmup = BenchSupport.intArg(args, "--warmup", 5);
    int seconds = BenchSupport.intArg(args, "--seconds", 10);
    int window = BenchSupport.intArg(args, "--window", 256);
    JsonObject task = new JsonObject(FrontDoorBench.echoTask(100));
    DistributedSystem system = EmbeddedSystems.embedded(new JsonObject()
      .put("http", new JsonObject().put("port", 0)));
    system.initialize().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    Histogram latency = BenchSupport.histogram();
    AtomicLong completed = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stopping = new AtomicBoolean();
    CountDownLatch drained = new CountDownLatch(window);
    for (int i = 0; i < window; i++) {
      loop(system, task, latency, completed, failed, measuring, stopping, drained);
    }
    BenchSupport.progress("embedded: warm-up " + warmup + " s, then " + seconds + " s measured, " + window + " in flight");
    Thread.sleep(TimeUnit.SECONDS.toMillis(warmup)); // a main pacing its own phases, not a test's synchronisation
    latency.reset();
    completed.set(0);
    measuring.set(true);
    long start = System.nanoTime();
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    long n = completed.get();
    double elapsed = (System.nanoTime() - start) / 1e9;
    measuring.set(false);
    stopping.set(true);
    drained.await(30, TimeUnit.SECONDS);
    JsonObject result = new JsonObject().put("scenario", "embedded").put("completed", n).put("failed", failed.get())
      .put("seconds", elapsed).put("perSecond", n / elapsed).put("latencyUs", BenchSupport.percentiles(latency))
      .put("window", window);
    BenchSupport.progress(String.format("embedded: %,.0f per second, p50 %,d us, p99 %,d us, %d failed", n / elapsed,
      latency.getValueAtPercentile(50), latency.getValueAtPercentile(99), failed.get()));
    System.out.println("RESULT " + result.encode());
    system.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.exit(0);
  }

  private static void loop(DistributedSystem system, JsonObject task, Histogram latency, AtomicLong completed,
                           AtomicLong failed, AtomicBoolean measuring, AtomicBoolean stopping, CountDownLatch drained) {
    if (stopping.get()) {
      drained.countDown();
      return;
    }
    long sent = System.nanoTime();
    system.executeTask(task.copy()).onComplete(ar -> {
      if (measuring.get()) {
        if (ar.succeeded() && "succeeded".equals(ar.result().getString("status"))) {
          completed.incrementAndGet();
          BenchSupport.record(latency, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sent));
        } else {
          failed.incrementAndGet();
        }
      }
      loop(system, task, latency, completed, failed, measuring, stopping, drained);
    });
  }
}
