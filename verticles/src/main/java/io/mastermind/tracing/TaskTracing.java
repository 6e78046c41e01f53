package io.mastermind.tracing;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * The task spans of one node. The leader batches: a submission is answered at once and its task is
 * dispatched later, in one assignment with other tasks, so no event-bus message carries a task's trace
 * from its front door to its worker. The leader therefore remembers each task's submit span and starts
 * its dispatch and finish spans as children of it, and hands the worker each task's trace parent in the
 * assignment's {@link #ASSIGNMENT_HEADER} header (a trace context only: it is not signed and decides nothing).
 *
 * <p>Installed once per Vert.x by the node when tracing is on ({@link #install}); {@link #of} answers
 * {@link #OFF} otherwise, whose calls create nothing.
 */
public interface TaskTracing {

  /** Assignment header: JSON object of task id to W3C {@code traceparent}. */
  String ASSIGNMENT_HEADER = "mastermind-traces";

  TaskTracing OFF = new TaskTracing() {
  };

  /** Makes {@code tracing} the task tracing of every component on {@code vertx}. */
  static void install(Vertx vertx, TaskTracing tracing) {
    Installed.BY_VERTX.put(vertx, tracing);
  }

  /** What was installed on {@code vertx}, else {@link #OFF}. */
  static TaskTracing of(Vertx vertx) {
    TaskTracing installed = Installed.BY_VERTX.get(vertx);
    return installed == null ? OFF : installed;
  }

  default boolean enabled() {
    return false;
  }

  /** The span the caller runs in (Vert.x's span of the request it handles), or null. */
  default Object current() {
    return null;
  }

  /** Leader: {@code taskId} was accepted while in {@code parent} (from {@link #current()}, may be null). */
  default void submitted(String taskId, Object parent) {
  }

  /**
   * Leader: these tasks go to {@code nodeId} in one assignment; adds {@link #ASSIGNMENT_HEADER} to
   * {@code options} when any of them is traced, and keeps Vert.x from tracing the batch as a whole.
   */
  default DeliveryOptions dispatched(String nodeId, List<String> taskIds, DeliveryOptions options) {
    return options;
  }

  /** Leader: the task's terminal record is stored; it is forgotten. */
  default void finished(String taskId, String status) {
  }

  /** Leader: stepped down, every remembered task is forgotten. */
  default void clear() {
  }

  /** Worker: each task's trace parent in an assignment (empty when none). */
  default Map<String, String> parents(Message<?> assignment) {
    return Collections.emptyMap();
  }

  /** Worker: a run of {@code taskId} starts under {@code parent} (may be null); the handle to {@link #ran}. */
  default Object running(String taskId, String function, int attempt, String parent) {
    return null;
  }

  /** Worker: the run {@code handle} (may be null) ended with {@code status}. */
  default void ran(Object handle, String status) {
  }

  /** Gateway: runs {@code call} in a new server span named {@code name} (a WebSocket submission, which no HTTP request spans). */
  default <T> T inSpan(String name, Supplier<T> call) {
    return call.get();
  }

  /** Where the installed tracings live; weak: a closed Vert.x is forgotten. */
  final class Installed {
    private static final Map<Vertx, TaskTracing> BY_VERTX = Collections.synchronizedMap(new WeakHashMap<>());

    private Installed() {
    }
  }
}
