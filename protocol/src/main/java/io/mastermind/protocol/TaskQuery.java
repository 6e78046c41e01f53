package io.mastermind.protocol;

import io.vertx.core.json.JsonObject;

/**
 * The filter of a task listing ({@code GET /api/v1/tasks?status=&type=&limit=&after=}, the Java API's
 * {@code list(query)}), validated once for every front door: what the coordinator's list address takes.
 */
public final class TaskQuery {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  private TaskQuery() {
  }

  /**
   * Each argument may be null or empty (no filter, the default limit).
   *
   * @throws ValidationException naming the bad parameter
   */
  public static JsonObject filter(String status, String type, Long limit, String after) {
    JsonObject filter = new JsonObject();
    if (status != null && !status.isEmpty()) {
      filter.put("status", TaskStatus.parse(status, "status").wireName());
    }
    if (type != null && !type.isEmpty()) {
      filter.put("type", TaskType.parse(type, "type").wireName());
    }
    if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
      throw new ValidationException("limit", "limit must be a whole number between 1 and " + MAX_LIMIT + " (got " + limit + ")");
    }
    filter.put("limit", limit == null ? DEFAULT_LIMIT : limit.intValue());
    if (after != null && !after.isEmpty()) {
      if (!after.matches("\\d{1,18}")) {
        throw new ValidationException("after", "after must be the next cursor of a previous page");
      }
      filter.put("after", after);
    }
    return filter;
  }

  /** The same from a JSON query with those keys ({@code limit} a number or a numeric string). */
  public static JsonObject filter(JsonObject query) {
    Object limit = query.getValue("limit");
    Long parsed;
    if (limit == null) {
      parsed = null;
    } else if (limit instanceof Number n) {
      parsed = n.longValue();
    } else {
      try {
        parsed = Long.parseLong(String.valueOf(limit).trim());
      } catch (NumberFormatException e) {
        throw new ValidationException("limit", "limit must be a whole number between 1 and " + MAX_LIMIT + " (got " + limit + ")");
      }
    }
    return filter(text(query, "status"), text(query, "type"), parsed, text(query, "after"));
  }

  private static String text(JsonObject query, String key) {
    Object value = query.getValue(key);
    return value == null ? null : String.valueOf(value);
  }
}
