package io.mastermind.gateway.nexus;

import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.TaskError;
import io.mastermind.protocol.TaskStatus;
import io.vertx.core.json.JsonObject;

/**
 * The answer to a {@link NexusTask} (SPEC section 8):
 * {@code {"requestId","system","status":"success"|"error","taskId","result"?,"error"?,"durationMs"}}.
 *
 * @param taskId     the task's id; for a refused task, the id it named (or null): nothing was created
 * @param result     the task's result, when it succeeded
 * @param error      {@code {"code","message"}}, when it did not
 * @param durationMs from receiving the NexusTask to answering it
 * @param refusal    null when the task ran (whatever its outcome); the code when it was refused at the
 *                   door ({@code INVALID_FIELD}, {@code UNKNOWN_FUNCTION}, {@code QUEUE_FULL}, ...), which
 *                   the HTTP door answers as that code's status
 * @param field      the offending field of a refused NexusTask ({@code task.payload.data.upTo}), or null
 */
public record NexusResponse(String requestId, boolean success, String taskId, Object result, TaskError error,
                            long durationMs, ErrorCode refusal, String field) {

  public static final String SUCCESS = "success";
  public static final String ERROR = "error";

  /**
   * From the task's status record as it is when the wait ended: a succeeded task is a success; one
   * that failed, timed out or was cancelled an error carrying its error; one still going an error
   * saying so (the task goes on, and its id lets the caller follow it).
   */
  public static NexusResponse of(String requestId, JsonObject record, long waitedMs, long durationMs) {
    String taskId = record.getString("id");
    TaskStatus status = TaskStatus.parse(record.getString("status"), "status");
    if (status == TaskStatus.SUCCEEDED) {
      return new NexusResponse(requestId, true, taskId, record.getValue("result"), null, durationMs, null, null);
    }
    TaskError error = status.isTerminal()
      ? orDefault(TaskError.fromJson(record.getJsonObject("error")), status)
      : TaskError.of(ErrorCode.TIMEOUT, "the task did not end within " + waitedMs + " ms (it is " + status.wireName()
        + "); follow it at /api/v1/tasks/" + taskId);
    return new NexusResponse(requestId, false, taskId, null, error, durationMs, null, null);
  }

  /** A task refused before it was created (e.g. {@code QUEUE_FULL}): status error with that code. */
  public static NexusResponse refused(String requestId, String taskId, ErrorCode code, String message, long durationMs) {
    return refused(requestId, taskId, code, message, null, durationMs);
  }

  /** A refused NexusTask naming its bad field. */
  public static NexusResponse refused(String requestId, String taskId, ErrorCode code, String message, String field,
                                     long durationMs) {
    return new NexusResponse(requestId, false, taskId, null, TaskError.of(code, message), durationMs, code, field);
  }

  /**
   * A refusal at the HTTP door before the NexusTask was read (401, 405, 413, 415, ...): status error with
   * {@code error} as the API's error object ({@code {"code","message","field"?}}).
   */
  public static JsonObject refusedJson(String requestId, JsonObject error) {
    return new JsonObject()
      .put("requestId", requestId)
      .put("system", NexusTask.SYSTEM)
      .put("status", ERROR)
      .put("taskId", null)
      .put("error", error)
      .put("durationMs", 0L);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("requestId", requestId)
      .put("system", NexusTask.SYSTEM)
      .put("status", success ? SUCCESS : ERROR)
      .put("taskId", taskId);
    if (success) {
      json.put("result", result);
    } else {
      JsonObject errorJson = error.toJson();
      if (field != null) {
        errorJson.put("field", field);
      }
      json.put("error", errorJson);
    }
    return json.put("durationMs", durationMs);
  }

  private static TaskError orDefault(TaskError error, TaskStatus status) {
    if (error != null) {
      return error;
    }
    ErrorCode code = switch (status) {
      case TIMED_OUT -> ErrorCode.TIMEOUT;
      case CANCELLED -> ErrorCode.CANCELLED;
      default -> ErrorCode.HANDLER_ERROR;
    };
    return TaskError.of(code, "the task ended " + status.wireName());
  }
}
