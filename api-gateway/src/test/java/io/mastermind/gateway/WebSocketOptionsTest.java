package io.mastermind.gateway;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("WebSocketOptions: defaults, JSON round trip, validating setters")
class WebSocketOptionsTest {

  @Test
  @DisplayName("an empty section gives the documented defaults")
  void defaults() {
    WebSocketOptions options = new WebSocketOptions(new JsonObject());
    assertThat(options.getPath()).isEqualTo("/api/v1/ws").isEqualTo(WebSocketOptions.DEFAULT_PATH);
    assertThat(options.getMaxQueuedFrames()).isEqualTo(1000);
    assertThat(options.getMaxFrameSize()).isEqualTo(1024 * 1024);
    assertThat(options.getMaxSubscriptions()).isEqualTo(WebSocketOptions.DEFAULT_MAX_SUBSCRIPTIONS);
    assertThat(options.getMaxTrackedTasks()).isEqualTo(WebSocketOptions.DEFAULT_MAX_TRACKED_TASKS);
    assertThat(options.getMaxQueuedBytes()).isEqualTo(4L * 1024 * 1024);
    assertThat(options.getMaxSessions()).isEqualTo(1024);
    assertThat(options.getMaxRefLength()).isEqualTo(128);
  }

  @Test
  @DisplayName("toJson and the JSON constructor agree")
  void roundTrip() {
    WebSocketOptions options = new WebSocketOptions().setPath("/ws").setMaxQueuedFrames(5).setMaxFrameSize(4096)
      .setMaxSubscriptions(2).setMaxTrackedTasks(3).setMaxQueuedBytes(2048).setMaxSessions(7).setMaxRefLength(16);
    assertThat(new WebSocketOptions(options.toJson()).toJson()).isEqualTo(options.toJson());
    assertThat(new GatewayOptions(new JsonObject().put("websocket", options.toJson())).getWebSocket().getMaxQueuedFrames())
      .isEqualTo(5);
  }

  @Test
  @DisplayName("bad values are refused with a message naming the setting")
  void refused() {
    WebSocketOptions options = new WebSocketOptions();
    assertThatThrownBy(() -> options.setMaxQueuedFrames(0)).hasMessageContaining("http.websocket.maxQueuedFrames");
    assertThatThrownBy(() -> options.setMaxSubscriptions(-1)).hasMessageContaining("http.websocket.maxSubscriptions");
    assertThatThrownBy(() -> options.setMaxTrackedTasks(0)).hasMessageContaining("http.websocket.maxTrackedTasks");
    assertThatThrownBy(() -> options.setMaxFrameSize(10)).hasMessageContaining("http.websocket.maxFrameSize");
    assertThatThrownBy(() -> options.setMaxQueuedBytes(100)).hasMessageContaining("http.websocket.maxQueuedBytes");
    assertThatThrownBy(() -> options.setMaxSessions(0)).hasMessageContaining("http.websocket.maxSessions");
    assertThatThrownBy(() -> options.setMaxRefLength(0)).hasMessageContaining("http.websocket.maxRefLength");
    assertThatThrownBy(() -> options.setPath("ws")).hasMessageContaining("http.websocket.path");
    assertThatThrownBy(() -> options.setPath("/api/*")).hasMessageContaining("http.websocket.path");
  }
}
