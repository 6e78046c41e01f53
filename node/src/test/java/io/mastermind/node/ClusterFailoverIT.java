package io.mastermind.node;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real JVMs on loopback, killed with SIGKILL: a worker with tasks running, then the leading
 * coordinator. Every accepted task must end succeeded, visible from a surviving gateway.
 */
@DisplayName("kill -9 of a worker or of the leading coordinator loses no accepted task")
@Timeout(300)
class ClusterFailoverIT {

  private final List<NodeProcess> started = new ArrayList<>();
  private final ClusterHttp http = new ClusterHttp();
  private final String cluster = "mm-it-" + UUID.randomUUID();

  /** One node of the test cluster with its HTTP port. */
  private record Node(NodeProcess process, String url) {
  }

  @AfterEach
  void killLeftovers() {
    started.forEach(NodeProcess::destroyIfAlive);
  }

  private Node start(String id, String roles, int clusterPort, int seedPort) throws Exception {
    int httpPort = NodeProcess.freePort();
    List<String> args = new ArrayList<>(List.of("--node-id", id, "--roles", roles, "--cluster",
      "--cluster-port", String.valueOf(clusterPort), "--http-port", String.valueOf(httpPort), "--cpu", "2", "--memory", "1024"));
    if (seedPort != clusterPort) {
      args.addAll(List.of("--join", "127.0.0.1:" + seedPort));
    }
    NodeProcess process = NodeProcess.start(withClusterName(args));
    started.add(process);
    process.awaitReady();
    return new Node(process, "http://127.0.0.1:" + httpPort);
  }

  private String[] withClusterName(List<String> args) throws Exception {
    // the cluster name travels in a config file so strays from other runs are rejected
    java.nio.file.Path conf = java.nio.file.Files.createTempFile("mm-cluster", ".json");
    java.nio.file.Files.writeString(conf, new JsonObject().put("clusterName", cluster)
      .put("scheduler", new JsonObject().put("rejoinGraceMs", 2000)).encode());
    conf.toFile().deleteOnExit();
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--conf", conf.toString()));
    return all.toArray(String[]::new);
  }

  private JsonObject call(String method, String url, String body) throws Exception {
    return http.call(method, url, body);
  }

  private static String sleepTask(String id, int ms) {
    return ClusterHttp.sleepTask(id, ms);
  }

  /** Submits; the id when the gateway accepted it (202/200), null when it could not be reached. */
  private String submit(Node via, String id, int ms) throws Exception {
    try {
      JsonObject answer = call("POST", via.url() + "/api/v1/tasks", sleepTask(id, ms));
      int status = answer.getInteger("httpStatus");
      return status == 202 || status == 200 ? id : null;
    } catch (ConnectException e) {
      return null;
    }
  }

  private void awaitNodeState(Node via, String nodeId, String state) {
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().untilAsserted(() ->
      assertThat(call("GET", via.url() + "/api/v1/nodes/" + nodeId, null).getString("state")).as("node " + nodeId + "; leader log:\n" + via.process().output())
        .isEqualTo(state));
  }

