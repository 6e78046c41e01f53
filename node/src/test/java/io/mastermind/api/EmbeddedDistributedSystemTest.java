package io.mastermind.api;

import io.mastermind.protocol.EventPattern;
import io.mastermind.node.EmbeddedSystems;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.TaskSpec;
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
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@ExtendWith(VertxExtension.class)
@DisplayName("EmbeddedSystems.embedded runs a node in the caller's process and speaks to it over the event bus")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddedDistributedSystemTest {

  static DistributedSystem system;

  @BeforeAll
  static void start() throws Exception {
    system = EmbeddedSystems.embedded(new JsonObject()
      .put("nodeId", "embedded-1")
      .put("roles", new JsonArray().add("coordinator").add("worker"))
      .put("worker", new JsonObject().put("cpu", 4).put("memory", 4096)));
    system.initialize().await(30, TimeUnit.SECONDS);
  }

  /** Subscriptions and systems a test opened, undone after it. */
  final List<Supplier<Future<Void>>> cleanup = new ArrayList<>();

  @AfterEach
  void undo() throws Exception {
    for (Supplier<Future<Void>> step : cleanup) {
      step.get().await(30, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    system.close().await(30, TimeUnit.SECONDS);
  }

  static JsonObject task(String type, String function, JsonObject data) {
    return new JsonObject().put("type", type).put("payload", new JsonObject().put("function", function).put("data", data));
  }

  @Test
  @DisplayName("executeTask completes with the final status record, result included")
  void executeTask(VertxTestContext testContext) {
    JsonObject task = task("compute", "primes", new JsonObject().put("upTo", 100))
      .put("requirements", new JsonObject().put("cpu", 2).put("memory", 256)).put("priority", "high");
    system.executeTask(task).onComplete(testContext.succeeding(record -> testContext.verify(() -> {
      assertThat(record.getString("status")).isEqualTo("succeeded");
      assertThat(record.getJsonObject("result").getInteger("count")).isEqualTo(25);
      assertThat(record.getString("priority")).isEqualTo("high");
      assertThat(record.getString("node")).isEqualTo("embedded-1");
      assertThat(record.getDouble("progress")).isEqualTo(1.0);
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("a task that runs and fails still completes: the record says failed, with the handler's error")
  void failedTaskIsARecordNotAFailure(VertxTestContext testContext) {
    system.executeTask(task("compute", "fail", new JsonObject().put("message", "boom")).put("maxRetries", 1))
      .onComplete(testContext.succeeding(record -> testContext.verify(() -> {
        assertThat(record.getString("status")).isEqualTo("failed");
        assertThat(record.getInteger("attempts")).isEqualTo(2);
        assertThat(record.getJsonObject("error").getString("code")).isEqualTo("HANDLER_ERROR");
        assertThat(record.getJsonObject("error").getString("message")).isEqualTo("boom");
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("a bad task fails with INVALID_FIELD naming the field, and nothing is queued")
  void invalidTask() {
    DistributedSystemException failure = catchThrowableOfType(DistributedSystemException.class,
      () -> system.executeTask(task("compute", "primes", new JsonObject().put("upTo", -1))).await(10, TimeUnit.SECONDS));
    assertThat(failure.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(failure.field()).isEqualTo("payload.data.upTo");
    assertThat(failure.httpStatus()).isEqualTo(400);
    assertThat(failure.reason()).contains("between 0 and");

    DistributedSystemException unknown = catchThrowableOfType(DistributedSystemException.class,
      () -> system.executeTask(task("io_bound", "primes", new JsonObject().put("upTo", 10))).await(10, TimeUnit.SECONDS));
    assertThat(unknown.code()).isEqualTo(ErrorCode.UNKNOWN_FUNCTION);

    DistributedSystemException tooBig = catchThrowableOfType(DistributedSystemException.class,
      () -> system.executeTask(task("compute", "echo", new JsonObject())
        .put("requirements", new JsonObject().put("cpu", 64))).await(10, TimeUnit.SECONDS));
    assertThat(tooBig.code()).isEqualTo(ErrorCode.UNSATISFIABLE);
  }

  @Test
  @DisplayName("on(\"*\") receives every event of a task; on(\"task:completed\") receives only that event")
  void eventsByPattern(VertxTestContext testContext) {
    String id = "events-" + System.nanoTime();
    List<String> everything = new CopyOnWriteArrayList<>();
    List<String> completedOnly = new CopyOnWriteArrayList<>();
    Checkpoint sawAll = testContext.checkpoint();
    Checkpoint sawCompleted = testContext.checkpoint();
    EventSubscription all = system.subscribe("*", event -> {
      if (id.equals(event.getString("taskId"))) {
        everything.add(event.getString("event"));
        if ("task:completed".equals(event.getString("event"))) {
          testContext.verify(() -> assertThat(everything).startsWith("task:submitted", "task:scheduled", "task:started"));
          sawAll.flag();
        }
      }
    });
    EventSubscription completed = system.subscribe("task:completed", event -> {
      completedOnly.add(event.getString("event"));
      if (id.equals(event.getString("taskId"))) {
        testContext.verify(() -> {
          assertThat(completedOnly).containsOnly("task:completed");
          assertThat(event.getJsonObject("data").getString("status")).isEqualTo("succeeded");
          assertThat(event.getString("nodeId")).isEqualTo("embedded-1");
        });
        sawCompleted.flag();
      }
    });
    all.ready().compose(v -> completed.ready())
      .compose(v -> system.executeTask(task("compute", "echo", new JsonObject().put("n", 1)).put("id", id)))
      .onFailure(testContext::failNow);
    cleanup.add(all::cancel);
    cleanup.add(completed::cancel);
  }

  @Test
  @DisplayName("a prefix pattern such as task:* matches task events and no node events")
  void prefixPattern() {
    assertThat(EventPattern.of("task:*").matches("task:progress")).isTrue();
    assertThat(EventPattern.of("task:*").matches("node:join")).isFalse();
    assertThat(EventPattern.of("*").matches("alert")).isTrue();
    assertThat(EventPattern.of("node:health").matches("node:healthy")).isFalse();
    assertThatThrownBy(() -> EventPattern.of("task:*:x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> system.on(" ", e -> { })).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("addNode starts a worker with the NodeConfig's capabilities and resources; removeNode makes it leave")
  void addAndRemoveNode(VertxTestContext testContext) {
    JsonObject config = new JsonObject().put("id", "gpu-box")
      .put("capabilities", new JsonArray().add("ml_training"))
      .put("resources", new JsonObject().put("cpu", new JsonObject().put("cores", 2).put("speed", 3.2))
        .put("memory", new JsonObject().put("total", 2048).put("available", 2048)).put("gpu", true));
    Checkpoint left = testContext.checkpoint();
    EventSubscription leaves = system.subscribe("node:leave", event -> {
      if ("gpu-box".equals(event.getString("nodeId"))) {
        left.flag();
      }
    });
    JsonObject gpuTask = task("ml_training", "echo", new JsonObject()).put("requirements", new JsonObject().put("gpu", true));
    leaves.ready()
      .compose(v -> system.addNode(config))
      .compose(node -> {
        testContext.verify(() -> {
          assertThat(node.getString("id")).isEqualTo("gpu-box");
          assertThat(node.getString("state")).isEqualTo("healthy");
          assertThat(node.getJsonArray("capabilities")).containsExactly("ml_training");
          assertThat(node.getJsonObject("resources").getBoolean("gpu")).isTrue();
        });
        return system.executeTask(gpuTask);
      })
      .compose(record -> {
        testContext.verify(() -> assertThat(record.getString("node")).isEqualTo("gpu-box"));
        return system.addNode(config);
      })
      .recover(err -> {
        testContext.verify(() -> assertThat(((DistributedSystemException) err).code()).isEqualTo(ErrorCode.CONFLICT));
        return system.removeNode("gpu-box").map(new JsonObject());
      })
      .compose(v -> system.removeNode("no-such-node"))
      .onComplete(testContext.failing(err -> testContext.verify(() -> {
        assertThat(((DistributedSystemException) err).code()).isEqualTo(ErrorCode.NOT_FOUND);
      })));
    cleanup.add(leaves::cancel);
  }

  @Test
  @DisplayName("addNode refuses a NodeConfig without resources with INVALID_FIELD")
  void invalidNodeConfig() {
    DistributedSystemException failure = catchThrowableOfType(DistributedSystemException.class,
      () -> system.addNode(new JsonObject().put("id", "x")).await(10, TimeUnit.SECONDS));
    assertThat(failure.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(failure.field()).isEqualTo("resources");
  }

  @Test
  @DisplayName("setLogLevel changes the level at run time; an unknown level is INVALID_FIELD")
  void setLogLevel() throws Exception {
    Logger ours = (Logger) LoggerFactory.getLogger("io.mastermind");
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = ours.getLevel();
    Level rootBefore = root.getLevel();
    try {
      system.setLogLevel("DEBUG").await(10, TimeUnit.SECONDS);
      assertThat(ours.getLevel()).isEqualTo(Level.DEBUG);
      DistributedSystemException failure = catchThrowableOfType(DistributedSystemException.class,
        () -> system.setLogLevel("loud").await(10, TimeUnit.SECONDS));
      assertThat(failure.code()).isEqualTo(ErrorCode.INVALID_FIELD);
      assertThat(failure.field()).isEqualTo("level");
    } finally {
      ours.setLevel(before);
      root.setLevel(rootBefore);
    }
  }

  @Test
  @DisplayName("handlers registered before initialize see the embedded node join; commands before initialize are refused")
  void beforeInitialize(VertxTestContext testContext) {
    DistributedSystem second = EmbeddedSystems.embedded(new JsonObject().put("nodeId", "embedded-2")
      .put("roles", new JsonArray().add("coordinator").add("worker")));
    assertThatThrownBy(() -> second.executeTask(new JsonObject()).await(5, TimeUnit.SECONDS))
      .isInstanceOf(IllegalStateException.class).hasMessageContaining("initialize");
    Checkpoint joined = testContext.checkpoint();
    second.on("node:join", event -> {
      if ("embedded-2".equals(event.getString("nodeId"))) {
        joined.flag();
      }
    });
    second.initialize().onFailure(testContext::failNow);
    cleanup.add(second::close);
  }

  @Test
  @DisplayName("an invalid config is refused at once")
  void invalidConfig() {
    assertThatThrownBy(() -> EmbeddedSystems.embedded(new JsonObject().put("roles", new JsonArray().add("chef"))))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chef");
  }

  @Test
  @DisplayName("submit answers a handle; get, cancel through the handle and list with a cursor work embedded as remotely")
  void submitGetCancelList() throws Exception {
    String id = "emb-handle-" + System.nanoTime();
    TaskHandle handle = system.submit(task("io_bound", "sleep", new JsonObject().put("ms", 30_000)).put("id", id))
      .await(10, TimeUnit.SECONDS);
    assertThat(handle.id()).isEqualTo(id);
    assertThat(system.get(id).await(10, TimeUnit.SECONDS).getString("id")).isEqualTo(id);
    assertThat(handle.cancel().await(10, TimeUnit.SECONDS).getString("status")).isEqualTo("cancelled");
    assertThat(handle.result().await(10, TimeUnit.SECONDS).getString("status")).isEqualTo("cancelled");

    JsonObject done = system.submit(TaskSpec.fromJson(task("compute", "echo", new JsonObject().put("v", 1))))
      .compose(TaskHandle::result).await(10, TimeUnit.SECONDS);
    assertThat(done.getString("status")).isEqualTo("succeeded");
    JsonObject first = system.list(new JsonObject().put("limit", 1)).await(10, TimeUnit.SECONDS);
    assertThat(first.getJsonArray("tasks")).hasSize(1);
    assertThat(first.getJsonArray("tasks").getJsonObject(0).getString("id")).isEqualTo(done.getString("id"));
    JsonObject second = system.list(new JsonObject().put("limit", 1).put("after", first.getString("next"))).await(10, TimeUnit.SECONDS);
    assertThat(second.getJsonArray("tasks").getJsonObject(0).getString("id")).isEqualTo(id);
    DistributedSystemException bad = catchThrowableOfType(DistributedSystemException.class,
      () -> system.list(new JsonObject().put("limit", 0)).await(10, TimeUnit.SECONDS));
    assertThat(bad.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(bad.field()).isEqualTo("limit");
  }
}
