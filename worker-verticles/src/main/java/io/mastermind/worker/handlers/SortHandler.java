package io.mastermind.worker.handlers;

import io.mastermind.worker.spi.TaskContext;
import io.mastermind.worker.spi.TaskFailure;
import io.mastermind.worker.spi.TaskHandler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;

/**
 * {@code sort}: sorts {@code values} ascending, or descending when {@code order} is {@code desc}
 * (any case). The original number objects are moved, not converted, so integers stay integers.
 */
public final class SortHandler implements TaskHandler {

  /**
   * Orders numbers by exact value. Comparing everything as doubles would round longs above 2^53 and can
   * break the comparator contract when longs and doubles are mixed, so mixed pairs compare as BigDecimal.
   */
  private static final Comparator<Number> BY_VALUE = SortHandler::compareExactly;

  @Override
  public String function() {
    return "sort";
  }

  @Override
  public Set<String> types() {
    return Set.of("data_processing");
  }

  @Override
  public Object handle(Object data, TaskContext context) throws Exception {
    JsonObject object = HandlerData.object(data, function());
    Number[] values = HandlerData.numbers(HandlerData.requireArray(object, "values"), HandlerData.path("values"));
    String order = HandlerData.optString(object, "order", "asc");
    Comparator<Number> comparator;
    if (order.equalsIgnoreCase("asc")) {
      comparator = BY_VALUE;
    } else if (order.equalsIgnoreCase("desc")) {
      comparator = BY_VALUE.reversed();
    } else {
      throw TaskFailure.invalidData("payload.data.order must be asc or desc");
    }
    Arrays.sort(values, comparator);
    return new JsonObject().put("values", new JsonArray(Arrays.asList((Object[]) values)));
  }

  private static int compareExactly(Number a, Number b) {
    if (isSmallInteger(a) && isSmallInteger(b)) {
      return Long.compare(a.longValue(), b.longValue());
    }
    if (isFloatingPoint(a) && isFloatingPoint(b)) {
      // Not Double.compare: that orders -0.0 before 0.0, while the BigDecimal path below makes both
      // equal to the integer 0, and the two views must agree for the sort to be consistent.
      double x = a.doubleValue();
      double y = b.doubleValue();
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    return toBigDecimal(a).compareTo(toBigDecimal(b));
  }

  private static boolean isSmallInteger(Number n) {
    return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
  }

  private static boolean isFloatingPoint(Number n) {
    return n instanceof Double || n instanceof Float;
  }

  private static BigDecimal toBigDecimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (isSmallInteger(n)) {
      return BigDecimal.valueOf(n.longValue());
    }
    // new BigDecimal(double) is exact, unlike BigDecimal.valueOf(double), which goes through a string.
    return new BigDecimal(n.doubleValue());
  }
}
