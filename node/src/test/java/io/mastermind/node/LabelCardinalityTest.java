package io.mastermind.node;

import io.mastermind.testsupport.TestHttp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Vert.x's HTTP and event-bus metrics of a real node keep a bounded number of series whatever clients
 * send: many distinct task ids in paths, made-up HTTP methods, per-node inbox addresses.
 */
@DisplayName("Vert.x HTTP and event-bus metrics: label values a client cannot multiply")
@Timeout(120)
class LabelCardinalityTest {

  private static final int IDS = 60;
  private static MastermindNode node;
  private static final HttpClient http = TestHttp.builder()
    .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    JsonObject settings = new JsonObject().put("nodeId", "labels-node")
      .put("http", new JsonObject().put("port", 0))
      .put("management", new JsonObject().put("port", 0))
      .put("metrics", new JsonObject().put("eventBus", true))
      .put("worker", new JsonObject().put("cpu", 2).put("memory", 1024));
    node = MastermindNode.startOwned(NodeSettings.of(null, settings)).toCompletionStage().toCompletableFuture()
      .get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static PrometheusText scrape() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(node.managementUrl() + "/metrics")));
    assertThat(response.statusCode()).isEqualTo(200);
    return PrometheusText.parse(response.body());
  }

  private static Set<Map<String, String>> series(PrometheusText metrics, String prefix) {
    return metrics.samplesStartingWith(prefix).stream().map(s -> Map.copyOf(s.labels())).collect(Collectors.toSet());
  }

  @Test
  @DisplayName("distinct task ids in paths and made-up methods add no HTTP series; routes are templates, never raw paths")
  void httpSeriesAreBounded() throws Exception {
    String base = node.httpUrl() + "/api/v1/tasks/";
    for (int i = 0; i < 3; i++) {
      send(HttpRequest.newBuilder(URI.create(base + "warm-" + i)).GET());
    }
    send(HttpRequest.newBuilder(URI.create(base + "warm-x")).method("BREW", HttpRequest.BodyPublishers.noBody()));
    scrape(); // the scrape's own request is a series too: there before counting
    Set<Map<String, String>> seriesBefore = series(scrape(), "vertx_http_server_");
    int before = seriesBefore.size();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < IDS; i++) {
      String id = "id-" + UUID.randomUUID();
      ids.add(id);
      assertThat(send(HttpRequest.newBuilder(URI.create(base + id)).GET()).statusCode()).isEqualTo(404);
      send(HttpRequest.newBuilder(URI.create(base + id)).method("M" + i, HttpRequest.BodyPublishers.noBody()));
    }
    PrometheusText after = scrape();
    Set<Map<String, String>> series = series(after, "vertx_http_server_");
    assertThat(series.size()).as("series after %d distinct ids and methods: %s, before %s", IDS, series, seriesBefore)
      .isEqualTo(before);
    assertThat(series).allSatisfy(labels -> {
      assertThat(labels).doesNotContainKey("path");
      assertThat(labels.values()).noneMatch(v -> v.contains("id-"));
      if (labels.containsKey("method")) {
        assertThat(labels.get("method")).isIn("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE",
          VertxMetricsSettings.OTHER);
      }
    });
    assertThat(after.find("vertx_http_server_requests_total", "method", VertxMetricsSettings.OTHER)).isNotEmpty();
    assertThat(after.find("vertx_http_server_requests_total", "method", "GET", "code", "404")).isNotEmpty();
  }

  @Test
  @DisplayName("event-bus series: a node's inbox is one templated address, any address not ours is 'other'")
  void eventBusAddressesAreBounded() throws Exception {
    HttpResponse<String> done = send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/api/v1/tasks?wait=20000"))
      .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
        .put("type", "compute").put("payload", new JsonObject().put("function", "echo").put("data", new JsonObject()))
        .encode())));
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    List<String> allowed = new java.util.ArrayList<>(VertxMetricsSettings.ourAddresses());
    allowed.add(VertxMetricsSettings.NODE_INBOX);
    allowed.add(VertxMetricsSettings.OTHER);
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
      PrometheusText metrics = scrape();
      Set<String> addresses = metrics.samplesStartingWith("vertx_eventbus_").stream()
        .map(s -> s.labels().get("address")).filter(a -> a != null).collect(Collectors.toSet());
      assertThat(addresses).contains(VertxMetricsSettings.NODE_INBOX, "mastermind.coordinator.submit");
      assertThat(addresses).allSatisfy(a -> assertThat(a).isIn(allowed));
      assertThat(addresses).noneMatch(a -> a.contains("labels-node"));
    });
  }
}
