package io.mastermind.worker.spi;

import java.util.Set;

/**
 * A function workers can run. Implementations are found with {@link java.util.ServiceLoader}: list the
 * class in {@code META-INF/services/io.mastermind.worker.spi.TaskHandler} of a jar on the node's
 * classpath or in its {@code plugins/} folder.
 *
 * <p>{@link #handle} runs on one of the node's task threads, never on an event loop, so it may block
 * (unless {@link #nonBlocking()} says otherwise). A long computation should call
 * {@link TaskContext#checkCancelled()} now and then: cancel and timeout interrupt the thread, and a
 * handler that never looks keeps its slot until it returns.
 */
public interface TaskHandler {

  /** The name clients put in {@code payload.function}. */
  String function();

  /** The task types this function serves; {@code "*"} serves every type. */
  Set<String> types();

  /**
   * Runs the task.
   *
   * @param data the task's {@code payload.data}: a JsonObject, JsonArray, String, Number, Boolean or null
   * @return the result: a JsonObject, JsonArray or any JSON value
   * @throws TaskFailure for a failure with a code of its own (bad data is {@code INVALID_DATA})
   * @throws InterruptedException when cancelled or timed out
   * @throws Exception anything else fails the task with {@code HANDLER_ERROR}
   */
  Object handle(Object data, TaskContext context) throws Exception;

  /**
   * True when {@link #handle} returns within microseconds, never blocking and never computing for
   * long (e.g. it reshapes its data): the node may then run it on its event loop, saving the hand-off
   * to a task thread and back (two thread wake-ups per task). A handler that says so and then blocks
   * stalls the whole node; cancel and timeout cannot interrupt it. False unless overridden.
   */
  default boolean nonBlocking() {
    return false;
  }
}
