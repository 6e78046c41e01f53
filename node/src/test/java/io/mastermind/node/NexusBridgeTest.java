package io.mastermind.node;

import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.EventNames;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.mastermind.node.TestNode.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DisplayName("The Central Nexus bridge: registration with backoff, NexusTasks over HTTP and the event bus")
@Timeout(60)
class NexusBridgeTest {

  static final long BASE_BACKOFF_MS = 100;
  static final long TASK_WAIT_MS = 2_000;
  static FakeNexus nexus;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    nexus = new FakeNexus(2);
    node = new TestNode(new JsonObject().put("nexus", new JsonObject()
      .put("url", nexus.url() + "/")
      .put("registerBaseBackoffMs", BASE_BACKOFF_MS)
      .put("registerMaxBackoffMs", 1_000)
      .put("taskWaitMs", TASK_WAIT_MS)));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    nexus.close();
  }

  static JsonObject nexusTask(String requestId, JsonObject task) {
    return new JsonObject().put("requestId", requestId).put("system", "distributed_computing").put("action", "execute")
      .put("task", task);
  }

  @Test
  @DisplayName("registration refused twice with 503 is retried with growing delays until the third is accepted")
  void registration() throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> node.get("/api/v1/cluster").body()
      .getJsonObject("nexus").getBoolean("registered"));
    JsonObject status = node.get("/api/v1/cluster").body().getJsonObject("nexus");
    assertThat(status.getString("url")).isEqualTo(nexus.url());
    assertThat(status.getInteger("attempts")).isEqualTo(3);
    assertThat(status.getString("lastError")).isNull();

    // nothing more once accepted: the count stays at 3 for four base backoffs
    await().during(Duration.ofMillis(4 * BASE_BACKOFF_MS)).atMost(Duration.ofSeconds(10))
      .until(() -> nexus.registrations.size() == 3);
    List<FakeNexus.Registration> calls = nexus.registrations;
    long firstGap = TimeUnit.NANOSECONDS.toMillis(calls.get(1).atNanos() - calls.get(0).atNanos());
    long secondGap = TimeUnit.NANOSECONDS.toMillis(calls.get(2).atNanos() - calls.get(1).atNanos());
    assertThat(firstGap).isGreaterThanOrEqualTo(BASE_BACKOFF_MS);
    assertThat(secondGap).isGreaterThanOrEqualTo(2 * BASE_BACKOFF_MS);

    JsonObject body = calls.get(2).body();
    assertThat(body.getString("name")).isEqualTo("distributed_computing");
    assertThat(body.getJsonArray("capabilities"))
      .containsExactlyInAnyOrder("compute", "io_bound", "data_processing", "ml_training");
    assertThat(body.getJsonArray("eventHandlers")).isEqualTo(new JsonArray(EventNames.ALL));
    assertThat(body.getString("endpoint")).isEqualTo(node.url + "/api/v1/nexus/tasks");
    assertThat(calls.get(0).body()).isEqualTo(body);
  }

  @Test
  @DisplayName("POST /api/v1/nexus/tasks runs a primes task and answers success with its result and duration")
  void httpSuccess() {
    TestNode.Response response = node.post("/api/v1/nexus/tasks",
      nexusTask("req-1", task("compute", "primes", new JsonObject().put("upTo", 1000))).encode());
    assertThat(response.status()).isEqualTo(200);
    JsonObject answer = response.body();
    assertThat(answer.getString("requestId")).isEqualTo("req-1");
    assertThat(answer.getString("system")).isEqualTo("distributed_computing");
    assertThat(answer.getString("status")).isEqualTo("success");
    assertThat(answer.getJsonObject("result").getInteger("count")).isEqualTo(168);
    assertThat(answer.getLong("durationMs")).isNotNull().isNotNegative();
    assertThat(answer.containsKey("error")).isFalse();
    String taskId = answer.getString("taskId");
    assertThat(node.get("/api/v1/tasks/" + taskId).body().getString("status")).isEqualTo("succeeded");
  }

  @Test
  @DisplayName("a task that fails, times out, or outlasts nexus.taskWaitMs is answered with status error")
  void httpTaskErrors() {
    JsonObject failed = node.post("/api/v1/nexus/tasks",
      nexusTask("req-fail", task("compute", "fail", new JsonObject().put("message", "boom"))).encode()).body();
    assertThat(failed.getString("status")).isEqualTo("error");
    assertThat(failed.getString("requestId")).isEqualTo("req-fail");
    assertThat(failed.getJsonObject("error").getString("code")).isEqualTo("HANDLER_ERROR");
    assertThat(failed.getJsonObject("error").getString("message")).isEqualTo("boom");
    assertThat(failed.containsKey("result")).isFalse();
    assertThat(failed.getString("taskId")).isNotBlank();

    JsonObject timedOut = node.post("/api/v1/nexus/tasks", nexusTask("req-timeout",
      task("io_bound", "sleep", new JsonObject().put("ms", 5_000)).put("timeout", 200)).encode()).body();
    assertThat(timedOut.getString("status")).isEqualTo("error");
    assertThat(timedOut.getJsonObject("error").getString("code")).isEqualTo("TIMEOUT");
    assertThat(node.get("/api/v1/tasks/" + timedOut.getString("taskId")).body().getString("status")).isEqualTo("timed_out");

    long start = System.nanoTime();
    JsonObject tooLong = node.post("/api/v1/nexus/tasks", nexusTask("req-long",
      task("io_bound", "sleep", new JsonObject().put("ms", 10_000))).encode()).body();
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(tooLong.getString("status")).isEqualTo("error");
    assertThat(tooLong.getJsonObject("error").getString("message")).contains("did not end within " + TASK_WAIT_MS);
    assertThat(tookMs).isBetween(TASK_WAIT_MS, TASK_WAIT_MS + 5_000);
    node.delete("/api/v1/tasks/" + tooLong.getString("taskId"));
  }

  @Test
  @DisplayName("a malformed NexusTask is a 400 NexusResponse with status error, naming the field; nothing runs")
  void httpMalformed() {
    JsonObject primes = task("compute", "primes", new JsonObject().put("upTo", 10));
    assertBadRequest(nexusTask("req-x", primes).put("system", "other_system"), "INVALID_FIELD", "system");
    assertBadRequest(nexusTask("req-x", primes).put("action", "destroy"), "INVALID_FIELD", "action");
    assertBadRequest(nexusTask("req-x", primes).put("requestId", null), "INVALID_FIELD", "requestId");
    assertBadRequest(nexusTask("req-x", null), "INVALID_FIELD", "task");
    assertBadRequest(nexusTask("req-x", task("compute", "primes", new JsonObject().put("upTo", -1))),
      "INVALID_FIELD", "task.payload.data.upTo");
    TestNode.Response notJson = node.post("/api/v1/nexus/tasks", "{not json");
    assertThat(notJson.status()).isEqualTo(400);
    assertNexusError(notJson.body(), null, "INVALID_JSON");
  }

  @Test
  @DisplayName("every refusal is a NexusResponse: unknown function (400), not JSON (415), wrong method (405), with the requestId when readable")
  void httpRefusalsAreNexusResponses() {
    TestNode.Response unknown = node.post("/api/v1/nexus/tasks",
      nexusTask("req-unknown", task("compute", "teleport", new JsonObject())).encode());
    assertThat(unknown.status()).isEqualTo(400);
    assertNexusError(unknown.body(), "req-unknown", "UNKNOWN_FUNCTION");

    TestNode.Response form = node.send(HttpRequest.newBuilder(URI.create(node.url + "/api/v1/nexus/tasks"))
      .header("Content-Type", "application/x-www-form-urlencoded")
      .POST(HttpRequest.BodyPublishers.ofString(nexusTask("req-form", task("compute", "echo", new JsonObject())).encode())));
    assertThat(form.status()).isEqualTo(415);
    assertNexusError(form.body(), null, "UNSUPPORTED_MEDIA_TYPE");

    TestNode.Response get = node.get("/api/v1/nexus/tasks");
    assertThat(get.status()).isEqualTo(405);
    assertNexusError(get.body(), null, "METHOD_NOT_ALLOWED");
  }

  private static void assertNexusError(JsonObject answer, String requestId, String code) {
    assertThat(answer.getString("system")).as(answer.encode()).isEqualTo("distributed_computing");
    assertThat(answer.getString("status")).isEqualTo("error");
    assertThat(answer.getString("requestId")).isEqualTo(requestId);
    assertThat(answer.getJsonObject("error").getString("code")).isEqualTo(code);
    assertThat(answer.getJsonObject("error").getString("message")).isNotBlank();
    assertThat(answer.containsKey("durationMs")).isTrue();
  }

  private static void assertBadRequest(JsonObject body, String code, String field) {
    TestNode.Response response = node.post("/api/v1/nexus/tasks", body.encode());
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body().getString("status")).isEqualTo("error");
    assertThat(response.body().getString("system")).isEqualTo("distributed_computing");
    JsonObject error = response.body().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("field")).isEqualTo(field);
    assertThat(error.getString("message")).contains(field);
  }

  @Test
  @DisplayName("on the event bus, mastermind.nexus.tasks answers a NexusResponse, a bad NexusTask or body included")
  void eventBus() throws Exception {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(TASK_WAIT_MS + 10_000);
    JsonObject ok = node.vertx.eventBus().<JsonObject>request(Addresses.NEXUS_TASKS,
        nexusTask("bus-1", task("compute", "primes", new JsonObject().put("upTo", 100))), options)
      .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).body();
    assertThat(ok.getString("requestId")).isEqualTo("bus-1");
    assertThat(ok.getString("status")).isEqualTo("success");
    assertThat(ok.getJsonObject("result").getInteger("count")).isEqualTo(25);
    assertThat(ok.getLong("durationMs")).isNotNegative();

    JsonObject failed = node.vertx.eventBus().<JsonObject>request(Addresses.NEXUS_TASKS,
        nexusTask("bus-2", task("compute", "fail", new JsonObject().put("message", "nope"))), options)
      .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).body();
    assertThat(failed.getString("status")).isEqualTo("error");
    assertThat(failed.getJsonObject("error").getString("code")).isEqualTo("HANDLER_ERROR");

    JsonObject refused = node.vertx.eventBus().<JsonObject>request(Addresses.NEXUS_TASKS,
        nexusTask("bus-3", task("compute", "primes", new JsonObject())).put("system", "x"), options)
      .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).body();
    assertNexusError(refused, "bus-3", ErrorCode.INVALID_FIELD.name());
    assertThat(refused.getJsonObject("error").getString("message")).contains("system");
    assertThat(refused.getJsonObject("error").getString("field")).isEqualTo("system");

    JsonObject unknown = node.vertx.eventBus().<JsonObject>request(Addresses.NEXUS_TASKS,
        nexusTask("bus-4", task("compute", "teleport", new JsonObject())), options)
      .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).body();
    assertNexusError(unknown, "bus-4", ErrorCode.UNKNOWN_FUNCTION.name());

    JsonObject notAnObject = node.vertx.eventBus().<JsonObject>request(Addresses.NEXUS_TASKS, "hello", options)
      .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).body();
    assertNexusError(notAnObject, null, ErrorCode.INVALID_JSON.name());
  }
}
