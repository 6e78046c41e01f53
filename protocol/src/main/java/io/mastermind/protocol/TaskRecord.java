package io.mastermind.protocol;

import io.vertx.core.json.JsonObject;

/**
 * The status record of one task (SPEC section 3), immutable; each transition returns a new record.
 *
 * @param attempts how many times it was handed to a worker
 * @param retries  how many of the user's {@code maxRetries} are used (a lost node uses none)
 * @param nodeLosses how many times the node running it was lost ({@code scheduler.maxNodeLosses} caps it)
 */
public record TaskRecord(TaskSpec spec, TaskStatus status, String node, int attempts, int retries, double progress,
                         long submittedAt, Long startedAt, Long finishedAt, Object result, TaskError error,
                         String reason, int nodeLosses) {

  public static TaskRecord queued(TaskSpec spec, long now) {
    return new TaskRecord(spec, TaskStatus.QUEUED, null, 0, 0, 0.0, now, null, null, null, null, null, 0);
  }

  public String id() {
    return spec.id();
  }

  public TaskRecord scheduled(String nodeId) {
    return new TaskRecord(spec, TaskStatus.SCHEDULED, nodeId, attempts + 1, retries, 0.0, submittedAt, null, null,
      null, null, null, nodeLosses);
  }

  public TaskRecord running(long now) {
    return new TaskRecord(spec, TaskStatus.RUNNING, node, attempts, retries, progress, submittedAt, now, null,
      null, null, null, nodeLosses);
  }

  public TaskRecord withProgress(double value) {
    return new TaskRecord(spec, status, node, attempts, retries, value, submittedAt, startedAt, finishedAt, result,
      error, reason, nodeLosses);
  }

  public TaskRecord withReason(String why) {
    return new TaskRecord(spec, status, node, attempts, retries, progress, submittedAt, startedAt, finishedAt, result,
      error, why, nodeLosses);
  }

  /** Back to the queue; {@code usesRetry} is false when the node was lost rather than the task failing. */
  public TaskRecord requeued(boolean usesRetry, TaskError lastError) {
    return new TaskRecord(spec, TaskStatus.QUEUED, null, attempts, usesRetry ? retries + 1 : retries, 0.0,
      submittedAt, null, null, null, lastError, null, nodeLosses);
  }

  /** Back to the queue because the node running it was lost: uses no retry, counts toward maxNodeLosses. */
  public TaskRecord lostNode(TaskError lastError) {
    return new TaskRecord(spec, TaskStatus.QUEUED, null, attempts, retries, 0.0,
      submittedAt, null, null, null, lastError, null, nodeLosses + 1);
  }

  /** Claimed back from a node that still holds this attempt after a leader change. */
  public TaskRecord claimed(String nodeId, int attempt, boolean started, long now) {
    return new TaskRecord(spec, started ? TaskStatus.RUNNING : TaskStatus.SCHEDULED, nodeId, attempt, retries,
      progress, submittedAt, started ? (startedAt != null ? startedAt : Long.valueOf(now)) : null, null, null, null,
      null, nodeLosses);
  }

  public TaskRecord succeeded(Object value, long now) {
    return new TaskRecord(spec, TaskStatus.SUCCEEDED, node, attempts, retries, 1.0, submittedAt, startedAt, now,
      value, null, null, nodeLosses);
  }

  public TaskRecord ended(TaskStatus terminal, TaskError failure, long now) {
    return new TaskRecord(spec, terminal, node, attempts, retries, progress, submittedAt, startedAt, now, null,
      failure, null, nodeLosses);
  }

  /** The public status record. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("id", spec.id())
      .put("type", spec.type().wireName())
      .put("function", spec.function())
      .put("priority", spec.priority().wireName())
      .put("status", status.wireName())
      .put("node", node)
      .put("attempts", attempts)
      .put("retries", retries)
      .put("maxRetries", spec.maxRetries())
      .put("progress", progress)
      .put("submittedAt", submittedAt);
    putIfPresent(json, "timeout", spec.timeout());
    putIfPresent(json, "startedAt", startedAt);
    putIfPresent(json, "finishedAt", finishedAt);
    if (status == TaskStatus.SUCCEEDED) {
      json.put("result", result);
    }
    if (error != null) {
      json.put("error", error.toJson());
    }
    putIfPresent(json, "reason", reason);
    return json;
  }

  /** The stored form: the public record plus the whole task as submitted. */
  public JsonObject toStoreJson() {
    JsonObject json = toJson().put("task", spec.toJson());
    if (nodeLosses > 0) {
      json.put("nodeLosses", nodeLosses);
    }
    return json;
  }

  public static TaskRecord fromStoreJson(JsonObject json) {
    TaskSpec spec = TaskSpec.fromJson(json.getJsonObject("task"));
    return new TaskRecord(spec,
      TaskStatus.parse(json.getString("status"), "status"),
      json.getString("node"),
      json.getInteger("attempts", 0),
      json.getInteger("retries", 0),
      json.getDouble("progress", 0.0),
      json.getLong("submittedAt"),
      json.getLong("startedAt"),
      json.getLong("finishedAt"),
      json.getValue("result"),
      TaskError.fromJson(json.getJsonObject("error")),
      json.getString("reason"),
      json.getInteger("nodeLosses", 0));
  }

  private static void putIfPresent(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
