package io.mastermind.api;

import io.mastermind.protocol.Priority;
import io.mastermind.protocol.TaskError;
import io.mastermind.protocol.TaskStatus;
import io.mastermind.protocol.TaskType;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * A task's status record (SPEC section 5) as typed values: what {@code GET /api/v1/tasks/{id}},
 * {@link TaskHandle#result()} and the terminal events carry. {@link #json()} is the record as the
 * system sent it, for fields this view does not type (e.g. {@code blockedBy}).
 *
 * @param result the function's result when {@code status} is {@code succeeded} (a JSON value), else null
 */
public record StatusRecord(String id, TaskType type, String function, Priority priority, TaskStatus status,
                           String node, int attempts, int retries, int maxRetries, double progress,
                           long submittedAt, Long startedAt, Long finishedAt, Object result, TaskError error,
                           String reason, JsonObject json) {

  /** Reads a status record; an unknown type, priority or status fails with {@code IllegalArgumentException}. */
  public static StatusRecord of(JsonObject record) {
    return new StatusRecord(record.getString("id"),
      TaskType.parse(record.getString("type"), "type"),
      record.getString("function"),
      Priority.parse(record.getString("priority"), "priority"),
      TaskStatus.parse(record.getString("status"), "status"),
      record.getString("node"),
      record.getInteger("attempts", 0),
      record.getInteger("retries", 0),
      record.getInteger("maxRetries", 0),
      record.getDouble("progress", 0.0),
      record.getLong("submittedAt", 0L),
      record.getLong("startedAt"),
      record.getLong("finishedAt"),
      record.getValue("result"),
      TaskError.fromJson(record.getJsonObject("error")),
      record.getString("reason"),
      record.copy());
  }

  /** Whether the task has ended (succeeded, failed, timed out or cancelled). */
  public boolean ended() {
    return status.isTerminal();
  }

  public boolean succeeded() {
    return status == TaskStatus.SUCCEEDED;
  }

  /** The error of a task that failed or timed out. */
  public Optional<TaskError> failure() {
    return Optional.ofNullable(error);
  }

  /** The record as sent. */
  @Override
  public JsonObject json() {
    return json.copy();
  }
}
