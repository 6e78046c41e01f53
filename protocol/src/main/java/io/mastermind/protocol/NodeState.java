package io.mastermind.protocol;

/**
 * Node states of {@code GET /api/v1/nodes}. Only a healthy node takes new tasks. {@code rejected}: a
 * cluster member that could not prove the cluster secret (node authentication); it never takes a task.
 */
public enum NodeState {
  HEALTHY, SUSPECT, FAILED, DRAINING, LEFT, REJECTED;

  // computed once: wire names are written for every task and event
  private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

  public String wireName() {
    return wireName;
  }
}
