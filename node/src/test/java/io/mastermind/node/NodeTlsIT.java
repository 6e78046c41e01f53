package io.mastermind.node;

import io.mastermind.protocol.WebSocketFrames.Op;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Event-bus mutual TLS between real JVMs, with certificates from {@code scripts/dev-certs.sh}: two nodes
 * with certificates from the cluster CA run tasks across the TLS event bus; a third, with the secret
 * but no certificate, reaches the Hazelcast membership and nothing else.
 */
@DisplayName("Event-bus mutual TLS: nodes with certificates run tasks, a node without one cannot join")
@Timeout(240)
class NodeTlsIT {

  private static final String SECRET = "tls-it-secret-" + UUID.randomUUID();
  private static final String PASSWORD = "changeit";

  private final List<NodeProcess> started = new ArrayList<>();
  private final ClusterHttp http = new ClusterHttp();
  private final String cluster = "mm-tls-" + UUID.randomUUID();
  private Vertx vertx;

  @AfterEach
  void cleanUp() throws Exception {
    started.forEach(NodeProcess::destroyIfAlive);
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static void makeCerts(Path dir, String... nodes) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", Path.of("..", "scripts", "dev-certs.sh").toString(), dir.toString()));
    command.addAll(List.of(nodes));
    Process script = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(script.getInputStream().readAllBytes());
    assertThat(script.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(script.exitValue()).as(output).isZero();
  }

  private int start(String id, String capability, int clusterPort, int seedPort, JsonObject tls) throws Exception {
    int httpPort = NodeProcess.freePort();
    JsonObject clusterSection = new JsonObject().put("secret", SECRET).put("authTimeoutMs", 2_000);
    if (tls != null) {
      clusterSection.put("tls", tls);
    }
    Path conf = Files.createTempFile("mm-tls", ".json");
    Files.writeString(conf, new JsonObject().put("clusterName", cluster).put("cluster", clusterSection).encode());
    conf.toFile().deleteOnExit();
    List<String> args = new ArrayList<>(List.of("--node-id", id, "--roles", clusterPort == seedPort ? "coordinator,gateway,worker" : "worker",
      "--cluster", "--conf", conf.toString(), "--cluster-port", String.valueOf(clusterPort), "--http-port", String.valueOf(httpPort),
      "--cpu", "2", "--memory", "1024", "--capabilities", capability));
    if (clusterPort != seedPort) {
      args.addAll(List.of("--join", "127.0.0.1:" + seedPort));
    }
    NodeProcess process = NodeProcess.start(args.toArray(String[]::new));
    started.add(process);
    process.awaitReady();
    return httpPort;
  }

  private static JsonObject tls(Path certs, String node) {
    return new JsonObject().put("keyStorePath", certs.resolve(node + ".p12").toString()).put("keyStorePassword", PASSWORD)
      .put("trustStorePath", certs.resolve("truststore.p12").toString()).put("trustStorePassword", PASSWORD);
  }

  /** Runs io_bound sleeps (only the io_bound workers take them) and answers the nodes they ran on. */
  private Set<String> runIoTasks(String leader, String prefix, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      assertThat(http.call("POST", leader + "/api/v1/tasks", ClusterHttp.sleepTask(prefix + i, 50)).getInteger("httpStatus"))
        .isEqualTo(202);
    }
    Set<String> nodes = new HashSet<>();
    for (int i = 0; i < count; i++) {
      JsonObject done = http.call("POST", leader + "/api/v1/tasks?wait=20000", ClusterHttp.sleepTask(prefix + i, 50));
      assertThat(done.getString("status")).as(done.encode()).isEqualTo("succeeded");
      nodes.add(done.getString("node"));
    }
    return nodes;
  }

  @Test
  @DisplayName("two nodes with certificates from the cluster CA run tasks; a node without a certificate is rejected and gets none")
  void mutualTls(@TempDir Path certs) throws Exception {
    makeCerts(certs, "c1", "w2");
    int seed = NodeProcess.freePort();
    int leaderHttp = start("c1", "compute", seed, seed, tls(certs, "c1"));
    String leader = "http://127.0.0.1:" + leaderHttp;
    start("w2", "io_bound", NodeProcess.freePort(), seed, tls(certs, "w2"));
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
      "healthy".equals(http.call("GET", leader + "/api/v1/nodes/w2", null).getString("state")));

    vertx = Vertx.vertx();
    WsClient alerts = WsClient.connect(vertx, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(leaderHttp)
      .setURI("/api/v1/ws")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    alerts.request(new JsonObject().put("op", "subscribe").put("ref", "a").put("events", List.of("alert")), Op.SUBSCRIBED)
      .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    // tasks cross the TLS event bus both ways: assignments to w2, its results back to c1
    assertThat(runIoTasks(leader, "tls-", 4)).containsOnly("w2");

    // the secret without a certificate: it joins the Hazelcast membership, but no event-bus connection
    start("x3", "io_bound", NodeProcess.freePort(), seed, null);
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
      assertThat(http.call("GET", leader + "/api/v1/nodes/x3", null).getString("state")).isEqualTo("rejected"));
    JsonObject alert = alerts.await(f -> f.getJsonObject("event") != null
        && "node_rejected".equals(f.getJsonObject("event").getJsonObject("data").getString("kind"))
        && "x3".equals(f.getJsonObject("event").getJsonObject("data").getString("nodeId")))
      .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertThat(alert.getJsonObject("event").getJsonObject("data").getString("reason")).contains("TLS");
    assertThat(runIoTasks(leader, "after-", 4)).containsOnly("w2");
    assertThat(http.call("GET", leader + "/api/v1/nodes/w2", null).getString("state")).isEqualTo("healthy");
  }
}
