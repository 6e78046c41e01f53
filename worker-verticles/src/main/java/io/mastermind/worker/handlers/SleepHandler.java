package io.mastermind.worker.handlers;

import io.mastermind.protocol.BuiltinFunctions;
import io.mastermind.worker.spi.TaskContext;
import io.mastermind.worker.spi.TaskHandler;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code sleep}: blocks for {@code ms} milliseconds, standing in for I/O-bound work. Sleeps in short
 * slices so a cancel that only sets the context's flag (without interrupting) is still seen promptly;
 * an interrupt ends the current slice at once with {@link InterruptedException}.
 */
public final class SleepHandler implements TaskHandler {

  private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /** Progress is reported at most this often, i.e. about ten times a second. */
  private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  @Override
  public String function() {
    return "sleep";
  }

  @Override
  public Set<String> types() {
    return Set.of("io_bound");
  }

  @Override
  public Object handle(Object data, TaskContext context) throws Exception {
    JsonObject object = HandlerData.object(data, function());
    long ms = HandlerData.requireLong(object, "ms", 0, BuiltinFunctions.MAX_SLEEP_MS);

    long total = TimeUnit.MILLISECONDS.toNanos(ms);
    long start = System.nanoTime();
    long lastReport = start;
    long elapsed = 0;
    while (elapsed < total) {
      context.checkCancelled();
      TimeUnit.NANOSECONDS.sleep(Math.min(SLICE_NANOS, total - elapsed));
      long now = System.nanoTime();
      elapsed = now - start;
      if (now - lastReport >= PROGRESS_INTERVAL_NANOS) {
        context.reportProgress(Math.min(1.0, elapsed / (double) total));
        lastReport = now;
      }
    }
    return new JsonObject().put("sleptMs", ms);
  }
}
