package io.mastermind.node;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The leading coordinator killed with SIGKILL while a worker is reporting outcomes: a result once
 * reported never changes, no task runs twice when its worker survived, and each task's events arrive
 * in lifecycle order. Watched from a surviving gateway's WebSocket, as a client would.
 */
@DisplayName("kill -9 of the leader while results flow: reported results never change")
@Timeout(240)
class LeaderKillResultsIT {

  private static final int TASKS = 300;
  private static final List<String> LIFECYCLE = List.of("task:submitted", "task:scheduled", "task:started", "task:completed");

  private final List<NodeProcess> started = new ArrayList<>();
  private final ClusterHttp http = new ClusterHttp();
  private final String cluster = "mm-it-" + UUID.randomUUID();
  private Vertx vertx;

  @AfterEach
  void cleanUp() throws Exception {
    started.forEach(NodeProcess::destroyIfAlive);
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private int start(String id, String roles, int clusterPort, int seedPort) throws Exception {
    int httpPort = NodeProcess.freePort();
    Path conf = Files.createTempFile("mm-cluster", ".json");
    Files.writeString(conf, new JsonObject().put("clusterName", cluster).encode());
    conf.toFile().deleteOnExit();
    List<String> args = new ArrayList<>(List.of("--node-id", id, "--roles", roles, "--cluster", "--conf", conf.toString(),
      "--cluster-port", String.valueOf(clusterPort), "--http-port", String.valueOf(httpPort), "--cpu", "2", "--memory", "1024"));
    if (seedPort != clusterPort) {
      args.addAll(List.of("--join", "127.0.0.1:" + seedPort));
    }
    NodeProcess process = NodeProcess.start(args.toArray(String[]::new));
    started.add(process);
    process.awaitReady();
    return httpPort;
  }

  private static String piTask(String id) {
    return new JsonObject().put("id", id).put("type", "compute")
      .put("payload", new JsonObject().put("function", "pi").put("data", new JsonObject().put("samples", 1_500_000))).encode();
  }

  @Test
  @DisplayName("every task succeeds once, with the result its task:completed said, attempts 1, events in order")
  void resultsSurviveLeaderKill() throws Exception {
    int seed = NodeProcess.freePort();
    int leaderHttp = start("c1", "coordinator,gateway", seed, seed);
    int standbyHttp = start("c2", "coordinator,gateway", NodeProcess.freePort(), seed);
    start("w1", "worker", NodeProcess.freePort(), seed);
    String leader = "http://127.0.0.1:" + leaderHttp;
    String standby = "http://127.0.0.1:" + standbyHttp;
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
      http.call("GET", leader + "/api/v1/cluster", null).getJsonObject("nodes").getInteger("healthy") == 1);

    vertx = Vertx.vertx();
    WsClient watcher = WsClient.connect(vertx, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(standbyHttp)
      .setURI("/api/v1/ws")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    watcher.request(new JsonObject().put("op", "subscribe").put("ref", "s1").put("events", List.of("task:*")),
      io.mastermind.protocol.WebSocketFrames.Op.SUBSCRIBED).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      String id = "pi-" + i;
      assertThat(http.call("POST", standby + "/api/v1/tasks", piTask(id)).getInteger("httpStatus")).isEqualTo(202);
      ids.add(id);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> completedEvents(watcher).size() >= 40);
    started.get(0).killHard();

    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
      JsonObject page = http.call("GET", standby + "/api/v1/tasks?status=succeeded&limit=1000", null);
      assertThat(page.getInteger("count")).isEqualTo(TASKS);
    });
    Map<String, Object> reported = completedEvents(watcher);
    assertThat(reported).isNotEmpty();
    for (String id : ids) {
      JsonObject record = http.call("GET", standby + "/api/v1/tasks/" + id, null);
      assertThat(record.getString("status")).as(id).isEqualTo("succeeded");
      assertThat(record.getInteger("attempts")).as(id + " ran on a worker that never died").isEqualTo(1);
      if (reported.containsKey(id)) {
        assertThat(record.getValue("result")).as("the result task:completed reported for " + id).isEqualTo(reported.get(id));
      }
    }
    assertEventsInOrder(watcher);
    assertThat(http.call("GET", standby + "/api/v1/cluster", null).getJsonObject("leader").getString("nodeId")).isEqualTo("c2");
  }

  /** Task id to the result its first task:completed event carried. */
  private static Map<String, Object> completedEvents(WsClient watcher) {
    Map<String, Object> results = new HashMap<>();
    for (JsonObject frame : watcher.frames()) {
      JsonObject event = frame.getJsonObject("event");
      if (event != null && "task:completed".equals(event.getString("event"))) {
        results.putIfAbsent(event.getString("taskId"), event.getJsonObject("data").getValue("result"));
      }
    }
    return results;
  }

  /** The lifecycle events seen of each task come in lifecycle order (some may be lost with the leader). */
  private static void assertEventsInOrder(WsClient watcher) {
    Map<String, Integer> last = new HashMap<>();
    for (JsonObject frame : watcher.frames()) {
      JsonObject event = frame.getJsonObject("event");
      if (event == null || !LIFECYCLE.contains(event.getString("event"))) {
        continue;
      }
      int rank = LIFECYCLE.indexOf(event.getString("event"));
      Integer before = last.put(event.getString("taskId"), rank);
      if (before != null) {
        assertThat(rank).as(event.getString("taskId") + ": " + event.getString("event") + " after rank " + before)
          .isGreaterThanOrEqualTo(before);
      }
    }
  }
}
