package io.mastermind.protocol;

/** The kind of work a task is; a node serves a type when it has the capability tag of the same name. */
public enum TaskType {
  COMPUTE, IO_BOUND, DATA_PROCESSING, ML_TRAINING;

  // computed once: wire names are written for every task and event
  private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

  /** The lower-case wire name, also the capability tag. */
  public String wireName() {
    return wireName;
  }

  /** Case-insensitive parse; throws {@link ValidationException} naming {@code field}. */
  public static TaskType parse(String value, String field) {
    return WireEnums.parse(TaskType.class, value, field);
  }
}
