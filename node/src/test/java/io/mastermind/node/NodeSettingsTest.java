package io.mastermind.node;

import io.mastermind.coordinator.CoordinatorOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Node settings: flags override the config file, which overrides the defaults")
class NodeSettingsTest {

  @Test
  @DisplayName("with nothing given: every role, port 8080, the four capabilities, this machine's resources")
  void defaults() {
    NodeSettings settings = NodeSettings.of(null, null);
    assertThat(settings.roles()).containsExactlyInAnyOrder("coordinator", "gateway", "worker");
    assertThat(settings.gatewayOptions().getPort()).isEqualTo(8080);
    assertThat(settings.gatewayOptions().getHost()).isEqualTo("127.0.0.1");
    assertThat(settings.gatewayOptions().getBodyLimit()).isEqualTo(10L * 1024 * 1024);
    assertThat(settings.nodeConfig().capabilities()).containsExactlyInAnyOrder("compute", "io_bound", "data_processing", "ml_training");
    assertThat(settings.nodeConfig().cpuCores()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(settings.nodeConfig().memoryMb()).isPositive();
    assertThat(settings.nodeId()).startsWith("node-");
  }

  @Test
  @DisplayName("the command line wins over the file")
  void precedence() {
    JsonObject file = new JsonObject().put("nodeId", "from-file").put("http", new JsonObject().put("port", 9000))
      .put("worker", new JsonObject().put("cpu", 8));
    NodeCommand command = new NodeCommand();
    new CommandLine(command).parseArgs("--node-id", "from-flag", "--capabilities", "compute,gpu_render", "--gpu",
      "--memory", "512", "--strategy", "best-fit");
    NodeSettings settings = NodeSettings.of(file, command.overrides());
    assertThat(settings.nodeId()).isEqualTo("from-flag");
    assertThat(settings.gatewayOptions().getPort()).isEqualTo(9000);
    assertThat(settings.nodeConfig().cpuCores()).isEqualTo(8.0);
    assertThat(settings.nodeConfig().memoryMb()).isEqualTo(512);
    assertThat(settings.nodeConfig().gpu()).isTrue();
    assertThat(settings.nodeConfig().capabilities()).containsExactlyInAnyOrder("compute", "gpu_render");
    assertThat(settings.coordinatorOptions().getStrategy()).isEqualTo("best-fit");
  }

  @Test
  @DisplayName("bad values are refused with a message naming the setting")
  void invalid() {
    assertThatThrownBy(() -> NodeSettings.of(null, new JsonObject().put("roles", new JsonArray().add("boss"))))
      .hasMessageContaining("roles");
    assertThatThrownBy(() -> NodeSettings.of(null, new JsonObject().put("scheduler", new JsonObject().put("strategy", "random"))))
      .hasMessageContaining("strategy");
    assertThatThrownBy(() -> NodeSettings.of(null, new JsonObject().put("http", new JsonObject().put("port", 70000))))
      .hasMessageContaining("http.port");
    assertThatThrownBy(() -> NodeSettings.of(null, new JsonObject().put("worker", new JsonObject().put("cpu", -2))))
      .hasMessageContaining("cpu");
    assertThatThrownBy(() -> NodeSettings.of(null, new JsonObject().put("scheduler", new JsonObject().put("maxQueuedTasks", 0))))
      .hasMessageContaining("maxQueuedTasks");
  }

  @Test
  @DisplayName("conf/node.json lists every scheduler key; its maxQueuedTasks null keeps the heap-sized default")
  void shippedSchedulerSection() throws Exception {
    JsonObject file = new JsonObject(Files.readString(Path.of("..", "conf", "node.json")));
    JsonObject scheduler = file.getJsonObject("scheduler");
    assertThat(scheduler.fieldNames()).containsExactlyInAnyOrderElementsOf(new CoordinatorOptions().toJson().fieldNames());
    assertThat(scheduler.getValue("maxQueuedTasks")).isNull();
    assertThat(NodeSettings.of(file, null).coordinatorOptions().getMaxQueuedTasks())
      .isEqualTo(CoordinatorOptions.DEFAULT_MAX_QUEUED_TASKS);
    assertThat(NodeSettings.of(file, new JsonObject().put("scheduler", new JsonObject().put("maxQueuedTasks", 50)))
      .coordinatorOptions().getMaxQueuedTasks()).isEqualTo(50);
  }
}
