package io.mastermind.node;

import io.mastermind.testsupport.TestHttp;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The management port: {@code /metrics} and {@code /health*} on a node without the gateway role. */
@DisplayName("The management port serves /metrics and /health* on any node, and readiness means the node can do its job")
@Timeout(180)
class ManagementPortTest {

  private final String clusterName = "mm-mgmt-" + UUID.randomUUID();
  private final List<MastermindNode> nodes = new ArrayList<>();
  private final HttpClient http = TestHttp.builder().connectTimeout(Duration.ofSeconds(2)).build();

  record Answer(int status, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  @AfterEach
  void stopAll() throws Exception {
    for (MastermindNode node : nodes) {
      node.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private Answer get(String url) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
      HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body());
  }

  private static VertxOptions withMetrics() {
    return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
  }

  private MastermindNode startClustered(String id, List<String> roles, int clusterPort, int seedPort) throws Exception {
    JsonObject settings = new JsonObject().put("nodeId", id).put("clusterName", clusterName)
      .put("roles", new JsonArray(roles))
      .put("cluster", new JsonObject().put("enabled", true).put("port", clusterPort)
        .put("join", new JsonArray(List.of("127.0.0.1:" + seedPort))))
      .put("http", new JsonObject().put("port", 0))
      .put("management", new JsonObject().put("port", 0))
      .put("worker", new JsonObject().put("cpu", 2).put("memory", 1024));
    MastermindNode node = MastermindNode.startClustered(NodeSettings.of(null, settings), withMetrics())
      .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    nodes.add(node);
    return node;
  }

  private static JsonObject check(JsonObject health, String id) {
    return health.getJsonArray("checks").stream().map(JsonObject.class::cast)
      .filter(c -> id.equals(c.getString("id"))).findFirst().orElseThrow(() -> new AssertionError("no check " + id + " in " + health));
  }

  @Test
  @DisplayName("a worker-only node's management port serves Prometheus metrics; it is ready once joined, and DOWN with its reason when the leader is gone")
  void workerOnlyNode() throws Exception {
    int workerPort = NodeProcess.freePort();
    int coordinatorPort = NodeProcess.freePort();
    MastermindNode worker = startClustered("w1", List.of("worker"), workerPort, coordinatorPort);
    assertThat(worker.httpUrl()).as("no gateway on a worker-only node").isNull();
    String management = worker.managementUrl();
    assertThat(management).startsWith("http://127.0.0.1:");

    // no leader yet: not ready, and it says why
    Answer notJoined = get(management + "/health/ready");
    assertThat(notJoined.status()).isEqualTo(503);
    assertThat(check(notJoined.json(), "worker").getString("status")).isEqualTo("DOWN");
    assertThat(check(notJoined.json(), "worker").getJsonObject("data").getString("reason")).contains("join");
    assertThat(get(management + "/health/live").status()).isEqualTo(200);

    // a coordinator-only standby joins the cluster: it is ready as a member; the worker joins it
    MastermindNode coordinator = startClustered("c1", List.of("coordinator"), coordinatorPort, workerPort);
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
      .until(() -> get(coordinator.managementUrl() + "/health/ready").status() == 200);
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
      .until(() -> get(management + "/health/ready").status() == 200);
    JsonObject ready = get(management + "/health/ready").json();
    assertThat(check(ready, "worker").getJsonObject("data").getString("leader")).isEqualTo("c1");
    assertThat(check(ready, "cluster").getString("status")).isEqualTo("UP");
    assertThat(ready.encode()).as("cluster-safe state is not readiness").doesNotContain("safe");
    assertThat(get(management + "/health").body()).contains("safe");

    // Prometheus text, with Vert.x's own meters and this scrape's HTTP server meters
    Answer metrics = get(management + "/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    List<String> samples = metrics.body().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    assertThat(samples).isNotEmpty();
    for (String sample : samples.subList(0, Math.min(20, samples.size()))) {
      String value = sample.substring(sample.lastIndexOf(' ') + 1);
      assertThat(Double.parseDouble(value)).as(sample).isNotNaN();
    }
    assertThat(samples).anySatisfy(l -> assertThat(l).startsWith("vertx_http_server_"));

    // the leader goes: the worker is no longer ready, and says why
    nodes.remove(coordinator);
    coordinator.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
      Answer gone = get(management + "/health/ready");
      assertThat(gone.status()).isEqualTo(503);
      assertThat(check(gone.json(), "worker").getJsonObject("data").getString("reason")).contains("leader");
    });
  }

  @Test
  @DisplayName("a gateway with no worker is ready (worker counts are data), on its HTTP port and on its management port")
  void gatewayWithoutWorkers() throws Exception {
    JsonObject settings = new JsonObject().put("nodeId", "gw").put("roles", new JsonArray(List.of("coordinator", "gateway")))
      .put("http", new JsonObject().put("port", 0)).put("management", new JsonObject().put("port", 0));
    MastermindNode node = MastermindNode.startOwned(NodeSettings.of(null, settings))
      .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    nodes.add(node);
    for (String base : List.of(node.httpUrl(), node.managementUrl())) {
      Answer ready = get(base + "/health/ready");
      assertThat(ready.status()).as(base).isEqualTo(200);
      JsonObject data = check(ready.json(), "coordinator").getJsonObject("data");
      assertThat(data.getJsonObject("leader").getString("nodeId")).isEqualTo("gw");
      assertThat(data.getJsonObject("nodes").getInteger("healthy", 0)).isZero();
      assertThat(get(base + "/metrics").body()).contains("vertx_http_server_");
    }
  }

  @Test
  @DisplayName("the management port is off unless set; --management-port and --management-host set it")
  void offUnlessSet() throws Exception {
    assertThat(NodeSettings.of(null, null).managementOptions().isEnabled()).isFalse();
    try (TestNode node = new TestNode()) {
      assertThat(node.node.managementUrl()).as("no management listener").isNull();
    }
    NodeCommand command = new NodeCommand();
    new CommandLine(command).parseArgs("--management-port", "9464");
    ManagementOptions options = NodeSettings.of(null, command.overrides()).managementOptions();
    assertThat(options.getPort()).isEqualTo(9464);
    assertThat(options.getHost()).isEqualTo("127.0.0.1");
    new CommandLine(command).parseArgs("--management-port", "9464", "--management-host", "0.0.0.0");
    assertThat(NodeSettings.of(null, command.overrides()).managementOptions().getHost()).isEqualTo("0.0.0.0");
  }
}
