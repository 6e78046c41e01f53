package io.mastermind.node;

import io.mastermind.testsupport.TestHttp;
import io.mastermind.protocol.WebSocketFrames.Op;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.ResultBatch;
import io.mastermind.protocol.TaskUpdate;
import io.mastermind.security.ClusterSecurity;
import io.mastermind.security.EnvelopeSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Node authentication between real JVMs on loopback: a leader (c1) and a worker (w1) share the cluster
 * secret; a node with a wrong secret, and members in this JVM (an outsider with a wrong secret, an
 * insider holding only its own node key), try to take part or forge what w1 would say.
 */
@DisplayName("Node authentication: a node without the secret gets nothing, and forged messages change nothing")
@Timeout(240)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeAuthIT {

  private static final String SECRET = "it-secret-" + UUID.randomUUID();
  private static final Pattern REFUSED = Pattern.compile(
    "mastermind_security_refused_messages_total\\{reason=\"([a-z_]+)\"[^}]*} ([0-9.]+)");

  private final List<NodeProcess> started = new ArrayList<>();
  private final ClusterHttp http = new ClusterHttp();
  private final String cluster = "mm-auth-" + UUID.randomUUID();
  private int seed;
  private String leader;
  private Vertx vertx;
  private WsClient alerts;

  @BeforeAll
  void startCluster() throws Exception {
    seed = NodeProcess.freePort();
    int leaderHttp = start("c1", "coordinator,gateway", seed, conf(SECRET), Map.of());
    leader = "http://127.0.0.1:" + leaderHttp;
    // the worker takes the secret from the environment, as an operator would pass it
    start("w1", "worker", NodeProcess.freePort(), conf(null), Map.of("MASTERMIND_CLUSTER_SECRET", SECRET));
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
      "healthy".equals(http.call("GET", leader + "/api/v1/nodes/w1", null).getString("state")));
    vertx = Vertx.vertx();
    alerts = WsClient.connect(vertx, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(leaderHttp)
      .setURI("/api/v1/ws")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    alerts.request(new JsonObject().put("op", "subscribe").put("ref", "a").put("events", List.of("alert")), Op.SUBSCRIBED)
      .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  void stopCluster() throws Exception {
    started.forEach(NodeProcess::destroyIfAlive);
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private JsonObject conf(String secret) {
    JsonObject clusterSection = new JsonObject().put("authTimeoutMs", 2_000);
    if (secret != null) {
      clusterSection.put("secret", secret);
    }
    return new JsonObject().put("clusterName", cluster).put("cluster", clusterSection);
  }

  private int start(String id, String roles, int clusterPort, JsonObject conf, Map<String, String> env) throws Exception {
    int httpPort = NodeProcess.freePort();
    Path file = Files.createTempFile("mm-auth", ".json");
    Files.writeString(file, conf.encode());
    file.toFile().deleteOnExit();
    List<String> args = new ArrayList<>(List.of("--node-id", id, "--roles", roles, "--cluster", "--conf", file.toString(),
      "--cluster-port", String.valueOf(clusterPort), "--http-port", String.valueOf(httpPort), "--cpu", "2", "--memory", "1024",
      "--capabilities", "io_bound"));
    if (clusterPort != seed) {
      args.addAll(List.of("--join", "127.0.0.1:" + seed));
    }
    NodeProcess process = NodeProcess.start(env, args.toArray(String[]::new));
    started.add(process);
    process.awaitReady();
    return httpPort;
  }

  private List<String> runTasks(String prefix, int count) throws Exception {
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonObject accepted = http.call("POST", leader + "/api/v1/tasks", ClusterHttp.sleepTask(prefix + i, 50));
      assertThat(accepted.getInteger("httpStatus")).as(accepted.encode()).isEqualTo(202);
      assertThat(accepted.getString("id")).isEqualTo(prefix + i);
    }
    for (int i = 0; i < count; i++) {
      JsonObject done = http.call("POST", leader + "/api/v1/tasks?wait=20000", ClusterHttp.sleepTask(prefix + i, 50));
      assertThat(done.getString("status")).as(done.encode()).isEqualTo("succeeded");
      nodes.add(done.getString("node"));
    }
    return nodes;
  }

  private JsonObject alertAbout(String kind, String nodeId) throws Exception {
    return alerts.await(f -> {
      JsonObject event = f.getJsonObject("event");
      return event != null && "alert".equals(event.getString("event"))
        && kind.equals(event.getJsonObject("data").getString("kind"))
        && (nodeId == null || nodeId.equals(event.getJsonObject("data").getString("nodeId"))
          || nodeId.equals(event.getJsonObject("data").getString("claimedSender")));
    }).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).getJsonObject("event");
  }

  @Test
  @DisplayName("a node with a wrong secret is listed rejected, named in an alert, and given no task")
  void wrongSecret() throws Exception {
    start("r1", "worker", NodeProcess.freePort(), conf("a wrong secret, long enough"), Map.of());
    NodeProcess rogue = started.get(started.size() - 1);
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
      assertThat(http.call("GET", leader + "/api/v1/nodes/r1", null).getString("state")).isEqualTo("rejected"));
    JsonObject alert = alertAbout("node_rejected", "r1");
    // whichever came first: its signed messages refused, or no signed hello by the deadline
    assertThat(alert.getJsonObject("data").getString("reason")).containsAnyOf("failed node authentication", "member_hello");

    assertThat(runTasks("rs-", 6)).containsOnly("w1");
    assertThat(http.call("GET", leader + "/api/v1/nodes/w1", null).getString("state")).isEqualTo("healthy");
    assertThat(http.call("GET", leader + "/api/v1/cluster", null).getJsonObject("nodes").getInteger("rejected")).isPositive();
    assertThat(rogue.output()).contains("refused this node's member_hello");
    rogue.killHard();
  }

  @Test
  @DisplayName("forged result_update, node_leave and submit from an outsider and from a node-key insider change nothing;"
    + " an impostor consumer on the submit address gets no task accepted in its name")
  void forgeries() throws Exception {
    try (Intruder outsider = Intruder.join(cluster, seed, "mallory",
           ClusterSecurity.signing(EnvelopeSigner.master("an outsider's guess at the secret"), "mallory", 30_000));
         Intruder insider = Intruder.join(cluster, seed, "w9",
           ClusterSecurity.signing(EnvelopeSigner.node("w9", EnvelopeSigner.nodeKeyHex(SECRET, "w9")), "w9", 30_000))) {
      JsonObject accepted = http.call("POST", leader + "/api/v1/tasks", ClusterHttp.sleepTask("target", 6_000));
      assertThat(accepted.getInteger("httpStatus")).isEqualTo(202);
      await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
        JsonObject r = http.call("GET", leader + "/api/v1/tasks/target", null);
        return "running".equals(r.getString("status")) && "w1".equals(r.getString("node"));
      });
      long now = System.currentTimeMillis();
      JsonObject forgedResult = new ResultBatch(List.of(new TaskUpdate("target", 1, TaskUpdate.SUCCEEDED, now, now, null,
        new JsonObject().put("forged", true), null, false))).toJson();
      JsonObject leave = new JsonObject().put("id", "w1");
      JsonObject evil = new JsonObject().put("task", new JsonObject(ClusterHttp.sleepTask("evil", 10)));
      List<Future<Message<Object>>> forged = List.of(
        outsider.request(Addresses.COORDINATOR_INBOX, Intruder.sealed("result_update", "w1", "coordinator", "w1", forgedResult)),
        outsider.request(Addresses.COORDINATOR_INBOX, Intruder.plain("result_update", "w1", "coordinator", forgedResult)),
        outsider.request(Addresses.HEALTH_INBOX, Intruder.sealed("node_leave", "w1", "health", "w1", leave)),
        outsider.request(Addresses.HEALTH_INBOX, Intruder.plain("node_leave", "w1", "health", leave)),
        outsider.request(Addresses.COORDINATOR_SUBMIT, Intruder.sealed(Addresses.COORDINATOR_SUBMIT, "mallory", "coordinator", "mallory", evil)),
        outsider.request(Addresses.COORDINATOR_SUBMIT, evil),
        insider.request(Addresses.COORDINATOR_INBOX, Intruder.sealed("result_update", "w1", "coordinator", "w9", forgedResult)),
        insider.request(Addresses.HEALTH_INBOX, Intruder.sealed("node_leave", "w1", "health", "w9", leave)));
      for (Future<Message<Object>> attempt : forged) {
        Throwable failure = attempt.toCompletionStage().toCompletableFuture().handle((ok, err) -> err).get(10, TimeUnit.SECONDS);
        assertThat(failure).as("a forged message is answered with a refusal").isInstanceOf(ReplyException.class);
        assertThat(ErrorCode.of(failure)).as(failure.getMessage()).isEqualTo(ErrorCode.UNAUTHORIZED);
      }
      assertThat(alertAbout("forged_sender", "w1").getJsonObject("data").getString("signedAs")).isEqualTo("w9");

      JsonObject target = http.call("GET", leader + "/api/v1/tasks/target", null);
      assertThat(target.getString("status")).as("no forged result was committed").isEqualTo("running");
      assertThat(http.call("GET", leader + "/api/v1/nodes/w1", null).getString("state")).as("no forged leave").isEqualTo("healthy");

      // an impostor answering on the submit address: every submission still reaches the real coordinator
      AtomicInteger intercepted = new AtomicInteger();
      MessageConsumer<Object> impostor = outsider.vertx.eventBus().consumer(Addresses.COORDINATOR_SUBMIT, m -> {
        intercepted.incrementAndGet();
        m.reply(new JsonObject().put("id", "fake").put("status", "succeeded"));
      });
      impostor.completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(runTasks("imp-", 6)).containsOnly("w1");
      assertThat(intercepted.get()).as("the impostor did get submissions to answer").isPositive();
    }
    await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() ->
      "succeeded".equals(http.call("GET", leader + "/api/v1/tasks/target", null).getString("status")));
    JsonObject done = http.call("GET", leader + "/api/v1/tasks/target", null);
    assertThat(done.getJsonObject("result")).isEqualTo(new JsonObject().put("sleptMs", 6_000));
    assertThat(done.getInteger("attempts")).as("w1 was never taken for gone").isEqualTo(1);
    assertThat(http.call("GET", leader + "/api/v1/tasks/evil", null).getInteger("httpStatus")).isEqualTo(404);

    String metrics = TestHttp.builder().build().send(HttpRequest.newBuilder(URI.create(leader + "/metrics")).build(),
      HttpResponse.BodyHandlers.ofString()).body();
    Map<String, Double> refused = new java.util.HashMap<>();
    Matcher m = REFUSED.matcher(metrics);
    while (m.find()) {
      refused.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    assertThat(refused.get("bad_signature")).isGreaterThanOrEqualTo(3.0);
    assertThat(refused.get("unsigned")).isGreaterThanOrEqualTo(3.0);
    assertThat(refused.get("wrong_identity")).isGreaterThanOrEqualTo(2.0);
  }
}
