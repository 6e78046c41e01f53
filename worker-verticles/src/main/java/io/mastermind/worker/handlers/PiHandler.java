package io.mastermind.worker.handlers;

import io.mastermind.protocol.BuiltinFunctions;
import io.mastermind.worker.spi.TaskContext;
import io.mastermind.worker.spi.TaskHandler;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code pi}: a Monte Carlo estimate of pi from {@code samples} random points in the unit square,
 * counting those inside the quarter circle.
 */
public final class PiHandler implements TaskHandler {

  /** Samples between cancellation checks and progress reports: around ten milliseconds of work. */
  private static final long SAMPLES_PER_CHUNK = 1 << 20;

  @Override
  public String function() {
    return "pi";
  }

  @Override
  public Set<String> types() {
    return Set.of("compute");
  }

  @Override
  public Object handle(Object data, TaskContext context) throws Exception {
    JsonObject object = HandlerData.object(data, function());
    long samples = HandlerData.requireLong(object, "samples", 1, BuiltinFunctions.MAX_SAMPLES);

    // A generator of our own: fast, unshared, and not tied to the pool thread the task happens to run on.
    SplittableRandom random = new SplittableRandom();
    long inside = 0;
    long done = 0;
    while (done < samples) {
      context.checkCancelled();
      long chunk = Math.min(SAMPLES_PER_CHUNK, samples - done);
      for (long i = 0; i < chunk; i++) {
        double x = random.nextDouble();
        double y = random.nextDouble();
        if (x * x + y * y <= 1.0) {
          inside++;
        }
      }
      done += chunk;
      context.reportProgress(done / (double) samples);
    }
    return new JsonObject().put("estimate", 4.0 * inside / samples);
  }
}
