package io.mastermind.worker.handlers;

import io.mastermind.protocol.BuiltinFunctions;
import io.mastermind.worker.spi.TaskContext;
import io.mastermind.worker.spi.TaskFailure;
import io.mastermind.worker.spi.TaskHandler;

import java.util.Set;

/**
 * {@code fail}: always fails with {@link TaskFailure#HANDLER_ERROR} and the given {@code message}, as a
 * retryable failure so clients can exercise the retry path; serves every task type.
 */
public final class FailHandler implements TaskHandler {

  static final String DEFAULT_MESSAGE = "task failed as requested";

  @Override
  public String function() {
    return "fail";
  }

  @Override
  public Set<String> types() {
    return Set.of(BuiltinFunctions.ANY_TYPE);
  }

  @Override
  public Object handle(Object data, TaskContext context) throws TaskFailure {
    String message = HandlerData.optString(HandlerData.object(data, function()), "message", DEFAULT_MESSAGE);
    throw new TaskFailure(TaskFailure.HANDLER_ERROR, message, true);
  }
}
