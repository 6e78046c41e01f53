package io.mastermind.node;

import io.mastermind.testsupport.TestHttp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboard in {@code docs/grafana} is valid JSON, and every metric its queries name is one
 * a real node exports (read from its {@code /metrics} with the strict parser), so a renamed metric
 * cannot leave the dashboard silently empty.
 */
@DisplayName("docs/grafana/mastermind-dashboard.json queries only metrics the nodes export")
@Timeout(120)
class DashboardTest {

  private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "mastermind-dashboard.json");
  /** A metric name in PromQL: ours, Vert.x's or the JVM's (label names and functions are not metrics). */
  private static final Pattern METRIC = Pattern.compile("\\b((?:mastermind|vertx|jvm|process|system)_[a-zA-Z0-9_:]*)");

  static Set<String> queriedMetrics(JsonObject dashboard) {
    Set<String> names = new TreeSet<>();
    for (Object p : dashboard.getJsonArray("panels")) {
      for (Object t : ((JsonObject) p).getJsonArray("targets", new JsonArray())) {
        Matcher m = METRIC.matcher(((JsonObject) t).getString("expr"));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  @Test
  @DisplayName("valid JSON with panels, each with a query; every queried metric is in a node's /metrics")
  void everyQueriedMetricIsExported() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    assertThat(dashboard.getString("title")).isEqualTo("Mastermind");
    JsonArray panels = dashboard.getJsonArray("panels");
    assertThat(panels).isNotEmpty();
    panels.forEach(p -> assertThat(((JsonObject) p).getJsonArray("targets")).as(((JsonObject) p).getString("title")).isNotEmpty());
    Set<String> queried = queriedMetrics(dashboard);
    assertThat(queried).contains("mastermind_task_run_seconds_bucket", "mastermind_tasks_queued", "mastermind_node_phi");

    JsonObject settings = new JsonObject().put("nodeId", "dashboard-node")
      .put("http", new JsonObject().put("port", 0))
      .put("management", new JsonObject().put("port", 0))
      .put("worker", new JsonObject().put("cpu", 1).put("memory", 1024))
      // signed node messages: the node authentication counters exist
      .put("cluster", new JsonObject().put("secret", "dashboard-test-secret-0123456789abcdef0123456789"));
    MastermindNode node = MastermindNode.startOwned(NodeSettings.of(null, settings)).toCompletionStage().toCompletableFuture()
      .get(60, TimeUnit.SECONDS);
    HttpClient http = TestHttp.builder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      HttpResponse<String> ran = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/api/v1/tasks?wait=20000"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(TestNode.task("compute", "echo", new JsonObject()).encode())).build(),
        HttpResponse.BodyHandlers.ofString());
      assertThat(ran.statusCode()).as(ran.body()).isEqualTo(200);
      // a request from a foreign origin is refused: the gateway's refusal counter exists
      HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/api/v1/nodes"))
        .header("Origin", "http://evil.example").timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(foreign.statusCode()).isEqualTo(403);
      await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> {
        HttpResponse<String> scraped = http.send(HttpRequest.newBuilder(URI.create(node.managementUrl() + "/metrics"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        PrometheusText metrics = PrometheusText.parse(scraped.body());
        Set<String> missing = new TreeSet<>();
        for (String name : queried) {
          if (metrics.find(name).isEmpty()) {
            missing.add(name);
          }
        }
        assertThat(missing).as("queried by the dashboard, not exported").isEmpty();
      });
    } finally {
      node.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
