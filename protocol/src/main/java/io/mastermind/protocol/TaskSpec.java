package io.mastermind.protocol;

import io.vertx.core.json.JsonObject;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A task as submitted (SPEC section 3), validated and normalised: enums parsed, defaults filled.
 * Two submissions are "identical" for idempotency when their {@link #toJson()} are equal.
 *
 * @param timeout    ms, or null for none
 * @param data       any JSON value (object, array, string, number, boolean) or null
 */
public record TaskSpec(String id, TaskType type, String function, Object data, Requirements requirements,
                       Priority priority, Long timeout, int maxRetries) {

  public static final int MAX_RETRIES_LIMIT = 100;
  /** The longest {@code timeout} a task may name: 7 days (a coordinator may set a lower {@code scheduler.maxTimeoutMs}). */
  public static final long MAX_TIMEOUT_MS = 7L * 24 * 3600 * 1000;
  /** The longest function name: built-ins and plugin names are short; this keeps a queued task small. */
  public static final int MAX_FUNCTION_LENGTH = 128;
  private static final Pattern FUNCTION = Pattern.compile("[\\p{L}\\p{N}._:/@+-]{1," + MAX_FUNCTION_LENGTH + "}");

  /** True when {@code id} is a task id a client could have submitted (1-128 letters, digits, '.', '_', ':' or '-'). */
  public static boolean isValidId(String id) {
    // a loop, not ID.matcher: every submit and every record read checks an id
    if (id == null || id.isEmpty() || id.length() > 128) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '.' || c == '_' || c == ':' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Validates untrusted JSON; throws {@link ValidationException} naming the first bad field. */
  public static TaskSpec fromJson(JsonObject json) {
    if (json == null) {
      throw new ValidationException("task", "task is required");
    }
    String id = JsonFields.optString(json, "id", "id");
    if (id != null && !isValidId(id)) {
      throw new ValidationException("id", "id must be 1-128 characters of letters, digits, '.', '_', ':' or '-'");
    }
    String typeName = JsonFields.optString(json, "type", "type");
    if (typeName == null) {
      throw new ValidationException("type", "type is required");
    }
    TaskType type = TaskType.parse(typeName, "type");
    JsonObject payload = JsonFields.optObject(json, "payload", "payload");
    if (payload == null) {
      throw new ValidationException("payload", "payload is required");
    }
    String function = JsonFields.requireString(payload, "function", "payload.function");
    if (!FUNCTION.matcher(function).matches()) {
      throw new ValidationException("payload.function", "payload.function must be 1-" + MAX_FUNCTION_LENGTH
        + " letters, digits or '.', '_', ':', '/', '@', '+', '-'");
    }
    Object data = payload.getValue("data");
    Requirements requirements = Requirements.fromJson(JsonFields.optObject(json, "requirements", "requirements"), "requirements");
    String priorityName = JsonFields.optString(json, "priority", "priority");
    Priority priority = priorityName == null ? Priority.NORMAL : Priority.parse(priorityName, "priority");
    Long timeout = JsonFields.optLong(json, "timeout", "timeout", 1, MAX_TIMEOUT_MS);
    Long maxRetries = JsonFields.optLong(json, "maxRetries", "maxRetries", 0, MAX_RETRIES_LIMIT);
    TaskSpec spec = new TaskSpec(id, type, function, data, requirements, priority, timeout,
      maxRetries == null ? 0 : maxRetries.intValue());
    BuiltinFunctions.validate(spec);
    return spec;
  }

  /** This spec with another timeout (the coordinator's {@code scheduler.maxTimeoutMs} for a task without one). */
  public TaskSpec withTimeout(Long timeout) {
    return new TaskSpec(id, type, function, data, requirements, priority, timeout, maxRetries);
  }

  /** This spec with a generated UUID when it has no id. */
  public TaskSpec withGeneratedId() {
    return id != null ? this
      : new TaskSpec(UUID.randomUUID().toString(), type, function, data, requirements, priority, timeout, maxRetries);
  }

  public JsonObject toJson() {
    JsonObject payload = new JsonObject().put("function", function);
    if (data != null) {
      payload.put("data", data);
    }
    JsonObject json = new JsonObject()
      .put("type", type.wireName())
      .put("payload", payload)
      .put("requirements", requirements.toJson())
      .put("priority", priority.wireName())
      .put("maxRetries", maxRetries);
    if (id != null) {
      json.put("id", id);
    }
    if (timeout != null) {
      json.put("timeout", timeout);
    }
    return json;
  }
}
