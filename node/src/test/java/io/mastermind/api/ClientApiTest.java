package io.mastermind.api;

import io.mastermind.coordinator.CoordinatorClient;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.EventNames;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.testsupport.GatewayNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.mastermind.api.EmbeddedDistributedSystemTest.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The remote client as an application uses it: on the application's own Vert.x, against a real
 * gateway whose WebSocket is not at the default path; submit, handles, get, cancel, list with a cursor,
 * and more long-polls in flight than the old five-connection pool allowed.
 */
@DisplayName("The remote client runs on the caller's Vert.x: submit/handle/get/cancel/list, a configured WebSocket path")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientApiTest {

  static final String TOKEN = "cl1ent-t0ken";
  static final String WS_PATH = "/custom/ws";
  static GatewayNode gateway;
  /** The application's Vert.x: the client must use it and leave it open. */
  static Vertx callerVertx;
  final List<DistributedSystem> opened = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    gateway = new GatewayNode(new JsonObject().put("apiTokens", new JsonArray().add(TOKEN))
      .put("http", new JsonObject().put("port", 0).put("websocket", new JsonObject().put("path", WS_PATH))));
    callerVertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    callerVertx.close().await(10, TimeUnit.SECONDS);
    gateway.close();
  }

  @AfterEach
  void closeOpened() throws Exception {
    for (DistributedSystem system : opened) {
      system.close().await(10, TimeUnit.SECONDS);
    }
  }

  DistributedSystem client(DistributedSystemOptions options) {
    DistributedSystem system = DistributedSystem.remote(callerVertx, gateway.url, TOKEN, options);
    opened.add(system);
    return system;
  }

  static DistributedSystemOptions customPath() {
    return new DistributedSystemOptions().setWebSocketPath(WS_PATH);
  }

  @Test
  @DisplayName("events come over the configured WebSocket path on the caller's Vert.x, which close() leaves running")
  void callersVertx() throws Exception {
    DistributedSystem system = DistributedSystem.remote(callerVertx, gateway.url, TOKEN, customPath());
    List<Vertx> handlerOwners = new CopyOnWriteArrayList<>();
    List<String> names = new CopyOnWriteArrayList<>();
    String id = "own-vertx-" + System.nanoTime();
    system.on("task:*", event -> {
      if (id.equals(event.getString("taskId"))) {
        handlerOwners.add(Vertx.currentContext().owner());
        names.add(event.getString("event"));
      }
    });
    system.initialize().await(10, TimeUnit.SECONDS);
    JsonObject record = system.executeTask(task("compute", "echo", new JsonObject().put("v", 1)).put("id", id))
      .await(10, TimeUnit.SECONDS);
    assertThat(record.getString("status")).isEqualTo("succeeded");
    await().atMost(Duration.ofSeconds(10)).until(() -> names.contains("task:completed"));
    assertThat(handlerOwners).allSatisfy(owner -> assertThat(owner).isSameAs(callerVertx));

    system.close().await(10, TimeUnit.SECONDS);
    // still usable: a fresh HTTP client on it reaches the gateway
    URI uri = URI.create(gateway.url);
    int status = callerVertx.createHttpClient()
      .request(HttpMethod.GET, uri.getPort(), uri.getHost(), "/health/live")
      .compose(request -> request.send())
      .map(response -> response.statusCode())
      .await(10, TimeUnit.SECONDS);
    assertThat(status).isEqualTo(200);
  }

  @Test
  @DisplayName("with the default path, live events on a gateway serving another path fail initialize() naming the path")
  void defaultPathRefused() throws Exception {
    DistributedSystem system = client(new DistributedSystemOptions());
    system.on("task:*", event -> { });
    DistributedSystemException refused = catchThrowableOfType(DistributedSystemException.class,
      () -> system.initialize().await(10, TimeUnit.SECONDS));
    assertThat(refused.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(refused.getMessage()).contains("/api/v1/ws", "404");
  }

  @Test
  @DisplayName("submit answers a handle once accepted; get, then cancel through the handle; result() is the cancelled record")
  void submitGetCancel() throws Exception {
    DistributedSystem system = client(customPath());
    system.initialize().await(10, TimeUnit.SECONDS);
    String id = "handle-" + System.nanoTime();
    TaskHandle handle = system.submit(task("io_bound", "sleep", new JsonObject().put("ms", 30_000)).put("id", id))
      .await(10, TimeUnit.SECONDS);
    assertThat(handle.id()).isEqualTo(id);
    assertThat(handle.accepted().getString("status")).isIn("queued", "scheduled", "running");
    assertThat(system.get(id).await(10, TimeUnit.SECONDS).getString("id")).isEqualTo(id);

    JsonObject cancelled = handle.cancel().await(10, TimeUnit.SECONDS);
    assertThat(cancelled.getString("status")).isEqualTo("cancelled");
    assertThat(handle.result().await(10, TimeUnit.SECONDS).getString("status")).isEqualTo("cancelled");
    DistributedSystemException again = catchThrowableOfType(DistributedSystemException.class,
      () -> system.cancel(id).await(10, TimeUnit.SECONDS));
    assertThat(again.code()).isEqualTo(ErrorCode.ALREADY_FINISHED);
    DistributedSystemException missing = catchThrowableOfType(DistributedSystemException.class,
      () -> system.get("no-such-task").await(10, TimeUnit.SECONDS));
    assertThat(missing.code()).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  @DisplayName("a typed TaskSpec submits too; list pages newest first with a cursor; a bad filter is INVALID_FIELD")
  void typedSubmitAndList() throws Exception {
    DistributedSystem system = client(customPath());
    system.initialize().await(10, TimeUnit.SECONDS);
    String prefix = "list-" + System.nanoTime() + "-";
    for (int i = 0; i < 3; i++) {
      TaskSpec spec = TaskSpec.fromJson(task("data_processing", "echo", new JsonObject().put("i", i)).put("id", prefix + i));
      JsonObject done = system.submit(spec).compose(TaskHandle::result).await(10, TimeUnit.SECONDS);
      assertThat(done.getString("status")).isEqualTo("succeeded");
    }
    JsonObject first = system.list(new JsonObject().put("type", "data_processing").put("limit", 2)).await(10, TimeUnit.SECONDS);
    assertThat(ids(first)).containsExactly(prefix + 2, prefix + 1);
    assertThat(first.getString("next")).isNotNull();
    JsonObject second = system.list(new JsonObject().put("type", "data_processing").put("limit", 2)
      .put("after", first.getString("next"))).await(10, TimeUnit.SECONDS);
    assertThat(ids(second)).startsWith(prefix + 0);

    DistributedSystemException bad = catchThrowableOfType(DistributedSystemException.class,
      () -> system.list(new JsonObject().put("status", "sleepy")).await(10, TimeUnit.SECONDS));
    assertThat(bad.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(bad.field()).isEqualTo("status");
  }

  @Test
  @DisplayName("twelve executeTask long-polls wait at once (the pool is not five connections), and all end once cancelled")
  void manyInFlight() throws Exception {
    DistributedSystem system = client(customPath());
    system.initialize().await(10, TimeUnit.SECONDS);
    String prefix = "inflight-" + System.nanoTime() + "-";
    List<Future<JsonObject>> running = IntStream.range(0, 12)
      .mapToObj(i -> system.executeTask(task("io_bound", "sleep", new JsonObject().put("ms", 30_000)).put("id", prefix + i)))
      .toList();
    CoordinatorClient coordinator = new CoordinatorClient(gateway.vertx.eventBus(), 5_000);
    await().atMost(Duration.ofSeconds(20))
      .until(() -> coordinator.cluster().await(5, TimeUnit.SECONDS).getInteger("waiters", 0) >= 12);
    for (int i = 0; i < 12; i++) {
      system.cancel(prefix + i).await(10, TimeUnit.SECONDS);
    }
    for (Future<JsonObject> task : running) {
      assertThat(task.await(20, TimeUnit.SECONDS).getString("status")).isEqualTo("cancelled");
    }
  }

  @Test
  @DisplayName("events as a ReadStream: nothing while paused (the full buffer drops the oldest), fetch(n) gives n, resume the rest")
  void eventsReadStream() throws Exception {
    DistributedSystem system = client(customPath());
    EventStream stream = system.events(EventNames.ALERT, 8);
    List<Integer> seen = new CopyOnWriteArrayList<>();
    List<Boolean> ended = new CopyOnWriteArrayList<>();
    stream.handler(event -> seen.add(event.getJsonObject("data").getInteger("seq"))).endHandler(v -> ended.add(true));
    system.initialize().await(10, TimeUnit.SECONDS);
    stream.subscription().ready().await(10, TimeUnit.SECONDS);
    stream.pause();

    // "alert": a real event name that a quiet standalone node does not publish by itself
    for (int seq = 0; seq < 20; seq++) {
      gateway.vertx.eventBus().publish(Addresses.EVENTS, new JsonObject().put("event", EventNames.ALERT)
        .put("timestamp", System.currentTimeMillis()).put("data", new JsonObject().put("seq", seq)));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> stream.droppedEvents() == 12);
    assertThat(seen).isEmpty();

    stream.fetch(3);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 3);
    assertThat(seen).containsExactly(12, 13, 14);
    stream.resume();
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 8);
    assertThat(seen).containsExactly(12, 13, 14, 15, 16, 17, 18, 19);

    stream.cancel().await(10, TimeUnit.SECONDS);
    assertThat(ended).containsExactly(true);
  }

  static List<String> ids(JsonObject page) {
    return page.getJsonArray("tasks").stream().map(t -> ((JsonObject) t).getString("id")).toList();
  }

  @Test
  @DisplayName("a handle's progress is a ReadStream of its task:progress values, paused until fetched, ending with the task; end() and status() are typed records")
  void progressAndTypedRecords() throws Exception {
    DistributedSystem system = client(customPath());
    system.initialize().await(10, TimeUnit.SECONDS);
    String id = "progress-" + System.nanoTime();
    TaskHandle handle = system.submit(task("io_bound", "sleep", new JsonObject().put("ms", 1_500)).put("id", id))
      .await(10, TimeUnit.SECONDS);
    List<Double> values = new CopyOnWriteArrayList<>();
    java.util.concurrent.CompletableFuture<Void> ended = new java.util.concurrent.CompletableFuture<>();
    io.vertx.core.streams.ReadStream<Double> progress = handle.progress();
    callerVertx.runOnContext(v -> progress.pause().handler(values::add).endHandler(e -> ended.complete(null)));
    // paused: nothing is handed over until asked for
    await().atMost(Duration.ofSeconds(10)).until(() -> system.status(id).await(5, TimeUnit.SECONDS).progress() > 0.3);
    assertThat(values).isEmpty();
    callerVertx.runOnContext(v -> progress.fetch(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> values.size() == 1);
    callerVertx.runOnContext(v -> progress.resume());
    ended.get(20, TimeUnit.SECONDS);
    assertThat(values).isSorted().allSatisfy(p -> assertThat(p).isBetween(0.0, 1.0));
    assertThat(values.get(values.size() - 1)).isEqualTo(1.0);
    assertThat(values).hasSizeGreaterThan(2);

    StatusRecord end = handle.end().await(10, TimeUnit.SECONDS);
    assertThat(end.status()).isEqualTo(io.mastermind.protocol.TaskStatus.SUCCEEDED);
    assertThat(end.succeeded()).isTrue();
    assertThat(end.type()).isEqualTo(io.mastermind.protocol.TaskType.IO_BOUND);
    assertThat(end.function()).isEqualTo("sleep");
    assertThat(end.attempts()).isEqualTo(1);
    assertThat(end.finishedAt()).isNotNull();
    assertThat(end.result()).isInstanceOf(JsonObject.class);
    assertThat(((JsonObject) end.result()).getInteger("sleptMs")).isEqualTo(1_500);
    assertThat(end.json().getString("id")).isEqualTo(id);
    assertThat(system.status(id).await(5, TimeUnit.SECONDS)).isEqualTo(end);

    // a task that ended before progress() was asked for: the stream ends at once, empty
    java.util.concurrent.CompletableFuture<Void> endedAlready = new java.util.concurrent.CompletableFuture<>();
    List<Double> none = new CopyOnWriteArrayList<>();
    io.vertx.core.streams.ReadStream<Double> late = handle.progress();
    callerVertx.runOnContext(v -> late.handler(none::add).endHandler(e -> endedAlready.complete(null)));
    endedAlready.get(10, TimeUnit.SECONDS);
    assertThat(none).isEmpty();
  }
}
