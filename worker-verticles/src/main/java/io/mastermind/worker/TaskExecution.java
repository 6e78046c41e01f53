package io.mastermind.worker;

import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.TaskError;
import io.mastermind.protocol.TaskUpdate;
import io.mastermind.worker.spi.TaskFailure;
import io.mastermind.worker.spi.TaskHandler;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one started task's handler on the calling task thread and says how it ended, as the outcome
 * {@link TaskUpdate} the worker reports: {@code succeeded} with its result, {@code failed} with an
 * error code, or {@code cancelled} / {@code timed_out} when it was stopped. A result whose JSON
 * encoding is larger than {@code maxResultBytes} fails the task with {@code RESULT_TOO_LARGE}.
 */
final class TaskExecution {

  private static final Logger LOG = LoggerFactory.getLogger(TaskExecution.class);

  private TaskExecution() {
  }

  /**
   * Call only after {@link RunningTask#begin()} succeeded; ends the task ({@link RunningTask#end()})
   * and leaves the thread's interrupt flag clear, so the pool thread goes back clean.
   *
   * @param handler null when this node has no handler for the task's function
   */
  static TaskUpdate run(RunningTask task, TaskHandler handler, String nodeId, long maxResultBytes) {
    String status;
    Object result = null;
    TaskError error = null;
    boolean retryable = true;
    try {
      if (handler == null) {
        status = TaskUpdate.FAILED;
        error = TaskError.of(ErrorCode.UNKNOWN_FUNCTION, "node " + nodeId + " has no function " + task.spec.function());
        retryable = false;
      } else {
        // its own copy: assignments from a leader in this JVM arrive uncopied, and a handler may change its data
        result = toJsonValue(handler.handle(ownCopy(task.spec.data()), task));
        status = task.isCancelled() ? stopped(task) : TaskUpdate.SUCCEEDED;
      }
    } catch (TaskFailure f) {
      status = task.isCancelled() ? stopped(task) : TaskUpdate.FAILED;
      error = new TaskError(f.code(), f.getMessage());
      retryable = f.retryable();
      if (LOG.isDebugEnabled()) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("taskId", task.spec.id())) {
          LOG.debug("task {} attempt {} ({}) failed: {} {}", task.spec.id(), task.attempt, task.spec.function(), f.code(), f.getMessage());
        }
      }
    } catch (InterruptedException e) {
      status = task.isCancelled() ? stopped(task) : TaskUpdate.FAILED;
      error = TaskError.of(ErrorCode.HANDLER_ERROR, "interrupted");
    } catch (Throwable t) {
      status = task.isCancelled() ? stopped(task) : TaskUpdate.FAILED;
      error = TaskError.of(ErrorCode.HANDLER_ERROR, t.getMessage() == null ? t.toString() : t.getMessage());
      // not a TaskFailure: the handler has a bug, and its stack trace is for whoever wrote it
      if (!task.isCancelled()) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("taskId", task.spec.id())) {
          LOG.warn("task {} attempt {}: handler of {} threw", task.spec.id(), task.attempt, task.spec.function(), t);
        }
      }
    } finally {
      task.end();
      Thread.interrupted();
    }
    if (TaskUpdate.SUCCEEDED.equals(status)) {
      TaskError tooLarge = checkSize(result, maxResultBytes);
      if (tooLarge != null) {
        status = TaskUpdate.FAILED;
        error = tooLarge;
        retryable = false;
        result = null;
      }
    } else if (!TaskUpdate.FAILED.equals(status)) {
      error = null; // a stopped task's error is the leader's to word (cancelled by whom, which timeout)
      retryable = true;
    }
    return new TaskUpdate(task.spec.id(), task.attempt, status, System.currentTimeMillis(), task.startedAt(), null,
      result, error, retryable);
  }

  private static String stopped(RunningTask task) {
    return task.timedOut() ? TaskUpdate.TIMED_OUT : TaskUpdate.CANCELLED;
  }

  /** Null when the result's JSON fits in {@code maxResultBytes}; else why the task fails. */
  static TaskError checkSize(Object result, long maxResultBytes) {
    long bytes;
    try {
      bytes = Json.encodeToBuffer(result).length();
    } catch (EncodeException | IllegalStateException e) {
      return TaskError.of(ErrorCode.HANDLER_ERROR, "result is not JSON: " + e.getMessage());
    }
    if (bytes > maxResultBytes) {
      return TaskError.of(ErrorCode.RESULT_TOO_LARGE, "result is " + bytes + " bytes, above the limit of "
        + maxResultBytes + " (worker.maxResultBytes)");
    }
    return null;
  }

  /** Handlers may answer with plain maps and lists; the event bus carries JSON types only. */
  private static Object toJsonValue(Object result) {
    if (result instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) map;
      return new JsonObject(m);
    }
    if (result instanceof List<?> list) {
      return new JsonArray(new ArrayList<>(list));
    }
    return result;
  }

  private static Object ownCopy(Object data) {
    if (data instanceof JsonObject object) {
      return object.copy();
    }
    return data instanceof JsonArray array ? array.copy() : data; // strings, numbers, booleans are immutable
  }
}
