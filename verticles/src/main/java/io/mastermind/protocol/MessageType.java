package io.mastermind.protocol;

/** The six control-plane message types of the design (SPEC section 7). */
public enum MessageType {
  TASK_ASSIGNMENT, RESULT_UPDATE, HEALTH_CHECK, RESOURCE_UPDATE, NODE_JOIN, NODE_LEAVE;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static MessageType parse(String value) {
    return WireEnums.parse(MessageType.class, value, "type");
  }
}
