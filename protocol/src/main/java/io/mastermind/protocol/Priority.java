package io.mastermind.protocol;

/** Task priority; a higher {@link #rank()} is placed first. */
public enum Priority {
  LOW, NORMAL, HIGH, CRITICAL;

  /** 0 for low up to 3 for critical. */
  public int rank() {
    return ordinal();
  }

  // computed once: wire names are written for every task and event
  private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

  public String wireName() {
    return wireName;
  }

  public static Priority parse(String value, String field) {
    return WireEnums.parse(Priority.class, value, field);
  }
}
