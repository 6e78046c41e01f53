package io.mastermind.protocol;

/**
 * The six control-plane message types of the design (SPEC section 7), plus two internal ones that a
 * leader sends a worker about one task it already holds: {@code task_cancel} (stop it) and
 * {@code task_revoke} (give it back if it has not started).
 */
public enum MessageType {
  TASK_ASSIGNMENT, RESULT_UPDATE, HEALTH_CHECK, RESOURCE_UPDATE, NODE_JOIN, NODE_LEAVE,
  TASK_CANCEL, TASK_REVOKE;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static MessageType parse(String value) {
    return WireEnums.parse(MessageType.class, value, "type");
  }
}
