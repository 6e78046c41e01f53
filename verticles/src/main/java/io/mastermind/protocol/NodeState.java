package io.mastermind.protocol;

/** Node states of {@code GET /api/v1/nodes}. Only a healthy node takes new tasks. */
public enum NodeState {
  HEALTHY, SUSPECT, FAILED, DRAINING, LEFT;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
