package io.mastermind.protocol;

/** The states of SPEC section 3. */
public enum TaskStatus {
  QUEUED, SCHEDULED, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED;

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == TIMED_OUT || this == CANCELLED;
  }

  // computed once: wire names are written for every task and event
  private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

  public String wireName() {
    return wireName;
  }

  public static TaskStatus parse(String value, String field) {
    return WireEnums.parse(TaskStatus.class, value, field);
  }
}
