package io.mastermind.node;

import io.mastermind.testsupport.TestHttp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The fat jar as a user runs it: a separate JVM, its ready line, its exit codes, SIGTERM drain. */
@DisplayName("The node fat jar starts, serves, refuses bad config and a busy port, and drains on SIGTERM")
@Timeout(120)
class NodeProcessIT {

  private final List<NodeProcess> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(NodeProcess::destroyIfAlive);
  }

  private NodeProcess start(String... args) throws Exception {
    NodeProcess node = NodeProcess.start(args);
    started.add(node);
    return node;
  }

  private static HttpResponse<String> post(String url, String body) throws Exception {
    return TestHttp.builder().build().send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("a standalone node prints a ready line with its id and URL and runs a task")
  void readyAndServes() throws Exception {
    int port = NodeProcess.freePort();
    NodeProcess node = start("--node-id", "proc-1", "--http-port", String.valueOf(port), "--cpu", "2", "--memory", "512");
    assertThat(node.awaitReady()).contains("ready", "proc-1", "http://127.0.0.1:" + port);

    HttpResponse<String> response = post("http://127.0.0.1:" + port + "/api/v1/tasks?wait=10000",
      "{\"type\":\"compute\",\"payload\":{\"function\":\"primes\",\"data\":{\"upTo\":100000}}}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getJsonObject("result").getInteger("count")).isEqualTo(9592);
  }

  @Test
  @DisplayName("SIGTERM lets a running task finish, then the node leaves and exits 0")
  void sigtermDrains() throws Exception {
    int port = NodeProcess.freePort();
    NodeProcess node = start("--node-id", "proc-2", "--http-port", String.valueOf(port));
    node.awaitReady();
    HttpResponse<String> accepted = post("http://127.0.0.1:" + port + "/api/v1/tasks?wait=300",
      "{\"type\":\"io_bound\",\"payload\":{\"function\":\"sleep\",\"data\":{\"ms\":1500}}}");
    JsonObject running = new JsonObject(accepted.body());
    assertThat(running.getString("status")).isEqualTo("running");

    node.signal("TERM");
    int exit = node.awaitExit();
    long exitedAt = System.currentTimeMillis();

    assertThat(exit).as(node.output()).isZero();
    assertThat(node.lines).anyMatch(l -> l.contains("draining")).anyMatch(l -> l.contains("stopped"));
    // same host, same clock: the process outlived the end of the task it was running
    assertThat(exitedAt).as("the drain waited for the running sleep to end")
      .isGreaterThanOrEqualTo(running.getLong("startedAt") + 1500);
  }

  @Test
  @DisplayName("a bad config exits 2 with a clear message")
  void badConfig() throws Exception {
    NodeProcess node = start("--roles", "overlord");
    assertThat(node.awaitExit()).isEqualTo(2);
    assertThat(node.output()).contains("bad config", "overlord");
  }

  @Test
  @DisplayName("a cluster bound beyond loopback without a cluster secret is refused at start: exit 2, naming the setting")
  void clusterSecretRequired() throws Exception {
    NodeProcess node = start("--cluster", "--cluster-host", "192.0.2.10");
    assertThat(node.awaitExit()).isEqualTo(2);
    assertThat(node.output()).contains("bad config", "cluster.secret", "MASTERMIND_CLUSTER_SECRET", "192.0.2.10");
  }

  @Test
  @DisplayName("a busy HTTP port exits 1 saying so")
  void busyPort() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      NodeProcess node = start("--http-port", String.valueOf(busy.getLocalPort()));
      assertThat(node.awaitExit()).isEqualTo(1);
      assertThat(node.output()).contains("address already in use");
    }
  }
}
