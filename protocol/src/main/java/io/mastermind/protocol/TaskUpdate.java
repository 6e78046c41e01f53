package io.mastermind.protocol;

import io.vertx.core.json.JsonObject;

/**
 * What a worker reports about one attempt of one task, inside a {@link ResultBatch}.
 *
 * <p>{@code status} is {@code running} (sent only for tasks still running a few ms after they
 * started), {@code progress}, or an outcome: {@code succeeded}, {@code failed}, {@code timed_out},
 * {@code cancelled}. An outcome carries {@code startedAt} (the worker's clock), so a task that ended
 * before its {@code running} was sent still has a start time. Outcomes are resent until the leader
 * acknowledges or refuses them ({@link ResultAck}); running and progress are never resent.
 *
 * @param at        when it happened, worker's clock (epoch ms)
 * @param startedAt outcome only: when the task started, or null when it never started
 * @param progress  progress only
 * @param result    succeeded only: any JSON value
 * @param error     failed only
 * @param retryable failed only: false when running it again cannot help
 */
public record TaskUpdate(String taskId, int attempt, String status, long at, Long startedAt, Double progress,
                         Object result, TaskError error, boolean retryable) {

  public static final String RUNNING = "running";
  public static final String PROGRESS = "progress";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String TIMED_OUT = "timed_out";
  public static final String CANCELLED = "cancelled";

  public static TaskUpdate running(String taskId, int attempt, long at) {
    return new TaskUpdate(taskId, attempt, RUNNING, at, at, null, null, null, true);
  }

  public static TaskUpdate progress(String taskId, int attempt, long at, double progress) {
    return new TaskUpdate(taskId, attempt, PROGRESS, at, null, progress, null, null, true);
  }

  /** True for the statuses that end an attempt and must be acknowledged. */
  public boolean isOutcome() {
    return !RUNNING.equals(status) && !PROGRESS.equals(status);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("taskId", taskId).put("attempt", attempt).put("status", status).put("at", at);
    if (startedAt != null) {
      json.put("startedAt", startedAt);
    }
    if (progress != null) {
      json.put("progress", progress);
    }
    if (SUCCEEDED.equals(status)) {
      json.put("result", result);
    }
    if (error != null) {
      json.put("error", error.toJson());
    }
    if (FAILED.equals(status)) {
      json.put("retryable", retryable);
    }
    return json;
  }

  public static TaskUpdate fromJson(JsonObject json) {
    return new TaskUpdate(json.getString("taskId"), json.getInteger("attempt", -1), json.getString("status"),
      json.getLong("at", System.currentTimeMillis()), json.getLong("startedAt"), json.getDouble("progress"),
      json.getValue("result"), TaskError.fromJson(json.getJsonObject("error")), json.getBoolean("retryable", true));
  }
}
