package io.mastermind.node;

import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Three clustered nodes in one JVM over Hazelcast on loopback: join, placement, leave, leader change. */
@DisplayName("Cluster mode in one JVM: nodes join over Hazelcast, tasks spread, a standby takes over")
@Timeout(180)
class ClusterModeTest {

  private final String clusterName = "mm-test-" + UUID.randomUUID();
  private final List<MastermindNode> nodes = new ArrayList<>();
  private final ClusterHttp http = new ClusterHttp();

  @AfterEach
  void stopAll() throws Exception {
    for (MastermindNode node : nodes) {
      node.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private MastermindNode start(String id, List<String> roles, int clusterPort, Integer seedPort) throws Exception {
    JsonObject cluster = new JsonObject().put("enabled", true).put("port", clusterPort)
      .put("join", new JsonArray(seedPort == null ? List.of() : List.of("127.0.0.1:" + seedPort)));
    JsonObject settings = new JsonObject().put("nodeId", id).put("clusterName", clusterName)
      .put("roles", new JsonArray(roles)).put("cluster", cluster)
      .put("http", new JsonObject().put("port", 0))
      .put("worker", new JsonObject().put("cpu", 2).put("memory", 1024))
      .put("scheduler", new JsonObject().put("rejoinGraceMs", 1500));
    MastermindNode node = MastermindNode.startClustered(NodeSettings.of(null, settings), new VertxOptions())
      .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    nodes.add(node);
    return node;
  }

  private JsonObject call(String method, String url, String body) throws Exception {
    return http.call(method, url, body);
  }

  private static String sleepTask(String id, int ms) {
    return ClusterHttp.sleepTask(id, ms);
  }

  @Test
  @DisplayName("workers join the leader, tasks spread over them, a drained worker leaves, and a standby takes over with every record")
  void clusterLifecycle() throws Exception {
    int seed = NodeProcess.freePort();
    MastermindNode leader = start("c1", List.of("coordinator", "gateway"), seed, null);
    start("w1", List.of("worker"), NodeProcess.freePort(), seed);
    MastermindNode standby = start("w2", List.of("coordinator", "gateway", "worker"), NodeProcess.freePort(), seed);
    String leaderUrl = leader.httpUrl();

    // join: both workers are known to the leader; the leader itself runs no worker
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
      JsonArray list = call("GET", leaderUrl + "/api/v1/nodes", null).getJsonArray("nodes");
      assertThat(list.stream().map(n -> ((JsonObject) n).getString("id"))).containsExactlyInAnyOrder("w1", "w2");
      assertThat(list.stream().map(n -> ((JsonObject) n).getString("state"))).containsOnly("healthy");
    });
    assertThat(call("GET", leaderUrl + "/api/v1/cluster", null).getJsonObject("leader").getString("nodeId")).isEqualTo("c1");

    // placement across nodes: four one-core tasks on two two-core workers use both
    Set<String> used = new HashSet<>();
    List<String> ids = List.of("spread-1", "spread-2", "spread-3", "spread-4");
    for (String id : ids) {
      assertThat(call("POST", leaderUrl + "/api/v1/tasks", sleepTask(id, 300)).getInteger("httpStatus")).isEqualTo(202);
    }
    for (String id : ids) {
      JsonObject done = call("POST", leaderUrl + "/api/v1/tasks?wait=20000", sleepTask(id, 300));
      assertThat(done.getString("status")).isEqualTo("succeeded");
      used.add(done.getString("node"));
    }
    assertThat(used).containsExactlyInAnyOrder("w1", "w2");

    // the standby's gateway sees the same tasks (it asks the leader over the clustered event bus)
    assertThat(call("GET", standby.httpUrl() + "/api/v1/tasks/spread-1", null).getString("status")).isEqualTo("succeeded");

    // leave: removeNode drains w1 and it leaves
    assertThat(call("DELETE", leaderUrl + "/api/v1/nodes/w1", null).getInteger("httpStatus")).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20))
      .until(() -> "left".equals(call("GET", leaderUrl + "/api/v1/nodes/w1", null).getString("state")));

    // leader change: c1 leaves; w2 (the oldest remaining coordinator) takes over with every record
    call("POST", leaderUrl + "/api/v1/tasks", sleepTask("during-handover", 1500));
    nodes.remove(leader);
    leader.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    String standbyUrl = standby.httpUrl();
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
      assertThat(call("GET", standbyUrl + "/api/v1/cluster", null).getJsonObject("leader").getString("nodeId")).isEqualTo("w2"));
    assertThat(call("GET", standbyUrl + "/api/v1/tasks/spread-4", null).getString("status")).isEqualTo("succeeded");
    JsonObject handedOver = call("POST", standbyUrl + "/api/v1/tasks?wait=20000", sleepTask("during-handover", 1500));
    assertThat(handedOver.getString("status")).isEqualTo("succeeded");
    JsonObject after = call("POST", standbyUrl + "/api/v1/tasks?wait=20000", sleepTask("after-handover", 10));
    assertThat(after.getString("status")).isEqualTo("succeeded");
    assertThat(after.getString("node")).isEqualTo("w2");
  }
}
