package io.mastermind.node;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Node config: a YAML or JSON file, then environment variables, then system properties, then flags")
class NodeConfigTest {

  @TempDir
  Path dir;

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("node.yaml");
    Files.writeString(file, text);
    return file;
  }

  private static NodeSettings settings(Path file, Map<String, String> env, Map<String, String> props, String... flags)
    throws IOException {
    NodeCommand command = new NodeCommand();
    new CommandLine(command).parseArgs(flags);
    return NodeSettings.fromSources(new NodeConfigSources(file, NodeConfigSources.readFile(file), env, props), command.overrides());
  }

  @Test
  @DisplayName("each layer wins over the one before: file < environment < system property < flag, with strings typed")
  void precedence() throws IOException {
    Path file = yaml("""
      nodeId: from-yaml
      http:
        port: 9001
      scheduler:
        maxQueuedTasks: 10
      worker:
        prefetch: 7
      """);
    Map<String, String> env = Map.of("MASTERMIND_HTTP_PORT", "9002", "MASTERMIND_SCHEDULER_MAXQUEUEDTASKS", "20",
      "MASTERMIND_ROLES", "coordinator, gateway", "MASTERMIND_HTTP_WEBSOCKET_PATH", "/ws");
    Map<String, String> props = Map.of("mastermind.http.port", "9003", "mastermind.nodeId", "from-property");

    NodeSettings noFlags = settings(file, env, props);
    assertThat(noFlags.workerOptions().getPrefetch()).isEqualTo(7);                        // file only
    assertThat(noFlags.coordinatorOptions().getMaxQueuedTasks()).isEqualTo(20);            // env over file, "20" -> 20
    assertThat(noFlags.toJson().getJsonObject("scheduler").getValue("maxQueuedTasks")).isEqualTo(20);
    assertThat(noFlags.roles()).containsExactly("coordinator", "gateway");                 // a list from the env
    assertThat(noFlags.gatewayOptions().getWebSocket().getPath()).isEqualTo("/ws");
    assertThat(noFlags.gatewayOptions().getPort()).isEqualTo(9003);                        // property over env
    assertThat(noFlags.nodeId()).isEqualTo("from-property");

    NodeSettings withFlags = settings(file, env, props, "--http-port", "9004", "--node-id", "from-flag");
    assertThat(withFlags.gatewayOptions().getPort()).isEqualTo(9004);
    assertThat(withFlags.nodeId()).isEqualTo("from-flag");
  }

  @Test
  @DisplayName("a JSON file is read as JSON, and system property names match keys in any case")
  void jsonFileAndPropertyCase() throws IOException {
    Path file = dir.resolve("node.json");
    Files.writeString(file, "{\"http\": {\"port\": 9100}, \"worker\": {\"cpu\": 3}}");
    NodeSettings settings = settings(file, Map.of(), Map.of("MASTERMIND.SCHEDULER.MAXQUEUEDTASKS", "5"));
    assertThat(settings.gatewayOptions().getPort()).isEqualTo(9100);
    assertThat(settings.nodeConfig().cpuCores()).isEqualTo(3.0);
    assertThat(settings.coordinatorOptions().getMaxQueuedTasks()).isEqualTo(5);
  }

  @Test
  @DisplayName("environment variables and properties that map to no key are ignored; the names in use keep their meaning")
  void unmappedNamesIgnored() {
    NodeSettings settings = NodeSettings.of(null, null, Map.of("MASTERMIND_HOME", "/opt/mm", "MASTERMIND_JAVA_OPTS", "-Xmx1g",
      "MASTERMIND_URL", "http://x", "MASTERMIND_API_TOKEN", "t", "MASTERMIND_NO_SUCH_KEY", "1",
      "MASTERMIND_NEXUS_URL", "http://nexus.example:9000", "MASTERMIND_API_TOKENS", "abc:read"),
      Map.of("mastermind.home", "/opt/mm", "mastermind.jar", "x.jar"));
    assertThat(settings.nexusOptions().getUrl()).isEqualTo("http://nexus.example:9000");
    assertThat(settings.toJson().getJsonArray("apiTokens")).hasSize(1);
  }

  @Test
  @DisplayName("cluster.discovery and its Kubernetes service come from the environment into the Hazelcast join config")
  void kubernetesDiscoveryFromEnvironment() {
    NodeSettings settings = NodeSettings.of(null, null, Map.of("MASTERMIND_CLUSTER_DISCOVERY", "kubernetes",
      "MASTERMIND_CLUSTER_KUBERNETES_SERVICEDNS", "mastermind-hz.mm.svc.cluster.local"));
    var join = io.mastermind.cluster.HazelcastConfigFactory.create(settings.clusterOptions(), settings.nodeId(), settings.roles())
      .getAdvancedNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns")).isEqualTo("mastermind-hz.mm.svc.cluster.local");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThatThrownBy(() -> NodeSettings.of(null, null, Map.of("MASTERMIND_CLUSTER_DISCOVERY", "kubernetes")))
      .hasMessageContaining("cluster.kubernetes.serviceDns");
  }

  @Test
  @DisplayName("an unknown key in the file is refused, naming its path and the closest valid key")
  void unknownKey() throws IOException {
    Path file = yaml("""
      scheduler:
        maxQueuedTask: 5
      """);
    assertThatThrownBy(() -> settings(file, Map.of(), Map.of()))
      .isInstanceOf(ConfigKeys.UnknownKeyException.class)
      .hasMessageContaining("unknown key 'scheduler.maxQueuedTask'")
      .hasMessageContaining("did you mean 'scheduler.maxQueuedTasks'")
      .hasMessageContaining(file.toString());
    assertThat(ConfigKeys.closest("htp")).isEqualTo("http");
    assertThat(ConfigKeys.closest("cluster.discovry")).isEqualTo("cluster.discovery");
  }

  @Test
  @DisplayName("a value of the wrong type is refused with the key, the source and what was expected")
  void badType() throws IOException {
    assertThatThrownBy(() -> settings(null, Map.of("MASTERMIND_HTTP_PORT", "eighty"), Map.of()))
      .hasMessageContaining("MASTERMIND_HTTP_PORT").hasMessageContaining("http.port").hasMessageContaining("whole number")
      .hasMessageContaining("eighty");
    assertThatThrownBy(() -> settings(null, Map.of(), Map.of("mastermind.bridge.enabled", "yes")))
      .hasMessageContaining("mastermind.bridge.enabled").hasMessageContaining("true or false");
    Path file = yaml("http:\n  port: \"8080\"\n");
    assertThatThrownBy(() -> settings(file, Map.of(), Map.of()))
      .hasMessageContaining("http.port must be a whole number, not a string (\"8080\")");
    Path section = yaml("http: 8080\n");
    assertThatThrownBy(() -> settings(section, Map.of(), Map.of())).hasMessageContaining("http must be an object");
  }

  @Test
  @DisplayName("a secret from the environment is never echoed in an error")
  void secretNotEchoed() {
    assertThatThrownBy(() -> NodeSettings.of(null, null, Map.of(), Map.of("mastermind.cluster.secret", "short")))
      .satisfies(e -> assertThat(e.getMessage()).doesNotContain("short"));
  }

  @Test
  @DisplayName("nodes.autoScale is accepted as false and refused as true: nothing scales")
  void autoScale() {
    assertThat(NodeSettings.of(new JsonObject().put("nodes", new JsonObject().put("autoScale", false)), null, Map.of())
      .coordinatorOptions()).isNotNull();
    assertThatThrownBy(() -> NodeSettings.of(new JsonObject().put("nodes", new JsonObject().put("autoScale", true)), null, Map.of()))
      .hasMessageContaining("nodes.autoScale");
  }

  @Test
  @DisplayName("the registry knows every key of the defaults and of the shipped conf/node.json")
  void registryCoversDefaults() throws IOException {
    ConfigKeys.check(NodeSettings.defaults(), "defaults");
    ConfigKeys.check(new JsonObject(Files.readString(repoRoot().resolve("conf/node.json"))), "conf/node.json");
    assertThat(ConfigKeys.environmentNames()).contains("MASTERMIND_HTTP_PORT", "MASTERMIND_SCHEDULER_MAXQUEUEDTASKS",
      "MASTERMIND_CLUSTER_SECRET", "MASTERMIND_NEXUS_URL", "MASTERMIND_DRAINTIMEOUTMS");
  }

  @Test
  @DisplayName("the YAML config example in docs/operations.md uses only known keys of the right types")
  void readmeYamlExample() throws IOException {
    String readme = Files.readString(repoRoot().resolve("docs/operations.md"));
    int start = readme.indexOf("```yaml\n# conf/node.yaml\n");
    assertThat(start).isNotNegative();
    String block = readme.substring(start + "```yaml\n".length(), readme.indexOf("```", start + 7));
    Path file = yaml(block);
    JsonObject content = NodeConfigSources.readFile(file);
    ConfigKeys.check(content, "README example");
    assertThat(content.getJsonObject("scheduler").getInteger("maxQueuedTasks")).isEqualTo(50000);
  }

  @Test
  @DisplayName("the effective config masks secrets and tokens and keeps the rest")
  void masked() {
    String secret = "0123456789abcdef0123456789abcdef";
    NodeSettings settings = NodeSettings.of(new JsonObject().put("apiTokens", new io.vertx.core.json.JsonArray()
        .add("plain-token-value").add(new JsonObject().put("token", "scoped-token-value").put("scopes",
          new io.vertx.core.json.JsonArray().add("read")))),
      null, Map.of("MASTERMIND_CLUSTER_SECRET", secret));
    JsonObject shown = settings.toMaskedJson();
    assertThat(shown.encode()).doesNotContain(secret, "plain-token-value", "scoped-token-value");
    assertThat(shown.getJsonObject("cluster").getString("secret")).isEqualTo("***");
    assertThat(shown.getJsonArray("apiTokens").getString(0)).isEqualTo("***");
    assertThat(shown.getJsonArray("apiTokens").getJsonObject(1).getJsonArray("scopes")).containsExactly("read");
    assertThat(shown.getJsonObject("http").getInteger("port")).isEqualTo(8080);
    assertThat(settings.toJson().getJsonObject("cluster").getString("secret")).isEqualTo(secret); // only a view is masked
  }

  @Test
  @DisplayName("mastermind node --print-config prints the effective config, masked, and exits 0")
  void printConfigCommand() throws IOException {
    Path file = yaml("""
      cluster:
        secret: 0123456789abcdef0123456789abcdef-secret
      http:
        port: 9001
      """);
    System.setProperty("mastermind.worker.prefetch", "11");
    try {
      Run run = run("node", "--conf", file.toString(), "--print-config", "--http-port", "9200");
      assertThat(run.code).isZero();
      JsonObject printed = new JsonObject(run.out);
      assertThat(printed.getJsonObject("http").getInteger("port")).isEqualTo(9200);
      assertThat(printed.getJsonObject("worker").getInteger("prefetch")).isEqualTo(11);
      assertThat(printed.getJsonObject("cluster").getString("secret")).isEqualTo("***");
      assertThat(run.out).doesNotContain("0123456789abcdef0123456789abcdef-secret");
    } finally {
      System.clearProperty("mastermind.worker.prefetch");
    }
  }

  @Test
  @DisplayName("mastermind node with an unknown key or a bad value in its file exits 2 with the reason")
  void badFileCommand() throws IOException {
    Run unknown = run("node", "--conf", yaml("http:\n  prot: 8080\n").toString());
    assertThat(unknown.code).isEqualTo(NodeCommand.EXIT_BAD_CONFIG);
    assertThat(unknown.err).contains("unknown key 'http.prot'", "did you mean 'http.port'");
    Run badYaml = run("node", "--conf", yaml("http: [unclosed\n").toString());
    assertThat(badYaml.code).isEqualTo(NodeCommand.EXIT_BAD_CONFIG);
    assertThat(badYaml.err).contains("bad config", "node.yaml");
  }

  private record Run(int code, String out, String err) {
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(dir.resolve("conf/node.json"))) {
      dir = dir.getParent();
    }
    return dir;
  }
}
