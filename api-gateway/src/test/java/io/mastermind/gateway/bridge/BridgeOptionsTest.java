package io.mastermind.gateway.bridge;

import io.mastermind.protocol.Addresses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Bridge options: defaults, JSON round trip, validation, and the whitelist's rules")
class BridgeOptionsTest {

  @Test
  @DisplayName("defaults are the documented constants and reach the Vert.x options")
  void defaults() {
    BridgeOptions options = new BridgeOptions(new JsonObject());
    assertThat(options.isEnabled()).isTrue();
    assertThat(options.getMaxHandlersPerSocket()).isEqualTo(BridgeOptions.DEFAULT_MAX_HANDLERS_PER_SOCKET);
    assertThat(options.toSockJSBridgeOptions().getPingTimeout()).isEqualTo(BridgeOptions.DEFAULT_PING_TIMEOUT_MS);
    assertThat(options.toSockJSBridgeOptions().getReplyTimeout()).isEqualTo(BridgeOptions.DEFAULT_REPLY_TIMEOUT_MS);
    assertThat(options.toSockJSBridgeOptions().getMaxAddressLength()).isEqualTo(BridgeOptions.DEFAULT_MAX_ADDRESS_LENGTH);
    assertThat(options.toSockJSHandlerOptions().getSessionTimeout()).isEqualTo(BridgeOptions.DEFAULT_SESSION_TIMEOUT_MS);
    assertThat(options.toSockJSHandlerOptions().getHeartbeatInterval()).isEqualTo(BridgeOptions.DEFAULT_HEARTBEAT_INTERVAL_MS);
    assertThat(options.toSockJSBridgeOptions().getInboundPermitteds()).isEmpty(); // the whitelist is added by the bridge
  }

  @Test
  @DisplayName("toJson and the JSON constructor round-trip every setting")
  void roundTrip() {
    BridgeOptions options = new BridgeOptions().setEnabled(false).setMaxAddressLength(64).setMaxHandlersPerSocket(5)
      .setPingTimeoutMs(1234).setReplyTimeoutMs(5678).setSessionTimeoutMs(900).setHeartbeatIntervalMs(800);
    assertThat(new BridgeOptions(options.toJson()).toJson()).isEqualTo(options.toJson());
    assertThat(options.toSockJSBridgeOptions().getMaxHandlersPerSocket()).isEqualTo(5);
  }

  @Test
  @DisplayName("a limit that is not positive is refused with a message naming the setting")
  void validation() {
    assertThatThrownBy(() -> new BridgeOptions().setPingTimeoutMs(0)).hasMessage("bridge.pingTimeoutMs must be > 0");
    assertThatThrownBy(() -> new BridgeOptions().setReplyTimeoutMs(-1)).hasMessageContaining("bridge.replyTimeoutMs");
    assertThatThrownBy(() -> new BridgeOptions().setMaxHandlersPerSocket(0)).hasMessageContaining("bridge.maxHandlersPerSocket");
    assertThatThrownBy(() -> new BridgeOptions().setMaxAddressLength(0)).hasMessageContaining("bridge.maxAddressLength");
    assertThatThrownBy(() -> new BridgeOptions().setSessionTimeoutMs(0)).hasMessageContaining("bridge.sessionTimeoutMs");
    assertThatThrownBy(() -> new BridgeOptions().setHeartbeatIntervalMs(0)).hasMessageContaining("bridge.heartbeatIntervalMs");
    assertThatThrownBy(() -> new BridgeOptions(new JsonObject().put("pingTimeoutMs", -5))).hasMessageContaining("pingTimeoutMs");
  }

  @Test
  @DisplayName("the whitelist is one address each way; inbound must expect a reply, and nothing is published")
  void whitelistRules() {
    assertThat(EventBusBridge.OUTBOUND).containsExactly(Addresses.EVENTS);
    assertThat(EventBusBridge.INBOUND).containsExactly(Addresses.GATEWAY_SUBMIT);
    JsonObject send = new JsonObject().put("type", "send").put("address", Addresses.GATEWAY_SUBMIT);
    assertThat(EventBusBridge.refused(BridgeEventType.SEND, send)).isTrue();
    assertThat(EventBusBridge.refused(BridgeEventType.SEND, send.copy().put("replyAddress", "r1"))).isFalse();
    assertThat(EventBusBridge.refused(BridgeEventType.PUBLISH, send.copy().put("replyAddress", "r1"))).isTrue();
    assertThat(EventBusBridge.refused(BridgeEventType.REGISTER,
      new JsonObject().put("type", "register").put("address", Addresses.EVENTS))).isFalse();
    assertThat(EventBusBridge.refused(BridgeEventType.SOCKET_CREATED, null)).isFalse();
  }
}
