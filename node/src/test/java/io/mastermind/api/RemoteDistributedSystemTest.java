package io.mastermind.api;

import io.mastermind.coordinator.CoordinatorClient;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.testsupport.GatewayNode;
import io.mastermind.testsupport.WsStandIn;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.mastermind.api.EmbeddedDistributedSystemTest.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@ExtendWith(VertxExtension.class)
@DisplayName("DistributedSystem.remote drives a real gateway over HTTP and follows live events over its WebSocket")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteDistributedSystemTest {

  static final String TOKEN = "r3mote-t0ken";
  static GatewayNode gateway;
  static DistributedSystem system;
  static final List<JsonObject> events = new CopyOnWriteArrayList<>();
  final List<DistributedSystem> opened = new ArrayList<>();
  final List<AutoCloseable> standIns = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    gateway = new GatewayNode(new JsonObject().put("apiTokens", new JsonArray().add(TOKEN)));
    gateway.vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body())).completion()
      .await(5, TimeUnit.SECONDS);
    system = DistributedSystem.remote(gateway.url, TOKEN);
    system.initialize().await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    system.close().await(10, TimeUnit.SECONDS);
    gateway.close();
  }

  @AfterEach
  void closeOpened() throws Exception {
    for (DistributedSystem other : opened) {
      other.close().await(10, TimeUnit.SECONDS);
    }
    for (AutoCloseable standIn : standIns) {
      standIn.close();
    }
  }

  DistributedSystem open(String url, String token, DistributedSystemOptions options) {
    DistributedSystem other = DistributedSystem.remote(url, token, options);
    opened.add(other);
    return other;
  }

  @Test
  @DisplayName("executeTask answers the final record of a task that succeeded")
  void executeTask(VertxTestContext testContext) {
    system.executeTask(task("data_processing", "wordcount", new JsonObject().put("text", "the cat and the hat"))
        .put("priority", "critical"))
      .onComplete(testContext.succeeding(record -> testContext.verify(() -> {
        assertThat(record.getString("status")).isEqualTo("succeeded");
        assertThat(record.getJsonObject("result").getJsonObject("counts").getInteger("the")).isEqualTo(2);
        assertThat(record.getString("priority")).isEqualTo("critical");
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("a task longer than one long-poll is followed by idempotent re-POSTs until it ends, and runs once")
  void longPollsUntilTheEnd(VertxTestContext testContext) {
    DistributedSystem shortPolls = open(gateway.url, TOKEN, new DistributedSystemOptions().setPollWaitMs(100));
    String id = "long-" + System.nanoTime();
    shortPolls.initialize()
      .compose(v -> shortPolls.executeTask(task("io_bound", "sleep", new JsonObject().put("ms", 700)).put("id", id)))
      .onComplete(testContext.succeeding(record -> testContext.verify(() -> {
        assertThat(record.getString("status")).isEqualTo("succeeded");
        assertThat(record.getLong("finishedAt") - record.getLong("startedAt")).isGreaterThanOrEqualTo(700);
        assertThat(events).filteredOn(e -> id.equals(e.getString("taskId")) && "task:started".equals(e.getString("event")))
          .hasSize(1);
        assertThat(events).filteredOn(e -> id.equals(e.getString("taskId")) && "task:submitted".equals(e.getString("event")))
          .hasSize(1);
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("a failed task is a record, not a failure")
  void failedTask(VertxTestContext testContext) {
    system.executeTask(task("compute", "fail", new JsonObject().put("message", "nope")))
      .onComplete(testContext.succeeding(record -> testContext.verify(() -> {
        assertThat(record.getString("status")).isEqualTo("failed");
        assertThat(record.getJsonObject("error").getString("code")).isEqualTo("HANDLER_ERROR");
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("4xx answers become DistributedSystemException with the gateway's code, field and status")
  void errorMapping() throws Exception {
    DistributedSystemException invalid = catchThrowableOfType(DistributedSystemException.class,
      () -> system.executeTask(task("compute", "primes", new JsonObject().put("upTo", -1))).await(10, TimeUnit.SECONDS));
    assertThat(invalid.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(invalid.field()).isEqualTo("payload.data.upTo");
    assertThat(invalid.httpStatus()).isEqualTo(400);

    String id = "conflict-" + System.nanoTime();
    system.executeTask(task("compute", "echo", new JsonObject().put("v", 1)).put("id", id)).await(10, TimeUnit.SECONDS);
    DistributedSystemException conflict = catchThrowableOfType(DistributedSystemException.class,
      () -> system.executeTask(task("compute", "echo", new JsonObject().put("v", 2)).put("id", id)).await(10, TimeUnit.SECONDS));
    assertThat(conflict.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(conflict.httpStatus()).isEqualTo(409);

    DistributedSystemException unknownNode = catchThrowableOfType(DistributedSystemException.class,
      () -> system.removeNode("no-such-node").await(10, TimeUnit.SECONDS));
    assertThat(unknownNode.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(unknownNode.httpStatus()).isEqualTo(404);

    DistributedSystemException badNode = catchThrowableOfType(DistributedSystemException.class,
      () -> system.addNode(new JsonObject().put("id", "x").put("resources", new JsonObject().put("cpu", -1).put("memory", 1)))
        .await(10, TimeUnit.SECONDS));
    assertThat(badNode.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(badNode.field()).isEqualTo("resources.cpu");

    DistributedSystemException badLevel = catchThrowableOfType(DistributedSystemException.class,
      () -> system.setLogLevel("chatty").await(10, TimeUnit.SECONDS));
    assertThat(badLevel.code()).isEqualTo(ErrorCode.INVALID_FIELD);
  }

  @Test
  @DisplayName("addNode starts a worker in the gateway's process; removeNode makes it leave")
  void addAndRemoveNode() throws Exception {
    JsonObject node = system.addNode(new JsonObject().put("id", "remote-extra")
      .put("capabilities", new JsonArray().add("io_bound"))
      .put("resources", new JsonObject().put("cpu", new JsonObject().put("cores", 1).put("speed", 2.0))
        .put("memory", new JsonObject().put("total", 512)).put("gpu", false))).await(10, TimeUnit.SECONDS);
    assertThat(node.getString("id")).isEqualTo("remote-extra");
    assertThat(node.getString("state")).isEqualTo("healthy");
    assertThat(node.getJsonArray("capabilities")).containsExactly("io_bound");

    system.removeNode("remote-extra").await(10, TimeUnit.SECONDS);
    CoordinatorClient coordinator = new CoordinatorClient(gateway.vertx.eventBus(), 5_000);
    assertThat(coordinator.node("remote-extra").await(5, TimeUnit.SECONDS).getString("state")).isEqualTo("left");
    DistributedSystemException again = catchThrowableOfType(DistributedSystemException.class,
      () -> system.removeNode("remote-extra").await(10, TimeUnit.SECONDS));
    assertThat(again.code()).isEqualTo(ErrorCode.ALREADY_FINISHED);
  }

  @Test
  @DisplayName("setLogLevel is applied through PUT /api/v1/log-level")
  void setLogLevel() throws Exception {
    ch.qos.logback.classic.Logger ours = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.mastermind");
    ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("ROOT");
    ch.qos.logback.classic.Level before = ours.getLevel();
    ch.qos.logback.classic.Level rootBefore = root.getLevel();
    try {
      system.setLogLevel("warn").await(10, TimeUnit.SECONDS);
      assertThat(ours.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
    } finally {
      ours.setLevel(before);
      root.setLevel(rootBefore);
    }
  }

  @Test
  @DisplayName("without the token, or with a wrong one, initialize fails with UNAUTHORIZED (401)")
  void token() {
    for (String token : new String[] {null, "wrong"}) {
      DistributedSystemException refused = catchThrowableOfType(DistributedSystemException.class,
        () -> open(gateway.url, token, new DistributedSystemOptions()).initialize().await(10, TimeUnit.SECONDS));
      assertThat(refused.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
      assertThat(refused.httpStatus()).isEqualTo(401);
    }
  }

  @Test
  @DisplayName("a gateway nobody listens at fails initialize with UNAVAILABLE; commands before initialize are refused")
  void unreachable() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    DistributedSystem nowhere = open("http://127.0.0.1:" + port, null, new DistributedSystemOptions());
    assertThat(catchThrowableOfType(IllegalStateException.class,
      () -> nowhere.executeTask(new JsonObject()).await(5, TimeUnit.SECONDS))).hasMessageContaining("initialize");
    DistributedSystemException failure = catchThrowableOfType(DistributedSystemException.class,
      () -> nowhere.initialize().await(10, TimeUnit.SECONDS));
    assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(failure.getMessage()).contains("cannot reach the gateway at http://127.0.0.1:" + port);
  }

  @Test
  @DisplayName("on(\"*\") against the real gateway's WebSocket receives a task's events")
  void remoteEventsFromTheRealGateway(VertxTestContext testContext) {
    followEvents(gateway.url, testContext);
  }

  @Test
  @DisplayName("on(\"task:*\") over a SPEC 6 WebSocket (stand-in) receives a task's events, and nothing else")
  void remoteEventsOverSpecWebSocket(VertxTestContext testContext) throws Exception {
    WsStandIn standIn = new WsStandIn(gateway, TOKEN);
    standIns.add(standIn);
    followEvents(standIn.url, testContext);
  }

  private void followEvents(String url, VertxTestContext testContext) {
    DistributedSystem watcher = open(url, TOKEN, new DistributedSystemOptions());
    String id = "watched-" + System.nanoTime();
    List<String> seen = new CopyOnWriteArrayList<>();
    Checkpoint completed = testContext.checkpoint();
    watcher.on("task:*", event -> {
      testContext.verify(() -> assertThat(event.getString("event")).startsWith("task:"));
      if (id.equals(event.getString("taskId"))) {
        seen.add(event.getString("event"));
        if ("task:completed".equals(event.getString("event"))) {
          testContext.verify(() -> assertThat(seen).startsWith("task:submitted", "task:scheduled", "task:started"));
          completed.flag();
        }
      }
    });
    watcher.initialize()
      .compose(v -> watcher.executeTask(task("compute", "echo", new JsonObject()).put("id", id)))
      .onFailure(testContext::failNow);
  }

  @Test
  @DisplayName("a lost event stream reconnects with backoff and subscribes again")
  void reconnects(VertxTestContext testContext) throws Exception {
    WsStandIn standIn = new WsStandIn(gateway, TOKEN);
    standIns.add(standIn);
    DistributedSystem watcher = open(standIn.url, TOKEN, new DistributedSystemOptions().setReconnectBaseMs(50));
    String id = "after-drop-" + System.nanoTime();
    Checkpoint completed = testContext.checkpoint();
    EventSubscription subscription = watcher.subscribe("task:completed", event -> {
      if (id.equals(event.getString("taskId"))) {
        completed.flag();
      }
    });
    watcher.initialize().compose(v -> subscription.ready())
      .compose(v -> {
        testContext.verify(() -> assertThat(standIn.subscriptions()).isEqualTo(1));
        standIn.dropConnections();
        return subscribedAgain(standIn);
      })
      .compose(v -> watcher.executeTask(task("compute", "echo", new JsonObject()).put("id", id)))
      .onFailure(testContext::failNow);
  }

  /** Completes once the client has opened a new socket and the stand-in answered its subscribe. */
  private Future<Void> subscribedAgain(WsStandIn standIn) {
    return standIn.subscriptions() >= 2 ? Future.succeededFuture()
      : gateway.vertx.timer(20).compose(t -> subscribedAgain(standIn));
  }

  @Test
  @DisplayName("on(...) against a gateway without the WebSocket fails initialize with a message naming /api/v1/ws")
  void noWebSocket() throws Exception {
    WsStandIn withoutWs = WsStandIn.withoutWebSocket(gateway);
    standIns.add(withoutWs);
    DistributedSystem watcher = open(withoutWs.url, TOKEN, new DistributedSystemOptions());
    watcher.on("*", event -> { });
    DistributedSystemException failure = catchThrowableOfType(DistributedSystemException.class,
      () -> watcher.initialize().await(10, TimeUnit.SECONDS));
    assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(failure.getMessage()).contains("/api/v1/ws", "404");
  }
}
