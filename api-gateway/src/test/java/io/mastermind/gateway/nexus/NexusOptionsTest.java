package io.mastermind.gateway.nexus;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Nexus options: no URL by default, URLs checked, backoffs ordered, JSON round trip")
class NexusOptionsTest {

  @Test
  @DisplayName("by default nothing is registered and the documented constants apply")
  void defaults() {
    NexusOptions options = new NexusOptions(new JsonObject());
    assertThat(options.getUrl()).isNull();
    assertThat(options.getPublicUrl()).isNull();
    assertThat(options.getRegisterBaseBackoffMs()).isEqualTo(NexusOptions.DEFAULT_REGISTER_BASE_BACKOFF_MS);
    assertThat(options.getRegisterMaxBackoffMs()).isEqualTo(NexusOptions.DEFAULT_REGISTER_MAX_BACKOFF_MS);
    assertThat(options.getRequestTimeoutMs()).isEqualTo(NexusOptions.DEFAULT_REQUEST_TIMEOUT_MS);
    assertThat(options.getTaskWaitMs()).isEqualTo(NexusOptions.DEFAULT_TASK_WAIT_MS);
  }

  @Test
  @DisplayName("a URL loses its trailing slash, a blank one means none, anything but http(s) is refused")
  void urls() {
    assertThat(new NexusOptions().setUrl("http://nexus.local:9000/").getUrl()).isEqualTo("http://nexus.local:9000");
    assertThat(new NexusOptions().setUrl("https://nexus.example/api").getUrl()).isEqualTo("https://nexus.example/api");
    assertThat(new NexusOptions().setUrl("  ").getUrl()).isNull();
    assertThatThrownBy(() -> new NexusOptions().setUrl("ftp://nexus")).hasMessageContaining("nexus.url");
    assertThatThrownBy(() -> new NexusOptions().setUrl("nexus:9000")).hasMessageContaining("nexus.url");
    assertThatThrownBy(() -> new NexusOptions().setPublicUrl("http://")).hasMessageContaining("nexus.publicUrl");
  }

  @Test
  @DisplayName("times must be positive and the max backoff not below the base")
  void validation() {
    assertThatThrownBy(() -> new NexusOptions().setRegisterBaseBackoffMs(0)).hasMessage("nexus.registerBaseBackoffMs must be > 0");
    assertThatThrownBy(() -> new NexusOptions().setRequestTimeoutMs(0)).hasMessageContaining("nexus.requestTimeoutMs");
    assertThatThrownBy(() -> new NexusOptions().setTaskWaitMs(-1)).hasMessageContaining("nexus.taskWaitMs");
    assertThatThrownBy(() -> new NexusOptions(new JsonObject().put("registerBaseBackoffMs", 5000).put("registerMaxBackoffMs", 100)))
      .hasMessageContaining("nexus.registerMaxBackoffMs");
  }

  @Test
  @DisplayName("toJson and the JSON constructor round-trip every setting")
  void roundTrip() {
    NexusOptions options = new NexusOptions().setUrl("http://127.0.0.1:7000").setPublicUrl("http://gw.local:8080")
      .setRegisterBaseBackoffMs(10).setRegisterMaxBackoffMs(20).setRequestTimeoutMs(30).setTaskWaitMs(40);
    assertThat(new NexusOptions(options.toJson()).toJson()).isEqualTo(options.toJson());
  }
}
