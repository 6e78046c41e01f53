package io.mastermind.node;

import io.mastermind.testsupport.TestHttp;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

/**
 * Two clustered coordinators, each with a registry of its own (as two processes have): only the
 * leader exports the leader's gauges and counters; after it goes, the new leader does.
 */
@DisplayName("Only the leading coordinator exports the task gauges and counters; the next leader takes them over")
@Timeout(180)
class LeaderOnlyMetricsTest {

  private final String clusterName = "mm-metrics-" + UUID.randomUUID();
  private final List<MastermindNode> nodes = new ArrayList<>();
  private final HttpClient http = TestHttp.builder().connectTimeout(Duration.ofSeconds(2)).build();

  @AfterEach
  void stopAll() throws Exception {
    for (MastermindNode node : nodes) {
      node.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private MastermindNode start(String id, List<String> roles, int clusterPort, int seedPort) throws Exception {
    JsonObject settings = new JsonObject().put("nodeId", id).put("clusterName", clusterName)
      .put("roles", new JsonArray(roles))
      .put("cluster", new JsonObject().put("enabled", true).put("port", clusterPort)
        .put("join", new JsonArray(List.of("127.0.0.1:" + seedPort))))
      .put("http", new JsonObject().put("port", 0))
      .put("management", new JsonObject().put("port", 0));
    // no Vert.x metrics: each node keeps a registry of its own, as separate processes do
    MastermindNode node = MastermindNode.startClustered(NodeSettings.of(null, settings), new VertxOptions())
      .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    nodes.add(node);
    return node;
  }

  private PrometheusText scrape(MastermindNode node) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(node.managementUrl() + "/metrics"))
      .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return PrometheusText.parse(response.body());
  }

  @Test
  @DisplayName("the standby's /metrics has no leader meters; once the leader is gone the new one exports the queue it adopted")
  void onlyTheLeaderExports() throws Exception {
    int port1 = NodeProcess.freePort();
    int port2 = NodeProcess.freePort();
    MastermindNode c1 = start("c1", List.of("coordinator", "gateway"), port1, port2);
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
      .until(() -> scrape(c1).has("mastermind_leader_epoch"));
    MastermindNode c2 = start("c2", List.of("coordinator"), port2, port1);

    // no worker: two accepted tasks stay queued
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(c1.httpUrl() + "/api/v1/tasks"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("type", "compute")
          .put("payload", new JsonObject().put("function", "echo").put("data", new JsonObject())).encode())).build(),
        HttpResponse.BodyHandlers.ofString());
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    }
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
      PrometheusText leader = scrape(c1);
      assertThat(leader.value("mastermind_tasks_submitted_total")).isEqualTo(2.0);
      assertThat(leader.value("mastermind_tasks_queued", "priority", "normal")).isEqualTo(2.0);
    });
    PrometheusText standby = scrape(c2);
    for (String family : List.of("mastermind_tasks_submitted_total", "mastermind_tasks_queued", "mastermind_tasks_running",
      "mastermind_nodes", "mastermind_leader_epoch", "mastermind_tasks_finished_total")) {
      assertThat(standby.has(family)).as("a standby exports no " + family).isFalse();
    }
    double epoch = scrape(c1).value("mastermind_leader_epoch");

    // the leader goes: c2 takes over, adopts the queued tasks and exports the meters
    nodes.remove(c1);
    c1.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
      PrometheusText leader = scrape(c2);
      assertThat(leader.value("mastermind_leader_epoch")).isGreaterThan(epoch);
      assertThat(leader.value("mastermind_tasks_queued", "priority", "normal")).isEqualTo(2.0);
      assertThat(leader.value("mastermind_tasks_submitted_total")).as("counted since this takeover").isZero();
    });
  }
}
