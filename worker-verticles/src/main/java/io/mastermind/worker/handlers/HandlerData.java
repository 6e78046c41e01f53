package io.mastermind.worker.handlers;

import io.mastermind.protocol.JsonFields;
import io.mastermind.protocol.ValidationException;
import io.mastermind.worker.spi.TaskFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Typed reads of a task's {@code payload.data} for the built-in handlers. Reuses the gateway's
 * {@link JsonFields} checks so the messages match a submission-time 400, but reports failures as
 * non-retryable {@link TaskFailure#INVALID_DATA}, since data can reach a worker without passing the gateway.
 */
final class HandlerData {

  private HandlerData() {
  }

  /** The data as an object; absent data reads as an empty object, as the gateway treats it. */
  static JsonObject object(Object data, String function) throws TaskFailure {
    if (data == null) {
      return new JsonObject();
    }
    if (!(data instanceof JsonObject object)) {
      throw TaskFailure.invalidData("payload.data must be an object for " + function);
    }
    return object;
  }

  static long requireLong(JsonObject data, String key, long min, long max) throws TaskFailure {
    try {
      return JsonFields.requireLong(data, key, path(key), min, max);
    } catch (ValidationException e) {
      throw TaskFailure.invalidData(e.getMessage());
    }
  }

  static long optLong(JsonObject data, String key, long min, long max, long defaultValue) throws TaskFailure {
    try {
      Long value = JsonFields.optLong(data, key, path(key), min, max);
      return value == null ? defaultValue : value;
    } catch (ValidationException e) {
      throw TaskFailure.invalidData(e.getMessage());
    }
  }

  static String optString(JsonObject data, String key, String defaultValue) throws TaskFailure {
    try {
      String value = JsonFields.optString(data, key, path(key));
      return value == null ? defaultValue : value;
    } catch (ValidationException e) {
      throw TaskFailure.invalidData(e.getMessage());
    }
  }

  /** A string that must be present; the empty string is allowed. */
  static String requireString(JsonObject data, String key) throws TaskFailure {
    String value = optString(data, key, null);
    if (value == null) {
      throw TaskFailure.invalidData(path(key) + " is required");
    }
    return value;
  }

  /** A finite number, or the default when absent. */
  static double optNumber(JsonObject data, String key, double defaultValue) throws TaskFailure {
    try {
      Double value = JsonFields.optNumber(data, key, path(key));
      return value == null ? defaultValue : value;
    } catch (ValidationException e) {
      throw TaskFailure.invalidData(e.getMessage());
    }
  }

  static JsonArray requireArray(JsonObject data, String key) throws TaskFailure {
    JsonArray array;
    try {
      array = JsonFields.optArray(data, key, path(key));
    } catch (ValidationException e) {
      throw TaskFailure.invalidData(e.getMessage());
    }
    if (array == null) {
      throw TaskFailure.invalidData(path(key) + " is required");
    }
    return array;
  }

  /** The array's elements as finite numbers, in their original JSON types. */
  static Number[] numbers(JsonArray array, String path) throws TaskFailure {
    Number[] numbers = new Number[array.size()];
    for (int i = 0; i < numbers.length; i++) {
      if (!(array.getValue(i) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
        throw TaskFailure.invalidData(path + "[" + i + "] must be a number");
      }
      numbers[i] = n;
    }
    return numbers;
  }

  /** The array's elements as finite doubles. */
  static double[] doubles(JsonArray array, String path) throws TaskFailure {
    Number[] numbers = numbers(array, path);
    double[] doubles = new double[numbers.length];
    for (int i = 0; i < doubles.length; i++) {
      doubles[i] = numbers[i].doubleValue();
    }
    return doubles;
  }

  static String path(String key) {
    return "payload.data." + key;
  }
}