  private void assertAllSucceeded(Node via, List<String> accepted) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
      for (String id : accepted) {
        assertThat(call("GET", via.url() + "/api/v1/tasks/" + id, null).getString("status")).as(id).isEqualTo("succeeded");
      }
    });
  }

  @Test
  @DisplayName("a worker killed with tasks running, then the leader killed: every accepted task succeeds")
  void workerThenLeader() throws Exception {
    int seed = NodeProcess.freePort();
    Node leader = start("c1", "coordinator,gateway", seed, seed);
    Node standby = start("c2", "coordinator,gateway,worker", NodeProcess.freePort(), seed);
    Node worker = start("w1", "worker,gateway", NodeProcess.freePort(), seed);
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
      call("GET", leader.url() + "/api/v1/cluster", null).getJsonObject("nodes").getInteger("healthy") == 2);

    // (a) a worker dies with tasks running on it
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String id = submit(leader, "a-" + i, 1500);
      assertThat(id).isNotNull();
      accepted.add(id);
    }
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
      call("GET", leader.url() + "/api/v1/nodes/w1", null).getInteger("runningTasks") > 0);
    worker.process().killHard();
    assertAllSucceeded(standby, accepted);
    assertThat(call("GET", leader.url() + "/api/v1/nodes/w1", null).getString("state")).isEqualTo("failed");
    long requeued = accepted.stream().filter(id -> {
      try {
        return call("GET", leader.url() + "/api/v1/tasks/" + id, null).getInteger("attempts") > 1;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).count();
    assertThat(requeued).as("tasks that were running on the killed worker ran again").isPositive();

    // (b) the leading coordinator dies mid-run
    for (int i = 0; i < 6; i++) {
      String id = submit(leader, "b-" + i, 800);
      assertThat(id).isNotNull();
      accepted.add(id);
    }
    leader.process().killHard();
    for (int i = 0; i < 4; i++) {
      String id = submit(standby, "c-" + i, 200);
      if (id != null) {
        accepted.add(id);
      }
    }
    assertAllSucceeded(standby, accepted);
    assertThat(call("GET", standby.url() + "/api/v1/cluster", null).getJsonObject("leader").getString("nodeId")).isEqualTo("c2");
  }
  @Test
  @DisplayName("a frozen worker is suspected, then failed, its task runs elsewhere; thawed, it is restored and its stale result refused")
  void freezeAndThaw() throws Exception {
    int seed = NodeProcess.freePort();
    Node leader = start("c1", "coordinator,gateway", seed, seed);
    Node spare = start("w2", "worker,gateway", NodeProcess.freePort(), seed);
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
      call("GET", leader.url() + "/api/v1/cluster", null).getJsonObject("nodes").getInteger("healthy") == 1);
    // the frozen node joins second, and the one task goes to it: the spare is busy with a blocker first
    String blocker = submit(leader, "blocker", 60_000);
    JsonObject busy = new JsonObject().put("id", "blocker-2").put("type", "io_bound")
      .put("payload", new JsonObject().put("function", "sleep").put("data", new JsonObject().put("ms", 60_000)));
    call("POST", leader.url() + "/api/v1/tasks", busy.encode());
    Node frozen = start("w1", "worker", NodeProcess.freePort(), seed);
    String victim = submit(leader, "victim", 6_000);
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
      JsonObject r = call("GET", leader.url() + "/api/v1/tasks/victim", null);
      return "running".equals(r.getString("status")) && "w1".equals(r.getString("node"));
    });
    call("DELETE", leader.url() + "/api/v1/tasks/" + blocker, null);
    call("DELETE", leader.url() + "/api/v1/tasks/blocker-2", null);

    frozen.process().signal("STOP");
    awaitNodeState(leader, "w1", "failed");
    // suspicion comes first; it lasts about a second, so the leader's log is the reliable witness
    String log = leader.process().output();
    assertThat(log).contains("node w1 suspect", "node w1 failed");
    assertThat(log.indexOf("node w1 suspect")).isLessThan(log.indexOf("node w1 failed"));
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
      "w2".equals(call("GET", leader.url() + "/api/v1/tasks/" + victim, null).getString("node")));

    frozen.process().signal("CONT");
    awaitNodeState(leader, "w1", "healthy");
    assertAllSucceeded(spare, List.of(victim));
    JsonObject done = call("GET", leader.url() + "/api/v1/tasks/" + victim, null);
    assertThat(done.getString("node")).as("the result of the re-placed attempt counts, not the thawed one").isEqualTo("w2");
    assertThat(done.getInteger("attempts")).isEqualTo(2);
    assertThat(done.getInteger("retries")).as("a lost node uses no retry").isZero();
  }
}
