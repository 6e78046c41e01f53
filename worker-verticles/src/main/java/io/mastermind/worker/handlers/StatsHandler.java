package io.mastermind.worker.handlers;

import io.mastermind.worker.spi.TaskContext;
import io.mastermind.worker.spi.TaskFailure;
import io.mastermind.worker.spi.TaskHandler;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * {@code stats}: count, sum, mean, min, max and population standard deviation of {@code values}.
 * The deviation is computed in a second pass around the mean, which avoids the cancellation error of
 * the one-pass sum-of-squares formula.
 */
public final class StatsHandler implements TaskHandler {

  @Override
  public String function() {
    return "stats";
  }

  @Override
  public Set<String> types() {
    return Set.of("data_processing");
  }

  @Override
  public Object handle(Object data, TaskContext context) throws Exception {
    JsonObject object = HandlerData.object(data, function());
    double[] values = HandlerData.doubles(HandlerData.requireArray(object, "values"), HandlerData.path("values"));
    if (values.length == 0) {
      throw TaskFailure.invalidData("payload.data.values must not be empty");
    }

    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double mean = sum / values.length;
    double squaredDeviations = 0;
    for (double v : values) {
      squaredDeviations += (v - mean) * (v - mean);
    }
    double stddev = Math.sqrt(squaredDeviations / values.length);
    // JSON has no Infinity; finite inputs can still overflow a double when summed or squared.
    if (!Double.isFinite(sum) || !Double.isFinite(stddev)) {
      throw TaskFailure.invalidData("payload.data.values are too large to summarise as doubles");
    }
    return new JsonObject()
      .put("count", values.length)
      .put("sum", sum)
      .put("mean", mean)
      .put("min", min)
      .put("max", max)
      .put("stddev", stddev);
  }
}
