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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /metrics} of a real node (its own Vert.x with Prometheus and JVM metrics, as {@code mastermind
 * node} starts it) scraped over HTTP and read with a strict Prometheus text parser: the leader's task
 * histograms (with buckets, by type and function), its gauges and counters, and the JVM's metrics.
 */
@DisplayName("/metrics: strict Prometheus text with the leader's task histograms, gauges and counters, and JVM metrics")
@Timeout(120)
class MetricsTest {

  private static final int MAX_QUEUED = 3;
  private static MastermindNode node;
  private static final HttpClient http = TestHttp.builder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    JsonObject settings = new JsonObject()
      .put("nodeId", "metrics-node")
      .put("http", new JsonObject().put("port", 0))
      .put("management", new JsonObject().put("port", 0))
      // one core and no prefetch: a task holding the core keeps the others queued
      .put("worker", new JsonObject().put("cpu", 1).put("memory", 1024).put("prefetch", 0))
      .put("scheduler", new JsonObject().put("maxQueuedTasks", MAX_QUEUED).put("retryBaseMs", 20).put("retryMaxMs", 100));
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

  private static HttpResponse<String> post(String path, JsonObject body) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(node.httpUrl() + path)).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  /** Scrapes the management port's {@code /metrics} and parses it strictly. */
  private static PrometheusText scrape() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(node.managementUrl() + "/metrics")).GET());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain").contains("version=0.0.4");
    return PrometheusText.parse(response.body());
  }

  private static JsonObject task(String type, String function, JsonObject data) {
    return new JsonObject().put("type", type).put("payload", new JsonObject().put("function", function).put("data", data));
  }

  private static JsonObject run(JsonObject task) throws Exception {
    HttpResponse<String> response = post("/api/v1/tasks?wait=20000", task);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  @Test
  @DisplayName("tasks move the histograms (buckets and counts by type and function), the counters and the leader's gauges; JVM metrics are there")
  void histogramsGaugesAndCounters() throws Exception {
    PrometheusText first = scrape();
    // JVM and process metrics
    for (String family : List.of("jvm_memory_used_bytes", "jvm_gc_max_data_size_bytes", "jvm_threads_live_threads",
      "jvm_classes_loaded_classes", "process_cpu_usage", "system_cpu_count", "process_uptime_seconds")) {
      assertThat(first.has(family)).as(family).isTrue();
    }
    assertThat(first.family("jvm_memory_used_bytes").type()).isEqualTo("gauge");
    // the leader's gauges and counters, before any task
    assertThat(first.family("mastermind_tasks_submitted_total").type()).isEqualTo("counter");
    assertThat(first.value("mastermind_tasks_submitted_total")).isZero();
    assertThat(first.value("mastermind_tasks_rejected_total", "code", "QUEUE_FULL")).isZero();
    for (String priority : List.of("low", "normal", "high", "critical")) {
      assertThat(first.value("mastermind_tasks_queued", "priority", priority)).as(priority).isZero();
    }
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
      PrometheusText m = scrape();
      assertThat(m.value("mastermind_nodes", "state", "healthy")).isEqualTo(1.0);
      assertThat(m.value("mastermind_leader_epoch")).isGreaterThanOrEqualTo(1.0);
      // per-node gauges of the one node: what it offers, nothing reserved yet, a calm failure detector
      assertThat(m.value("mastermind_node_cpu_capacity_cores", "node", "metrics-node")).isEqualTo(1.0);
      assertThat(m.value("mastermind_node_memory_capacity_bytes", "node", "metrics-node")).isEqualTo(1024.0 * 1024 * 1024);
      assertThat(m.value("mastermind_node_cpu_reserved_cores", "node", "metrics-node")).isZero();
      assertThat(m.value("mastermind_node_memory_reserved_bytes", "node", "metrics-node")).isZero();
      assertThat(m.value("mastermind_node_phi", "node", "metrics-node")).isBetween(0.0, 8.0);
      assertThat(m.value("mastermind_node_memory_used_bytes", "node", "metrics-node")).isPositive();
      assertThat(m.value("mastermind_node_cpu_usage_ratio", "node", "metrics-node")).isBetween(0.0, 1.0);
      assertThat(m.family("mastermind_node_phi").type()).isEqualTo("gauge");
    });

    // three echo tasks succeed; one fail task is retried once and fails
    for (int i = 0; i < 3; i++) {
      assertThat(run(task("compute", "echo", new JsonObject().put("i", i))).getString("status")).isEqualTo("succeeded");
    }
    assertThat(run(task("compute", "fail", new JsonObject()).put("maxRetries", 1)).getString("status")).isEqualTo("failed");

    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
      PrometheusText m = scrape();
      for (String histogram : List.of("mastermind_task_run_seconds", "mastermind_task_queue_wait_seconds",
        "mastermind_task_submit_to_result_seconds")) {
        assertThat(m.family(histogram).type()).as(histogram).isEqualTo("histogram");
        assertThat(m.value(histogram + "_count", "type", "compute", "function", "echo")).as(histogram).isEqualTo(3.0);
        assertThat(m.value(histogram + "_bucket", "type", "compute", "function", "echo", "le", "+Inf")).isEqualTo(3.0);
        assertThat(m.find(histogram + "_bucket", "type", "compute", "function", "echo")).as(histogram).hasSizeGreaterThan(10);
        assertThat(m.value(histogram + "_count", "type", "compute", "function", "fail")).as(histogram).isEqualTo(1.0);
      }
      // an echo runs in well under 10 s: every one is in the 10 s bucket
      assertThat(m.value("mastermind_task_submit_to_result_seconds_bucket", "type", "compute", "function", "echo", "le", "10.0"))
        .isEqualTo(3.0);
      assertThat(m.value("mastermind_tasks_submitted_total")).isEqualTo(4.0);
      assertThat(m.value("mastermind_tasks_finished_total", "status", "succeeded")).isEqualTo(3.0);
      assertThat(m.value("mastermind_tasks_finished_total", "status", "failed")).isEqualTo(1.0);
      assertThat(m.value("mastermind_tasks_retried_total")).isEqualTo(1.0);
    });

    // gauges: one task runs and holds the node's one core, three wait for it at high priority, the next is refused
    List<String> ids = new ArrayList<>();
    ids.add(accepted(task("io_bound", "sleep", new JsonObject().put("ms", 60_000))
      .put("requirements", new JsonObject().put("cpu", 1).put("memory", 64))));
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
      .untilAsserted(() -> assertThat(scrape().value("mastermind_tasks_running")).isEqualTo(1.0));
    for (int i = 0; i < MAX_QUEUED; i++) {
      ids.add(accepted(task("compute", "echo", new JsonObject()).put("priority", "high")
        .put("requirements", new JsonObject().put("cpu", 1).put("memory", 64))));
    }
    HttpResponse<String> refused = post("/api/v1/tasks", task("compute", "echo", new JsonObject()));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
      PrometheusText m = scrape();
      assertThat(m.value("mastermind_tasks_queued", "priority", "high")).isEqualTo(MAX_QUEUED);
      assertThat(m.value("mastermind_tasks_queued", "priority", "normal")).isZero();
      assertThat(m.value("mastermind_tasks_running")).isEqualTo(1.0);
      assertThat(m.value("mastermind_tasks_rejected_total", "code", "QUEUE_FULL")).isEqualTo(1.0);
      assertThat(m.value("mastermind_tasks_submitted_total")).isEqualTo(4.0 + 1 + MAX_QUEUED);
      // the running sleep's reservation shows on its node
      assertThat(m.value("mastermind_node_cpu_reserved_cores", "node", "metrics-node")).isEqualTo(1.0);
      assertThat(m.value("mastermind_node_memory_reserved_bytes", "node", "metrics-node")).isEqualTo(64.0 * 1024 * 1024);
    });

    // the queued ones first: cancelling the running one first would free the core for them
    for (int i = ids.size() - 1; i >= 0; i--) {
      String id = ids.get(i);
      HttpResponse<String> cancelled = send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/api/v1/tasks/" + id)).DELETE());
      assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
    }
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
      PrometheusText m = scrape();
      assertThat(m.value("mastermind_tasks_queued", "priority", "high")).isZero();
      assertThat(m.value("mastermind_tasks_running")).isZero();
      assertThat(m.value("mastermind_node_cpu_reserved_cores", "node", "metrics-node")).isZero();
      assertThat(m.value("mastermind_tasks_finished_total", "status", "cancelled")).isEqualTo(1.0 + MAX_QUEUED);
      // the cancelled sleep ran: its run time is recorded; the queued ones have a submit→result only
      assertThat(m.value("mastermind_task_run_seconds_count", "type", "io_bound", "function", "sleep")).isEqualTo(1.0);
      assertThat(m.value("mastermind_task_submit_to_result_seconds_count", "type", "compute", "function", "echo"))
        .isEqualTo(3.0 + MAX_QUEUED);
    });
  }

  private static String accepted(JsonObject task) throws Exception {
    HttpResponse<String> response = post("/api/v1/tasks", task);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return new JsonObject(response.body()).getString("id");
  }
}
