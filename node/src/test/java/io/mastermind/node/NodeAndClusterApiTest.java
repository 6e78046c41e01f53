package io.mastermind.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static io.mastermind.node.TestNode.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DisplayName("Nodes, cluster, log level, health and metrics over HTTP")
@Timeout(60)
class NodeAndClusterApiTest {

  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = new TestNode();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  @DisplayName("GET /api/v1/nodes shows capabilities, resources, state, metrics and running tasks")
  void nodes() {
    JsonArray nodes = node.get("/api/v1/nodes").body().getJsonArray("nodes");
    JsonObject self = nodes.stream().map(JsonObject.class::cast).filter(n -> "test-node".equals(n.getString("id")))
      .findFirst().orElseThrow();
    assertThat(self.getJsonArray("capabilities")).contains("compute", "io_bound", "data_processing", "ml_training");
    assertThat(self.getJsonObject("resources").getJsonObject("cpu").getDouble("cores")).isEqualTo(4.0);
    assertThat(self.getJsonObject("resources").getJsonObject("memory").getLong("total")).isEqualTo(4096L);
    assertThat(self.getJsonObject("resources").getBoolean("gpu")).isFalse();
    assertThat(self.getString("state")).isEqualTo("healthy");
    assertThat(self.getInteger("runningTasks")).isNotNull();
    await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
      JsonObject metrics = node.workerNode().getJsonObject("metrics");
      assertThat(metrics.getJsonObject("cpu").getDouble("usage")).isBetween(0.0, 1.0);
      assertThat(metrics.getJsonObject("memory").getLong("available")).isPositive();
      assertThat(metrics.getJsonObject("network").getLong("bytesIn")).isNotNull();
    });
  }

  @Test
  @DisplayName("addNode starts a gpu worker that takes gpu tasks; removeNode drains it and it leaves")
  void addAndRemoveNode() {
    JsonObject config = new JsonObject().put("id", "gpu-box").put("capabilities", new JsonArray().add("ml_training").add("compute"))
      .put("resources", new JsonObject().put("cpu", new JsonObject().put("cores", 2).put("speed", 2.5))
        .put("memory", new JsonObject().put("total", 2048).put("available", 2048)).put("gpu", true));
    TestNode.Response added = node.post("/api/v1/nodes", config.encode());
    assertThat(added.status()).isEqualTo(201);
    assertThat(added.body().getString("state")).isEqualTo("healthy");
    assertThat(added.body().getJsonObject("functions").getJsonArray("primes")).contains("compute");
    assertThat(node.post("/api/v1/nodes", config.encode()).status()).isEqualTo(409);

    JsonObject gpuTask = task("compute", "primes", new JsonObject().put("upTo", 1000))
      .put("requirements", new JsonObject().put("gpu", true));
    JsonObject ran = node.run(gpuTask);
    assertThat(ran.getString("node")).isEqualTo("gpu-box");
    assertThat(ran.getJsonObject("result").getInteger("count")).isEqualTo(168);

    TestNode.Response removed = node.delete("/api/v1/nodes/gpu-box");
    assertThat(removed.status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10))
      .until(() -> "left".equals(node.get("/api/v1/nodes/gpu-box").body().getString("state")));
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(node.events).anySatisfy(e -> {
      assertThat(e.getString("event")).isEqualTo("node:leave");
      assertThat(e.getString("nodeId")).isEqualTo("gpu-box");
    }));
    // with the gpu node gone, a gpu task cannot be placed anywhere
    assertThat(node.post("/api/v1/tasks", gpuTask.encode()).status()).isEqualTo(400);
  }

  private static JsonObject nodeConfig(String id, int cores, long memoryMb) {
    return new JsonObject().put("id", id).put("capabilities", new JsonArray().add("io_bound"))
      .put("resources", new JsonObject().put("cpu", cores).put("memory", memoryMb));
  }

  @Test
  @DisplayName("removeNode re-places a task that was assigned but not started, and lets the running one finish")
  void removeNodeRebalances() {
    // Two half-core tasks fit "small" (1 core, 1 task thread): one runs, the other waits on the node.
    assertThat(node.post("/api/v1/nodes", nodeConfig("small", 1, 16_384).encode()).status()).isEqualTo(201);
    JsonObject bigSleep = task("io_bound", "sleep", new JsonObject().put("ms", 1_500))
      .put("requirements", new JsonObject().put("cpu", 0.5).put("memory", 5_000));
    String running = node.post("/api/v1/tasks", bigSleep.copy().put("id", "rb-running").encode()).body().getString("id");
    await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(node.get("/api/v1/tasks/" + running).body().getString("status")));
    String waiting = node.post("/api/v1/tasks", bigSleep.copy().put("id", "rb-waiting").encode()).body().getString("id");
    await().atMost(Duration.ofSeconds(10)).until(() -> "scheduled".equals(node.get("/api/v1/tasks/" + waiting).body().getString("status")));
    assertThat(node.get("/api/v1/tasks/" + waiting).body().getString("node")).isEqualTo("small");

    assertThat(node.post("/api/v1/nodes", nodeConfig("spare", 2, 16_384).encode()).status()).isEqualTo(201);
    assertThat(node.delete("/api/v1/nodes/small").body().getString("state")).isEqualTo("draining");

    JsonObject moved = node.post("/api/v1/tasks?wait=20000", bigSleep.copy().put("id", "rb-waiting").encode()).body();
    assertThat(moved.getString("status")).isEqualTo("succeeded");
    assertThat(moved.getString("node")).isEqualTo("spare");
    assertThat(moved.getInteger("attempts")).isEqualTo(2);
    assertThat(moved.getInteger("retries")).isZero();
    JsonObject finished = node.post("/api/v1/tasks?wait=20000", bigSleep.copy().put("id", "rb-running").encode()).body();
    assertThat(finished.getString("status")).isEqualTo("succeeded");
    assertThat(finished.getString("node")).isEqualTo("small");
    await().atMost(Duration.ofSeconds(10))
      .until(() -> "left".equals(node.get("/api/v1/nodes/small").body().getString("state")));
    node.delete("/api/v1/nodes/spare");
  }

  @Test
  @DisplayName("GET /api/v1/cluster shows the name, config, leader and counts")
  void cluster() {
    node.run(task("compute", "echo", new JsonObject()));
    JsonObject cluster = node.get("/api/v1/cluster").body();
    assertThat(cluster.getString("name")).isEqualTo("mastermind");
    assertThat(cluster.getJsonObject("config").getJsonObject("nodes").getInteger("max")).isEqualTo(10);
    assertThat(cluster.getJsonObject("config").getJsonObject("healthCheck").getInteger("interval")).isEqualTo(1000);
    assertThat(cluster.getJsonObject("leader").getString("nodeId")).isEqualTo("test-node");
    assertThat(cluster.getJsonObject("tasks").getInteger("succeeded")).isPositive();
    assertThat(cluster.getJsonObject("nodes").getInteger("healthy")).isPositive();
  }

  @Test
  @DisplayName("PUT /api/v1/log-level changes the level at run time")
  void logLevel() {
    TestNode.Response response = node.put("/api/v1/log-level", "{\"level\":\"DEBUG\"}");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body().getString("level")).isEqualTo("debug");
    assertThat(org.slf4j.LoggerFactory.getLogger("io.mastermind.coordinator").isDebugEnabled()).isTrue();
    node.put("/api/v1/log-level", "{\"level\":\"info\"}");
    assertThat(org.slf4j.LoggerFactory.getLogger("io.mastermind.coordinator").isDebugEnabled()).isFalse();
  }

  @Test
  @DisplayName("/health, /health/live and /health/ready answer Vert.x Health Checks JSON with 200 when UP")
  void health() {
    for (String path : new String[] {"/health", "/health/live", "/health/ready"}) {
      TestNode.Response response = node.get(path);
      assertThat(response.status()).as(path).isEqualTo(200);
      assertThat(response.body().getString("outcome")).as(path).isEqualTo("UP");
    }
    assertThat(node.get("/health/ready").body().getJsonArray("checks").encode()).contains("coordinator", "worker");
  }

  @Test
  @DisplayName("/metrics is Prometheus text with task counters")
  void metrics() {
    node.run(task("compute", "echo", new JsonObject()));
    // the leader's counters are copied for /metrics about every second: wait for the next copy
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      TestNode.Response response = node.get("/metrics");
      assertThat(response.status()).isEqualTo(200);
      String text = response.body().getString("text");
      assertThat(text).contains("# TYPE mastermind_tasks_submitted_total counter");
      assertThat(text).containsPattern("mastermind_tasks_finished_total\\{status=\"succeeded\"\\} [1-9]");
      assertThat(text).contains("mastermind_task_run_seconds_count{function=\"echo\",type=\"compute\"}");
    });
  }
}
