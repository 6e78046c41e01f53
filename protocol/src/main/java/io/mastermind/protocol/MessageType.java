package io.mastermind.protocol;

/**
 * The six control-plane message types of the design (SPEC section 7), plus internal ones: two that a
 * leader sends a worker about one task it already holds, {@code task_cancel} (stop it) and
 * {@code task_revoke} (give it back if it has not started), and {@code member_hello}, with which every
 * node proves to the leader that it holds the cluster secret (node authentication).
 */
public enum MessageType {
  TASK_ASSIGNMENT, RESULT_UPDATE, HEALTH_CHECK, RESOURCE_UPDATE, NODE_JOIN, NODE_LEAVE,
  TASK_CANCEL, TASK_REVOKE, MEMBER_HELLO;

  // computed once: wire names are written for every task and event
  private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

  public String wireName() {
    return wireName;
  }

  public static MessageType parse(String value) {
    return WireEnums.parse(MessageType.class, value, "type");
  }
}
