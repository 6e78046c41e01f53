package io.mastermind.worker.handlers;

import io.mastermind.protocol.BuiltinFunctions;
import io.mastermind.worker.spi.TaskContext;
import io.mastermind.worker.spi.TaskFailure;
import io.mastermind.worker.spi.TaskHandler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * {@code linear-regression}: fits {@code y ~ w . x + b} by batch gradient descent on the mean squared
 * error, starting from zero weights and bias, for {@code epochs} full passes over the data.
 */
public final class LinearRegressionHandler implements TaskHandler {

  private static final long DEFAULT_EPOCHS = 100;
  private static final double DEFAULT_LEARNING_RATE = 0.01;

  @Override
  public String function() {
    return "linear-regression";
  }

  @Override
  public Set<String> types() {
    return Set.of("ml_training");
  }

  @Override
  public Object handle(Object data, TaskContext context) throws Exception {
    JsonObject object = HandlerData.object(data, function());
    double[][] x = features(object);
    double[] y = HandlerData.doubles(HandlerData.requireArray(object, "y"), HandlerData.path("y"));
    if (y.length != x.length) {
      throw TaskFailure.invalidData("payload.data.y must have one value per row of x (" + x.length + ")");
    }
    long epochs = HandlerData.optLong(object, "epochs", 1, BuiltinFunctions.MAX_EPOCHS, DEFAULT_EPOCHS);
    double learningRate = HandlerData.optNumber(object, "learningRate", DEFAULT_LEARNING_RATE);
    if (learningRate <= 0) {
      throw TaskFailure.invalidData("payload.data.learningRate must be > 0");
    }

    Model model = new Model(x[0].length);
    for (long epoch = 0; epoch < epochs; epoch++) {
      model.step(x, y, learningRate);
      // A too-large learning rate makes the weights overflow; stop at once rather than run on with NaN.
      if (!model.isFinite()) {
        throw TaskFailure.invalidData("payload.data.learningRate " + learningRate + " is too large: training diverged");
      }
      context.reportProgress((epoch + 1) / (double) epochs);
      context.checkCancelled();
    }
    double loss = model.meanSquaredError(x, y);
    if (!Double.isFinite(loss)) {
      throw TaskFailure.invalidData("payload.data values are too large: the loss overflows");
    }
    return new JsonObject()
      .put("weights", JsonArray.of((Object[]) boxed(model.weights)))
      .put("bias", model.bias)
      .put("loss", loss);
  }

  /** The rows of {@code x}: non-empty, all as wide as the first, all finite numbers. */
  private static double[][] features(JsonObject object) throws TaskFailure {
    JsonArray rows = HandlerData.requireArray(object, "x");
    if (rows.isEmpty()) {
      throw TaskFailure.invalidData("payload.data.x must be a non-empty array of rows");
    }
    double[][] x = new double[rows.size()][];
    for (int i = 0; i < x.length; i++) {
      String rowPath = "payload.data.x[" + i + "]";
      if (!(rows.getValue(i) instanceof JsonArray row) || row.isEmpty()) {
        throw TaskFailure.invalidData(rowPath + " must be a non-empty array of numbers");
      }
      if (i > 0 && row.size() != x[0].length) {
        throw TaskFailure.invalidData(rowPath + " must have " + x[0].length + " features like the first row");
      }
      x[i] = HandlerData.doubles(row, rowPath);
    }
    return x;
  }

  private static Double[] boxed(double[] values) {
    Double[] boxed = new Double[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return boxed;
  }

  /** The weights and bias being trained. */
  private static final class Model {

    final double[] weights;
    double bias;

    Model(int features) {
      weights = new double[features];
    }

    double predict(double[] row) {
      double sum = bias;
      for (int j = 0; j < weights.length; j++) {
        sum += weights[j] * row[j];
      }
      return sum;
    }

    /** One gradient step on MSE = mean((prediction - y)^2), whose gradient carries a factor 2/n. */
    void step(double[][] x, double[] y, double learningRate) {
      double[] weightGradient = new double[weights.length];
      double biasGradient = 0;
      for (int i = 0; i < x.length; i++) {
        double error = predict(x[i]) - y[i];
        for (int j = 0; j < weights.length; j++) {
          weightGradient[j] += error * x[i][j];
        }
        biasGradient += error;
      }
      double scale = 2.0 / x.length;
      for (int j = 0; j < weights.length; j++) {
        weights[j] -= learningRate * scale * weightGradient[j];
      }
      bias -= learningRate * scale * biasGradient;
    }

    double meanSquaredError(double[][] x, double[] y) {
      double sum = 0;
      for (int i = 0; i < x.length; i++) {
        double error = predict(x[i]) - y[i];
        sum += error * error;
      }
      return sum / x.length;
    }

    boolean isFinite() {
      if (!Double.isFinite(bias)) {
        return false;
      }
      for (double w : weights) {
        if (!Double.isFinite(w)) {
          return false;
        }
      }
      return true;
    }
  }
}
