package io.mastermind.gateway.nexus;

import io.mastermind.protocol.JsonFields;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.protocol.ValidationException;
import io.vertx.core.json.JsonObject;

/**
 * A request from the Central Nexus (SPEC section 8):
 * {@code {"requestId","system":"distributed_computing","action":"execute","task":{...}}}.
 *
 * @param task the task as sent (submitted as is, like {@code POST /api/v1/tasks})
 * @param spec the same, validated
 */
public record NexusTask(String requestId, JsonObject task, TaskSpec spec) {

  /** The one system this platform is to the Nexus; also the name it registers under. */
  public static final String SYSTEM = "distributed_computing";
  /** The one action it performs. */
  public static final String ACTION_EXECUTE = "execute";
  public static final int MAX_REQUEST_ID_LENGTH = 256;

  /** Validates untrusted JSON; throws {@link ValidationException} naming the first bad field. */
  public static NexusTask fromJson(JsonObject json) {
    if (json == null) {
      throw new ValidationException("requestId", "a NexusTask object is required");
    }
    String requestId = JsonFields.requireString(json, "requestId", "requestId");
    if (requestId.length() > MAX_REQUEST_ID_LENGTH) {
      throw new ValidationException("requestId", "requestId must be at most " + MAX_REQUEST_ID_LENGTH + " characters");
    }
    expect(json, "system", SYSTEM);
    expect(json, "action", ACTION_EXECUTE);
    JsonObject task = JsonFields.optObject(json, "task", "task");
    if (task == null) {
      throw new ValidationException("task", "task is required");
    }
    try {
      return new NexusTask(requestId, task, TaskSpec.fromJson(task));
    } catch (ValidationException e) {
      // name the field from the NexusTask's root: task.payload.data.upTo
      String message = e.getMessage() != null && e.getMessage().startsWith(e.field())
        ? "task." + e.getMessage() : "task: " + e.getMessage();
      throw new ValidationException("task." + e.field(), message);
    }
  }

  /** The {@code requestId} of a body, when it has a usable one (to answer even a refused NexusTask by it). */
  public static String requestIdOf(JsonObject json) {
    return json != null && json.getValue("requestId") instanceof String id && !id.isBlank()
      && id.length() <= MAX_REQUEST_ID_LENGTH ? id : null;
  }

  private static void expect(JsonObject json, String key, String wanted) {
    String value = JsonFields.requireString(json, key, key);
    if (!wanted.equals(value)) {
      throw new ValidationException(key, key + " must be \"" + wanted + "\" (got \"" + value + "\")");
    }
  }
}
