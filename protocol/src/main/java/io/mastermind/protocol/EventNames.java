package io.mastermind.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The live event names of SPEC section 7. */
public final class EventNames {

  public static final String TASK_SUBMITTED = "task:submitted";
  public static final String TASK_SCHEDULED = "task:scheduled";
  public static final String TASK_STARTED = "task:started";
  public static final String TASK_PROGRESS = "task:progress";
  public static final String TASK_RETRYING = "task:retrying";
  public static final String TASK_COMPLETED = "task:completed";
  public static final String TASK_FAILED = "task:failed";
  public static final String TASK_TIMED_OUT = "task:timed_out";
  public static final String TASK_CANCELLED = "task:cancelled";
  public static final String NODE_JOIN = "node:join";
  public static final String NODE_LEAVE = "node:leave";
  public static final String NODE_HEALTH = "node:health";
  public static final String NODE_SUSPECT = "node:suspect";
  public static final String NODE_FAILED = "node:failed";
  public static final String NODE_RESTORED = "node:restored";
  public static final String RESOURCE_UPDATE = "resource:update";
  public static final String CLUSTER_LEADER = "cluster:leader";
  public static final String ALERT = "alert";

  public static final List<String> ALL = List.of(TASK_SUBMITTED, TASK_SCHEDULED, TASK_STARTED, TASK_PROGRESS,
    TASK_RETRYING, TASK_COMPLETED, TASK_FAILED, TASK_TIMED_OUT, TASK_CANCELLED, NODE_JOIN, NODE_LEAVE, NODE_HEALTH,
    NODE_SUSPECT, NODE_FAILED, NODE_RESTORED, RESOURCE_UPDATE, CLUSTER_LEADER, ALERT);

  private EventNames() {
  }

  /** The events that end a task (task:completed, task:failed, task:timed_out, task:cancelled): their data is the final record. */
  public static final Set<String> TERMINAL = Arrays.stream(TaskStatus.values()).filter(TaskStatus::isTerminal)
    .map(EventNames::forTerminal).collect(Collectors.toUnmodifiableSet());

  /** The event that announces a task reaching a terminal status. */
  public static String forTerminal(TaskStatus status) {
    return switch (status) {
      case SUCCEEDED -> TASK_COMPLETED;
      case FAILED -> TASK_FAILED;
      case TIMED_OUT -> TASK_TIMED_OUT;
      case CANCELLED -> TASK_CANCELLED;
      default -> throw new IllegalArgumentException(status + " is not terminal");
    };
  }
}
