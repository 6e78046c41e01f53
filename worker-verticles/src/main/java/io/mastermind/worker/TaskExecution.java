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
    long bound = sizeBound(result, 0);
    if (bound >= 0 && bound <= maxResultBytes) {
      return null; // fits even if every character needed escaping: no need to encode it to know
    }
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

  /**
   * An upper bound of the value's JSON size in bytes, walking it instead of encoding it (encoding every
   * result just to weigh it was ~4% of a worker's event loop); -1 when it holds something only Jackson
   * knows how to write (or whether it can), or nests deeper than {@value #MAX_BOUND_DEPTH}.
   */
  static long sizeBound(Object value, int depth) {
    if (depth > MAX_BOUND_DEPTH) {
      return -1;
    }
    if (value == null || value instanceof Boolean) {
      return 5;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
      || value instanceof Double || value instanceof Float) {
      return 32;
    }
    if (value instanceof String text) {
      return 2 + 6L * text.length(); // each UTF-16 unit: at most a six-character escape, or 3 bytes of UTF-8
    }
    if (value instanceof JsonObject object) {
      return mapBound(object.getMap(), depth);
    }
    if (value instanceof JsonArray array) {
      return listBound(array.getList(), depth);
    }
    if (value instanceof Map<?, ?> map) {
      return mapBound(map, depth);
    }
    if (value instanceof List<?> list) {
      return listBound(list, depth);
    }
    return -1;
  }

  private static final int MAX_BOUND_DEPTH = 64;

  private static long mapBound(Map<?, ?> map, int depth) {
    long total = 2;
    for (Map.Entry<?, ?> field : map.entrySet()) {
      if (!(field.getKey() instanceof String key)) {
        return -1;
      }
      long v = sizeBound(field.getValue(), depth + 1);
      if (v < 0) {
        return -1;
      }
      total += 2 + 6L * key.length() + 2 + v;
    }
    return total;
  }

  private static long listBound(List<?> list, int depth) {
    long total = 2;
    for (Object item : list) {
      long v = sizeBound(item, depth + 1);
      if (v < 0) {
        return -1;
      }
      total += 1 + v;
    }
    return total;
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
