package io.mastermind.gateway;

import io.mastermind.protocol.ValidationException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a decoded JSON value against {@link InputLimits} before anything reads it: nesting depth,
 * string and key length, and numbers (finite, integers within a {@code long}). Bodies are already
 * bounded in bytes by {@code http.bodyLimit}; this bounds their shape, so that a 10 MiB body of
 * {@code [[[[...]]]]} or a number like {@code 1e400} (which decodes to Infinity) never reaches a
 * handler, the store or an encoder.
 *
 * <p>Implementation notes: the walk is iterative (a stack of iterators, one per open container), so a
 * deep document cannot overflow the thread's stack, and it stops at the first violation. The path of
 * the offending value ({@code payload.data.values[3]}) is only built when there is one.
 */
public final class JsonBounds {

  /** A document nested deeper than allowed: bad JSON as a whole, not one field. */
  public static final class TooDeep extends DecodeException {
    TooDeep(String message) {
      super(message);
    }
  }

  private final int maxDepth;
  private final int maxStringLength;

  public JsonBounds(InputLimits limits) {
    this.maxDepth = limits.getMaxJsonDepth();
    this.maxStringLength = limits.getMaxStringLength();
  }

  /** One open container: what is left of it, and the key or index of the value being looked at. */
  private static final class Level {
    final Iterator<?> rest;
    final boolean object;
    Object key;
    int index = -1;

    Level(Iterator<?> rest, boolean object) {
      this.rest = rest;
      this.object = object;
    }
  }

  /**
   * Throws {@link TooDeep} past the depth, or a {@link ValidationException} naming the path of the
   * first string, key or number out of bounds.
   */
  public void check(Object root) {
    Deque<Level> open = new ArrayDeque<>();
    visit(root, open);
    while (!open.isEmpty()) {
      Level level = open.peek();
      if (!level.rest.hasNext()) {
        open.pop();
        continue;
      }
      Object next = level.rest.next();
      Object value;
      if (level.object) {
        Map.Entry<?, ?> entry = (Map.Entry<?, ?>) next;
        String key = String.valueOf(entry.getKey());
        level.key = key;
        if (key.length() > InputLimits.MAX_KEY_LENGTH) {
          level.key = key.substring(0, 32) + "…";
          String at = path(open);
          throw new ValidationException(at, "the key " + at + " is longer than " + InputLimits.MAX_KEY_LENGTH + " characters");
        }
        value = entry.getValue();
      } else {
        level.index++;
        value = next;
      }
      visit(value, open);
    }
  }

  /** Opens a container (one level deeper) or checks a scalar where it stands. */
  private void visit(Object value, Deque<Level> open) {
    Level container = open(value);
    if (container == null) {
      checkScalar(value, open);
      return;
    }
    if (open.size() >= maxDepth) {
      throw new TooDeep("JSON is nested deeper than " + maxDepth + " levels (http.limits.maxJsonDepth)");
    }
    open.push(container);
  }

  private static Level open(Object value) {
    if (value instanceof JsonObject object) {
      return new Level(object.getMap().entrySet().iterator(), true);
    }
    if (value instanceof Map<?, ?> map) {
      return new Level(map.entrySet().iterator(), true);
    }
    if (value instanceof JsonArray array) {
      return new Level(array.getList().iterator(), false);
    }
    if (value instanceof List<?> list) {
      return new Level(list.iterator(), false);
    }
    return null;
  }

  private void checkScalar(Object value, Deque<Level> open) {
    if (value instanceof String text) {
      if (text.length() > maxStringLength) {
        String at = path(open);
        throw new ValidationException(at, at + " is longer than " + maxStringLength + " characters (http.limits.maxStringLength)");
      }
    } else if (value instanceof Double || value instanceof Float) {
      if (!Double.isFinite(((Number) value).doubleValue())) {
        String at = path(open);
        throw new ValidationException(at, at + " is a number too large for a double");
      }
    } else if (value instanceof BigInteger big) {
      if (big.bitLength() > 63) {
        String at = path(open);
        throw new ValidationException(at, at + " must be a whole number between -2^63 and 2^63-1 or a decimal");
      }
    } else if (value instanceof BigDecimal decimal) {
      if (!Double.isFinite(decimal.doubleValue())) {
        String at = path(open);
        throw new ValidationException(at, at + " is a number too large for a double");
      }
    }
  }

  /** The dotted path of the value being looked at: {@code payload.data.values[3]}; "body" at the root. */
  private static String path(Deque<Level> open) {
    if (open.isEmpty()) {
      return "body";
    }
    StringBuilder path = new StringBuilder();
    for (Iterator<Level> it = open.descendingIterator(); it.hasNext(); ) {
      Level level = it.next();
      if (level.object) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(level.key);
      } else {
        path.append('[').append(level.index).append(']');
      }
    }
    return path.isEmpty() ? "body" : path.toString();
  }
}
