package io.mastermind.coordinator;

import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.TaskStatus;
import io.vertx.core.json.JsonObject;

import java.util.EnumMap;
import java.util.Map;

/**
 * What the leading coordinator counted since it took over: kept in one place, so a cluster with several
 * gateways reports each task once (a gateway counting the events it sees counts them once per gateway).
 * Shown by {@code GET /api/v1/cluster} under {@code counters}. Not thread-safe: the coordinator's loop.
 */
final class LeaderCounters {

  private long submitted;
  private long retried;
  private long requeuedAfterNodeLoss;
  private final Map<TaskStatus, Long> finished = new EnumMap<>(TaskStatus.class);
  private final Map<ErrorCode, Long> rejected = new EnumMap<>(ErrorCode.class);

  void submitted() {
    submitted++;
  }

  void rejected(ErrorCode code) {
    rejected.merge(code, 1L, Long::sum);
  }

  void finished(TaskStatus status) {
    finished.merge(status, 1L, Long::sum);
  }

  void retried() {
    retried++;
  }

  void requeuedAfterNodeLoss() {
    requeuedAfterNodeLoss++;
  }

  long submittedCount() {
    return submitted;
  }

  long retriedCount() {
    return retried;
  }

  long requeuedAfterNodeLossCount() {
    return requeuedAfterNodeLoss;
  }

  long rejectedCount(ErrorCode code) {
    return rejected.getOrDefault(code, 0L);
  }

  long finishedCount(TaskStatus status) {
    return finished.getOrDefault(status, 0L);
  }

  JsonObject toJson() {
    JsonObject byStatus = new JsonObject();
    for (TaskStatus status : TaskStatus.values()) {
      if (status.isTerminal()) {
        byStatus.put(status.wireName(), finished.getOrDefault(status, 0L));
      }
    }
    JsonObject byCode = new JsonObject();
    rejected.forEach((code, n) -> byCode.put(code.name(), n));
    return new JsonObject().put("submitted", submitted).put("finished", byStatus).put("retried", retried)
      .put("requeuedAfterNodeLoss", requeuedAfterNodeLoss).put("rejected", byCode);
  }
}
