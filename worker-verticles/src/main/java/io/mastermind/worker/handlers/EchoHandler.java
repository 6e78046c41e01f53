package io.mastermind.worker.handlers;

import io.mastermind.protocol.BuiltinFunctions;
import io.mastermind.worker.spi.TaskContext;
import io.mastermind.worker.spi.TaskHandler;

import java.util.Set;

/** {@code echo}: returns the task's data unchanged, whatever its shape; serves every task type. */
public final class EchoHandler implements TaskHandler {

  @Override
  public String function() {
    return "echo";
  }

  @Override
  public Set<String> types() {
    return Set.of(BuiltinFunctions.ANY_TYPE);
  }

  @Override
  public Object handle(Object data, TaskContext context) {
    return data;
  }

  /** Returns its argument: nothing to wait for. */
  @Override
  public boolean nonBlocking() {
    return true;
  }
}
