package io.mastermind.node;

import io.mastermind.protocol.WebSocketFrames;
import io.mastermind.protocol.WebSocketFrames.Op;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.EventNames;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.mastermind.node.TestNode.task;
import static io.mastermind.node.WsClient.errorCode;
import static io.mastermind.node.WsClient.frame;
import static io.mastermind.node.WsClient.is;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC section 10, Admission: a node with {@code scheduler.maxQueuedTasks = 2} and no worker, so what
 * it accepts stays queued. Two tasks fill the queue; then every front door refuses with QUEUE_FULL and
 * creates nothing, which {@link #nothingCreated()} checks after each test.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Admission: past scheduler.maxQueuedTasks every front door refuses with QUEUE_FULL and creates nothing")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdmissionTest {

  static final int MAX_QUEUED = 2;
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String RETRY_AFTER = "Retry-After";

  static TestNode node;
  /** Ids every door was refused for: none may exist afterwards. */
  static final Set<String> refusedIds = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void fillTheQueue() throws Exception {
    node = new TestNode(new JsonObject()
      .put("roles", new JsonArray().add("coordinator").add("gateway"))
      .put("scheduler", new JsonObject().put("maxQueuedTasks", MAX_QUEUED)));
    for (int i = 1; i <= MAX_QUEUED; i++) {
      TestNode.Response accepted = node.post("/api/v1/tasks", echo("adm-" + i).encode());
      assertThat(accepted.status()).as(accepted.body().encode()).isEqualTo(202);
      assertThat(accepted.body().getString("status")).isEqualTo("queued");
    }
    assertThat(queued()).hasSize(MAX_QUEUED);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  /** The queue is still full of what was accepted, and no refused task exists, or ever told of itself. */
  @AfterEach
  void nothingCreated() {
    assertThat(queued()).hasSize(MAX_QUEUED);
    for (String id : refusedIds) {
      assertThat(node.get("/api/v1/tasks/" + id).status()).as(id).isEqualTo(404);
    }
    assertThat(node.taskIdsOf(EventNames.TASK_SUBMITTED)).doesNotContainAnyElementsOf(refusedIds);
  }

  static JsonObject echo(String id) {
    JsonObject task = task("compute", "echo", new JsonObject().put("hello", "admission"));
    return id == null ? task : task.put("id", id);
  }

  static List<String> queued() {
    JsonArray tasks = node.get("/api/v1/tasks?status=queued&limit=1000").body().getJsonArray("tasks");
    return tasks.stream().map(t -> ((JsonObject) t).getString("id")).toList();
  }

  static JsonObject nexusTask(String requestId, JsonObject task) {
    return new JsonObject().put("requestId", requestId).put("system", "distributed_computing").put("action", "execute")
      .put("task", task);
  }

  private static void assertQueueFull(JsonObject error) {
    assertThat(error.getString("code")).isEqualTo(ErrorCode.QUEUE_FULL.name());
    assertThat(error.getString("message")).contains("queue is full", MAX_QUEUED + " tasks queued", "scheduler.maxQueuedTasks");
  }

  @Test
  @DisplayName("HTTP POST /api/v1/tasks is 429 QUEUE_FULL with Retry-After, with or without an id; bad input is still 400")
  void http() {
    int before = node.get("/api/v1/tasks?limit=1000").body().getInteger("count");

    refusedIds.add("adm-http");
    TestNode.Response refused = node.post("/api/v1/tasks", echo("adm-http").encode());
    assertThat(refused.status()).as(refused.body().encode()).isEqualTo(429);
    assertQueueFull(refused.body().getJsonObject("error"));
    assertThat(refused.headers().firstValue(RETRY_AFTER)).hasValue("1");
    assertThat(refused.headers().firstValue("Location")).isEmpty();

    TestNode.Response withoutId = node.post("/api/v1/tasks?wait=1000", echo(null).encode());
    assertThat(withoutId.status()).isEqualTo(429);
    assertQueueFull(withoutId.body().getJsonObject("error"));

    TestNode.Response invalid = node.post("/api/v1/tasks", task("compute", "primes", new JsonObject().put("upTo", -1)).encode());
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.body().getJsonObject("error").getString("code")).isEqualTo("INVALID_FIELD");
    assertThat(invalid.headers().firstValue(RETRY_AFTER)).isEmpty();

    assertThat(node.get("/api/v1/tasks?limit=1000").body().getInteger("count")).isEqualTo(before);
  }

  @Test
  @DisplayName("an existing id still answers while the queue is full: 200 with its record for the same body, 409 for another")
  void idempotentResubmit() {
    TestNode.Response same = node.post("/api/v1/tasks", echo("adm-1").encode());
    assertThat(same.status()).as(same.body().encode()).isEqualTo(200);
    assertThat(same.body().getString("id")).isEqualTo("adm-1");
    assertThat(same.body().getString("status")).isEqualTo("queued");

    JsonObject other = echo("adm-1").put("priority", "high");
    TestNode.Response conflict = node.post("/api/v1/tasks", other.encode());
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.body().getJsonObject("error").getString("code")).isEqualTo("CONFLICT");
  }

  @Test
  @DisplayName("WebSocket submit gets an error frame QUEUE_FULL with its ref, no accepted, and the socket still answers ping")
  void webSocket(Vertx vertx, VertxTestContext testContext) {
    refusedIds.add("adm-ws");
    WsClient.connect(vertx, node.webSocket(""))
      .compose(ws -> ws.request(frame(Op.SUBMIT, "s1").put(WebSocketFrames.TASK, echo("adm-ws")), Op.ACCEPTED)
        .compose(refused -> ws.request(frame(Op.PING, "p1"), Op.PONG))
        .map(pong -> ws))
      .onComplete(testContext.succeeding(ws -> testContext.verify(() -> {
        List<JsonObject> errors = ws.frames(is(Op.ERROR, "s1"));
        assertThat(errors).hasSize(1);
        assertThat(errorCode(errors.get(0))).isEqualTo(ErrorCode.QUEUE_FULL.name());
        assertQueueFull(errors.get(0).getJsonObject(WebSocketFrames.ERROR));
        assertThat(ws.frames(is(Op.ACCEPTED, "s1"))).isEmpty();
        assertThat(ws.frames(is(Op.PONG, "p1"))).hasSize(1);
        assertThat(ws.socket().isClosed()).isFalse();
        ws.close().onComplete(testContext.succeedingThenComplete());
      })));
  }

  @Test
  @DisplayName("a SockJS bridge submit gets a failure reply with QUEUE_FULL's failure code and says why")
  void bridge() throws Exception {
    refusedIds.add("adm-bridge");
    try (BridgeSocket socket = BridgeSocket.open(node.url, "", 5_000)) {
      socket.request(Addresses.GATEWAY_SUBMIT, echo("adm-bridge"), "r1");
      JsonObject failure = socket.next(f -> "r1".equals(f.getString("address")), WAIT);
      assertThat(failure.getString("type")).isEqualTo("err");
      assertThat(failure.getInteger("failureCode")).isEqualTo(ErrorCode.QUEUE_FULL.failureCode()).isEqualTo(4018);
      assertThat(failure.getString("failureType")).isEqualTo("RECIPIENT_FAILURE");
      assertThat(failure.getString("message")).contains("queue is full", "scheduler.maxQueuedTasks");
    }
  }

  @Test
  @DisplayName("the Nexus over HTTP gets 429 with Retry-After and a NexusResponse: status error, code QUEUE_FULL, its requestId")
  void nexusHttp() {
    refusedIds.add("adm-nexus-http");
    TestNode.Response response = node.post("/api/v1/nexus/tasks", nexusTask("req-full", echo("adm-nexus-http")).encode());
    assertThat(response.status()).as(response.body().encode()).isEqualTo(429);
    assertThat(response.headers().firstValue(RETRY_AFTER)).hasValue("1");
    JsonObject answer = response.body();
    assertThat(answer.getString("requestId")).isEqualTo("req-full");
    assertThat(answer.getString("system")).isEqualTo("distributed_computing");
    assertThat(answer.getString("status")).isEqualTo("error");
    assertThat(answer.getString("taskId")).isEqualTo("adm-nexus-http");
    assertThat(answer.containsKey("result")).isFalse();
    assertThat(answer.getLong("durationMs")).isNotNegative();
    assertQueueFull(answer.getJsonObject("error"));
  }

  @Test
  @DisplayName("the Nexus on the event bus gets a NexusResponse with status error and code QUEUE_FULL at once")
  void nexusEventBus() throws Exception {
    refusedIds.add("adm-nexus-bus");
    JsonObject answer = node.vertx.eventBus().<JsonObject>request(Addresses.NEXUS_TASKS,
        nexusTask("bus-full", echo("adm-nexus-bus")), new DeliveryOptions().setSendTimeout(WAIT.toMillis()))
      .toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS).body();
    assertThat(answer.getString("requestId")).isEqualTo("bus-full");
    assertThat(answer.getString("status")).isEqualTo("error");
    assertQueueFull(answer.getJsonObject("error"));
  }

  @Test
  @DisplayName("a task that leaves the queue makes room for exactly one more")
  void roomAgain() {
    assertThat(node.delete("/api/v1/tasks/adm-2").status()).isEqualTo(200);
    TestNode.Response accepted = node.post("/api/v1/tasks", echo("adm-3").encode());
    assertThat(accepted.status()).as(accepted.body().encode()).isEqualTo(202);
    assertThat(accepted.headers().firstValue(RETRY_AFTER)).isEmpty();
    await().atMost(WAIT).until(() -> node.taskIdsOf(EventNames.TASK_SUBMITTED).contains("adm-3"));

    refusedIds.add("adm-4");
    assertThat(node.post("/api/v1/tasks", echo("adm-4").encode()).status()).isEqualTo(429);
    assertThat(queued()).containsExactlyInAnyOrder("adm-1", "adm-3");
  }

  @Test
  @DisplayName("with no coordinator to answer, a submission is 503 UNAVAILABLE with Retry-After")
  void unavailable() throws Exception {
    try (TestNode gatewayOnly = new TestNode(new JsonObject().put("nodeId", "gateway-only")
      .put("roles", new JsonArray().add("gateway")).put("http", new JsonObject().put("requestTimeoutMs", 1_000)))) {
      TestNode.Response response = gatewayOnly.post("/api/v1/tasks", echo("adm-unavailable").encode());
      assertThat(response.status()).as(response.body().encode()).isEqualTo(503);
      assertThat(response.body().getJsonObject("error").getString("code")).isEqualTo(ErrorCode.UNAVAILABLE.name());
      assertThat(response.headers().firstValue(RETRY_AFTER)).hasValue("1");
    }
  }
}
