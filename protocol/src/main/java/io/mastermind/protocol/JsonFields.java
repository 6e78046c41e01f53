package io.mastermind.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Typed reads of untrusted JSON: each accessor checks the JSON type and throws a
 * {@link ValidationException} naming the field, instead of the ClassCastException JsonObject would.
 */
public final class JsonFields {

  private JsonFields() {
  }

  public static String optString(JsonObject json, String key, String path) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new ValidationException(path, path + " must be a string");
    }
    return s;
  }

  public static String requireString(JsonObject json, String key, String path) {
    String s = optString(json, key, path);
    if (s == null || s.isBlank()) {
      throw new ValidationException(path, path + " is required");
    }
    return s;
  }

  public static JsonObject optObject(JsonObject json, String key, String path) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject o)) {
      throw new ValidationException(path, path + " must be an object");
    }
    return o;
  }

  public static JsonArray optArray(JsonObject json, String key, String path) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray a)) {
      throw new ValidationException(path, path + " must be an array");
    }
    return a;
  }

  public static Boolean optBoolean(JsonObject json, String key, String path) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Boolean b)) {
      throw new ValidationException(path, path + " must be true or false");
    }
    return b;
  }

  public static Double optNumber(JsonObject json, String key, String path) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw new ValidationException(path, path + " must be a number");
    }
    return n.doubleValue();
  }

  /** A whole number within [min, max]; 1.0 counts as whole, 1.5 does not. */
  public static Long optLong(JsonObject json, String key, String path, long min, long max) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    long value = wholeNumber(v, path);
    if (value < min || value > max) {
      throw new ValidationException(path, path + " must be between " + min + " and " + max + " (got " + value + ")");
    }
    return value;
  }

  public static long requireLong(JsonObject json, String key, String path, long min, long max) {
    Long v = optLong(json, key, path, min, max);
    if (v == null) {
      throw new ValidationException(path, path + " is required");
    }
    return v;
  }

  static long wholeNumber(Object v, String path) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 9.0e15) {
        return (long) d;
      }
    }
    throw new ValidationException(path, path + " must be a whole number");
  }
}
