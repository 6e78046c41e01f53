package io.mastermind.node;

import io.mastermind.gateway.InputLimits;
import io.mastermind.gateway.WebSocketOptions;
import io.mastermind.gateway.bridge.BridgeOptions;
import io.mastermind.gateway.nexus.NexusOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Node settings for the bridge and the Central Nexus: defaults, environment, validation")
class FrontDoorSettingsTest {

  @Test
  @DisplayName("by default the bridge is on with its documented limits and no Nexus is configured")
  void defaults() {
    NodeSettings settings = NodeSettings.of(null, null, Map.of());
    assertThat(settings.bridgeOptions().toJson()).isEqualTo(new BridgeOptions().toJson());
    assertThat(settings.nexusOptions().toJson()).isEqualTo(new NexusOptions().toJson());
    assertThat(settings.nexusOptions().getUrl()).isNull();
  }

  @Test
  @DisplayName("conf/node.json spells out the same bridge, nexus and management defaults")
  void shippedConfig() throws Exception {
    JsonObject file = new JsonObject(Files.readString(Path.of("..", "conf", "node.json")));
    assertThat(file.getJsonObject("bridge")).isEqualTo(new BridgeOptions().toJson());
    assertThat(file.getJsonObject("nexus")).isEqualTo(new NexusOptions().toJson());
    assertThat(file.getJsonObject("management")).isEqualTo(new ManagementOptions().toJson());
    assertThat(file.getJsonObject("http").getJsonObject("websocket")).isEqualTo(new WebSocketOptions().toJson());
    assertThat(file.getJsonObject("http").getJsonObject("limits")).isEqualTo(new InputLimits().toJson());
    assertThat(NodeSettings.of(file, null).gatewayOptions().getLimits().toJson()).isEqualTo(new InputLimits().toJson());
  }

  @Test
  @DisplayName("MASTERMIND_NEXUS_URL overrides the file's nexus.url, and the command line overrides both")
  void environment() {
    JsonObject file = new JsonObject().put("nexus", new JsonObject().put("url", "http://from-file:1").put("taskWaitMs", 5000));
    Map<String, String> env = Map.of("MASTERMIND_NEXUS_URL", "http://from-env:2/");
    NodeSettings fromEnv = NodeSettings.of(file, null, env);
    assertThat(fromEnv.nexusOptions().getUrl()).isEqualTo("http://from-env:2");
    assertThat(fromEnv.nexusOptions().getTaskWaitMs()).isEqualTo(5000);
    NodeSettings fromFlags = NodeSettings.of(file, new JsonObject().put("nexus", new JsonObject().put("url", "http://flag:3")), env);
    assertThat(fromFlags.nexusOptions().getUrl()).isEqualTo("http://flag:3");
    assertThat(NodeSettings.of(file, null, Map.of()).nexusOptions().getUrl()).isEqualTo("http://from-file:1");
  }

  @Test
  @DisplayName("bad bridge or nexus values are refused with a message naming the setting")
  void invalid() {
    assertThatThrownBy(() -> NodeSettings.of(null, new JsonObject().put("bridge", new JsonObject().put("pingTimeoutMs", 0)), Map.of()))
      .hasMessageContaining("bridge.pingTimeoutMs");
    assertThatThrownBy(() -> NodeSettings.of(null, null, Map.of("MASTERMIND_NEXUS_URL", "nexus.local")))
      .hasMessageContaining("nexus.url");
    assertThatThrownBy(() -> NodeSettings.of(null, new JsonObject().put("nexus", new JsonObject().put("registerMaxBackoffMs", 10)), Map.of()))
      .hasMessageContaining("nexus.registerMaxBackoffMs");
  }
}
