package io.mastermind.node;

import io.mastermind.testsupport.TestHttp;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.mastermind.cluster.HazelcastConfigFactory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each health check of a node goes DOWN for its own reason, with that reason in its data (the worker's
 * "not joined" and "leader gone" are in {@link ManagementPortTest}): a gateway that no leader answers, a
 * worker role with no worker running, and a cluster member that stopped running (readiness and the
 * full {@code cluster/safe}).
 */
@DisplayName("Each health check goes DOWN for its own reason")
@Timeout(120)
class HealthChecksDownTest {

  private final Vertx vertx = Vertx.vertx();
  private HazelcastInstance hazelcast;

  @AfterEach
  void close() throws Exception {
    if (hazelcast != null) {
      hazelcast.getLifecycleService().terminate();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static CheckResult check(CheckResult all, String id) {
    return all.getChecks().stream().flatMap(c -> c.getChecks() == null ? java.util.stream.Stream.of(c) : c.getChecks().stream())
      .filter(c -> id.equals(c.getId())).findFirst().orElseThrow(() -> new AssertionError("no check " + id + " in " + all.toJson()));
  }

  private static JsonObject check(JsonObject health, String id) {
    return health.getJsonArray("checks").stream().map(JsonObject.class::cast)
      .filter(c -> id.equals(c.getString("id"))).findFirst().orElseThrow(() -> new AssertionError("no check " + id + " in " + health));
  }

  private static CheckResult status(HealthChecks checks, String name) throws Exception {
    return checks.checkStatus(name).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("ready/coordinator: a gateway that no leader answers is not ready (503, 'no leader answered'), yet live")
  void gatewayWithoutLeader() throws Exception {
    NodeSettings settings = NodeSettings.of(null, new JsonObject().put("nodeId", "lonely-gateway")
      .put("roles", new JsonArray(List.of("gateway"))).put("http", new JsonObject().put("port", 0)));
    MastermindNode node = MastermindNode.start(vertx, settings).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    HttpClient http = TestHttp.builder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/health/ready"))
      .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
    JsonObject coordinator = check(new JsonObject(ready.body()), "coordinator");
    assertThat(coordinator.getString("status")).isEqualTo("DOWN");
    assertThat(coordinator.getJsonObject("data").getString("reason")).startsWith("no leader answered");
    HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/health/live"))
      .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
  }

  @Test
  @DisplayName("ready/worker: a node with the worker role and no worker running is not ready ('no worker is running')")
  void workerRoleWithoutWorker() throws Exception {
    NodeSettings settings = NodeSettings.of(null, new JsonObject().put("nodeId", "no-worker")
      .put("roles", new JsonArray(List.of("worker"))));
    HealthChecks checks = NodeHealth.create(vertx, settings, null, () -> null);
    CheckResult ready = status(checks, "ready");
    assertThat(ready.getUp()).isFalse();
    CheckResult worker = check(ready, "worker");
    assertThat(worker.getUp()).isFalse();
    assertThat(worker.getData().getString("reason")).isEqualTo("no worker is running on this node");
    assertThat(status(checks, "live").getUp()).isTrue();
  }

  @Test
  @DisplayName("ready/cluster and cluster/safe: a cluster member that stopped running is not ready, and its safety is unknown")
  void memberNotRunning() throws Exception {
    int port = NodeProcess.freePort();
    NodeSettings settings = NodeSettings.of(null, new JsonObject().put("nodeId", "member-1")
      .put("clusterName", "mm-health-" + UUID.randomUUID())
      .put("roles", new JsonArray(List.of("coordinator")))
      .put("cluster", new JsonObject().put("enabled", true).put("port", port)
        .put("join", new JsonArray(List.of("127.0.0.1:" + port)))));
    hazelcast = Hazelcast.newHazelcastInstance(HazelcastConfigFactory.create(settings.clusterOptions(), settings.nodeId(),
      settings.roles()));
    HealthChecks checks = NodeHealth.create(vertx, settings, hazelcast, () -> null);
    CheckResult up = status(checks, "");
    assertThat(check(up, "cluster").getUp()).as(up.toJson().encode()).isTrue();
    assertThat(check(up, "safe").getUp()).as(up.toJson().encode()).isTrue();

    hazelcast.getLifecycleService().terminate();
    CheckResult down = status(checks, "");
    CheckResult member = check(down, "cluster");
    assertThat(member.getUp()).isFalse();
    assertThat(member.getData().getString("reason")).contains("cluster member is not running");
    CheckResult safe = check(down, "safe");
    assertThat(safe.getUp()).isFalse();
    assertThat(safe.getData().getString("reason")).startsWith("cluster state unknown");
  }
}
