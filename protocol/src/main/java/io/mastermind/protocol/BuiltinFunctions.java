package io.mastermind.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The built-in functions of SPEC section 4: which task type each serves and what its data must look
 * like. The gateway checks a built-in's data here so bad data is a 400 at submission rather than a
 * failed task; functions added through the worker SPI are checked by their handler at run time.
 */
public final class BuiltinFunctions {

  /** A handler serving this pseudo-type serves every task type. */
  public static final String ANY_TYPE = "*";

  public static final long MAX_PRIMES_UP_TO = 2_000_000_000L;
  public static final long MAX_SAMPLES = 10_000_000_000L;
  public static final long MAX_ROUNDS = 100_000_000L;
  public static final long MAX_SLEEP_MS = 7L * 24 * 3600 * 1000;
  public static final long MAX_EPOCHS = 10_000_000L;

  private record Builtin(String type, Consumer<JsonObject> dataCheck) {
  }

  private static final Map<String, Builtin> BUILTINS = Map.of(
    "primes", new Builtin("compute", d -> JsonFields.requireLong(d, "upTo", "payload.data.upTo", 0, MAX_PRIMES_UP_TO)),
    "sha256", new Builtin("compute", d -> {
      requireText(d);
      JsonFields.optLong(d, "rounds", "payload.data.rounds", 1, MAX_ROUNDS);
    }),
    "pi", new Builtin("compute", d -> JsonFields.requireLong(d, "samples", "payload.data.samples", 1, MAX_SAMPLES)),
    "sleep", new Builtin("io_bound", d -> JsonFields.requireLong(d, "ms", "payload.data.ms", 0, MAX_SLEEP_MS)),
    "wordcount", new Builtin("data_processing", BuiltinFunctions::requireText),
    "stats", new Builtin("data_processing", d -> {
      if (requireNumbers(d, "values").isEmpty()) {
        throw new ValidationException("payload.data.values", "payload.data.values must not be empty");
      }
    }),
    "sort", new Builtin("data_processing", d -> {
      requireNumbers(d, "values");
      String order = JsonFields.optString(d, "order", "payload.data.order");
      if (order != null && !order.equalsIgnoreCase("asc") && !order.equalsIgnoreCase("desc")) {
        throw new ValidationException("payload.data.order", "payload.data.order must be asc or desc");
      }
    }),
    "linear-regression", new Builtin("ml_training", BuiltinFunctions::checkRegression),
    "echo", new Builtin(ANY_TYPE, null),
    "fail", new Builtin(ANY_TYPE, d -> JsonFields.optString(d, "message", "payload.data.message")));

  private BuiltinFunctions() {
  }

  public static Set<String> names() {
    return BUILTINS.keySet();
  }

  /** The task type a built-in serves ({@link #ANY_TYPE} for all), or null when not a built-in. */
  public static String typeOf(String function) {
    Builtin builtin = BUILTINS.get(function);
    return builtin == null ? null : builtin.type();
  }

  /**
   * Checks a built-in's data; a function that is not built in passes (its handler checks at run time).
   * Whether the task's type is served is the coordinator's question: it asks the nodes' declared
   * functions, since a plugin may serve a built-in name for more types.
   */
  static void validate(TaskSpec spec) {
    Builtin builtin = BUILTINS.get(spec.function());
    if (builtin == null || builtin.dataCheck() == null) {
      return;
    }
    Object data = spec.data();
    if (data == null) {
      data = new JsonObject();
    }
    if (!(data instanceof JsonObject object)) {
      throw new ValidationException("payload.data", "payload.data must be an object for " + spec.function());
    }
    builtin.dataCheck().accept(object);
  }

  private static void requireText(JsonObject d) {
    if (JsonFields.optString(d, "text", "payload.data.text") == null) {
      throw new ValidationException("payload.data.text", "payload.data.text is required");
    }
  }

  private static JsonArray requireNumbers(JsonObject d, String key) {
    String path = "payload.data." + key;
    JsonArray values = JsonFields.optArray(d, key, path);
    if (values == null) {
      throw new ValidationException(path, path + " is required");
    }
    checkNumbers(values, path);
    return values;
  }

  private static void checkNumbers(JsonArray values, String path) {
    for (int i = 0; i < values.size(); i++) {
      if (!(values.getValue(i) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
        throw new ValidationException(path + "[" + i + "]", path + "[" + i + "] must be a number");
      }
    }
  }

  private static void checkRegression(JsonObject d) {
    JsonArray x = JsonFields.optArray(d, "x", "payload.data.x");
    if (x == null || x.isEmpty()) {
      throw new ValidationException("payload.data.x", "payload.data.x must be a non-empty array of rows");
    }
    int width = -1;
    for (int i = 0; i < x.size(); i++) {
      String rowPath = "payload.data.x[" + i + "]";
      if (!(x.getValue(i) instanceof JsonArray row) || row.isEmpty()) {
        throw new ValidationException(rowPath, rowPath + " must be a non-empty array of numbers");
      }
      if (width >= 0 && row.size() != width) {
        throw new ValidationException(rowPath, rowPath + " must have " + width + " features like the first row");
      }
      width = row.size();
      checkNumbers(row, rowPath);
    }
    JsonArray y = requireNumbers(d, "y");
    if (y.size() != x.size()) {
      throw new ValidationException("payload.data.y", "payload.data.y must have one value per row of x (" + x.size() + ")");
    }
    JsonFields.optLong(d, "epochs", "payload.data.epochs", 1, MAX_EPOCHS);
    Double rate = JsonFields.optNumber(d, "learningRate", "payload.data.learningRate");
    if (rate != null && rate <= 0) {
      throw new ValidationException("payload.data.learningRate", "payload.data.learningRate must be > 0");
    }
  }
}
