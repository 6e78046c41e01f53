package io.mastermind.api.rx;

import io.mastermind.node.EmbeddedSystems;
import io.mastermind.api.DistributedSystem;
import io.mastermind.api.DistributedSystemException;
import io.mastermind.api.TaskHandle;
import io.mastermind.api.impl.EmbeddedDistributedSystem;
import io.mastermind.protocol.EventNames;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.testsupport.GatewayNode;
import io.mastermind.testsupport.WsStandIn;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DisplayName("RxDistributedSystem: Single and Completable commands, and a Flowable of events with bounded buffering")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RxDistributedSystemTest {

  static RxDistributedSystem rx;

  @BeforeAll
  static void start() {
    rx = RxDistributedSystem.of(EmbeddedSystems.embedded(new JsonObject().put("nodeId", "rx-node")
      .put("roles", new JsonArray().add("coordinator").add("worker"))
      .put("worker", new JsonObject().put("cpu", 2).put("memory", 2048))));
    rx.initialize().blockingAwait(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    rx.close().blockingAwait(30, TimeUnit.SECONDS);
  }

  static JsonObject task(String type, String function, JsonObject data) {
    return new JsonObject().put("type", type).put("payload", new JsonObject().put("function", function).put("data", data));
  }

  @Test
  @DisplayName("submit is a Single of the handle; get, cancel and list are Singles of records")
  void submitGetCancelList() throws Exception {
    String id = "rx-handle-" + System.nanoTime();
    TaskHandle handle = rx.submit(task("io_bound", "sleep", new JsonObject().put("ms", 30_000)).put("id", id))
      .blockingGet();
    assertThat(handle.id()).isEqualTo(id);
    assertThat(rx.get(id).blockingGet().getString("id")).isEqualTo(id);
    assertThat(rx.cancel(id).blockingGet().getString("status")).isEqualTo("cancelled");
    assertThat(rx.list(new JsonObject().put("status", "cancelled").put("limit", 1)).blockingGet()
      .getJsonArray("tasks").getJsonObject(0).getString("id")).isEqualTo(id);
  }

  @Test
  @DisplayName("executeTask is a Single of the final record, sent when subscribed to")
  void executeTask() throws Exception {
    var single = rx.executeTask(task("data_processing", "stats", new JsonObject().put("values", new JsonArray().add(1).add(2).add(3))));
    var observer = single.test();
    observer.await(20, TimeUnit.SECONDS);
    observer.assertNoErrors().assertValueCount(1);
    JsonObject record = observer.values().get(0);
    assertThat(record.getString("status")).isEqualTo("succeeded");
    assertThat(record.getJsonObject("result").getDouble("mean")).isEqualTo(2.0);
  }

  @Test
  @DisplayName("a refused task is an error of the Single: DistributedSystemException with INVALID_FIELD")
  void refusedTask() throws Exception {
    var observer = rx.executeTask(task("compute", "sha256", new JsonObject())).test();
    observer.await(10, TimeUnit.SECONDS);
    observer.assertError(err -> err instanceof DistributedSystemException e && e.code() == ErrorCode.INVALID_FIELD
      && "payload.data.text".equals(e.field()));
  }

  @Test
  @DisplayName("addNode is a Single of the node, removeNode a Completable, setLogLevel a Completable")
  void nodesAndLogLevel() {
    JsonObject node = rx.addNode(new JsonObject().put("id", "rx-extra")
      .put("resources", new JsonObject().put("cpu", 1).put("memory", 256))).blockingGet();
    assertThat(node.getString("state")).isEqualTo("healthy");
    assertThat(node.getJsonArray("capabilities")).contains("compute", "io_bound");
    assertThat(rx.removeNode("rx-extra").blockingAwait(10, TimeUnit.SECONDS)).isTrue();
    rx.removeNode("rx-extra").test().awaitDone(10, TimeUnit.SECONDS)
      .assertError(e -> ((DistributedSystemException) e).code() == ErrorCode.ALREADY_FINISHED);
    rx.setLogLevel("info").blockingAwait(10, TimeUnit.SECONDS);
    rx.setLogLevel("quiet").test().awaitDone(10, TimeUnit.SECONDS)
      .assertError(e -> ((DistributedSystemException) e).code() == ErrorCode.INVALID_FIELD);
  }

  @Test
  @DisplayName("a subscriber requesting one event at a time while thousands are published gets no "
    + "MissingBackpressureException: at most what it requested plus bufferSize events, ending with the newest, "
    + "the rest dropped oldest first")
  void backpressure() {
    int bufferSize = 16;
    int total = 2_000;
    Vertx vertx = ((EmbeddedDistributedSystem) rx.delegate()).node().vertx();
    long droppedBefore = rx.droppedEvents();
    AtomicInteger arrived = new AtomicInteger();
    // "alert": a real event name (patterns name known events only) that a standalone node does not publish by itself
    TestSubscriber<JsonObject> slow = rx.events(EventNames.ALERT, bufferSize).test(0);
    // registered after the Flowable's handler: both run in order on one event loop, so when this one has
    // seen event n, the Flowable's emitter has too
    rx.delegate().subscribe(EventNames.ALERT, e -> arrived.incrementAndGet()).ready().await();

    // publish in bursts of 10 per millisecond tick, from the event loop
    AtomicInteger published = new AtomicInteger();
    vertx.setPeriodic(1, timer -> {
      for (int i = 0; i < 10 && published.get() < total; i++) {
        int seq = published.getAndIncrement();
        vertx.eventBus().publish(Addresses.EVENTS, new JsonObject().put("event", EventNames.ALERT).put("data",
          new JsonObject().put("seq", seq)));
      }
      if (published.get() >= total) {
        vertx.cancelTimer(timer);
      }
    });
    // the slow subscriber: one at a time, ten times, while the bursts go on
    for (int i = 1; i <= 10; i++) {
      slow.request(1);
      int expected = i;
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> slow.values().size() >= expected);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> arrived.get() == total);
    slow.assertNoErrors().assertValueCount(10);

    // drain what the buffer kept: never more than bufferSize, and always the newest events
    slow.request(Long.MAX_VALUE);
    await().atMost(Duration.ofSeconds(10)).until(() -> seqs(slow).contains(total - 1));
    // no error at all, so in particular no MissingBackpressureException
    slow.assertNoErrors().assertNotComplete();
    List<Integer> seen = seqs(slow);
    assertThat(seen).isSorted().doesNotHaveDuplicates().hasSizeBetween(bufferSize, 10 + bufferSize);
    assertThat(seen.subList(seen.size() - bufferSize, seen.size()))
      .containsExactlyElementsOf(IntStream.range(total - bufferSize, total).boxed().toList());
    assertThat(rx.droppedEvents() - droppedBefore).isEqualTo(total - seen.size());
    slow.cancel();
  }

  private static List<Integer> seqs(TestSubscriber<JsonObject> subscriber) {
    return subscriber.values().stream().map(e -> e.getJsonObject("data").getInteger("seq")).toList();
  }

  @Test
  @DisplayName("events of a remote system without the WebSocket end with an error instead of hanging")
  void remoteEventsWithoutWebSocket() throws Exception {
    try (GatewayNode gateway = new GatewayNode(); WsStandIn withoutWs = WsStandIn.withoutWebSocket(gateway)) {
      RxDistributedSystem remote = RxDistributedSystem.remote(withoutWs.url, null);
      try {
        remote.initialize().blockingAwait(10, TimeUnit.SECONDS);
        var events = remote.events("*").test().awaitDone(10, TimeUnit.SECONDS);
        events.assertError(e -> e instanceof DistributedSystemException d && d.code() == ErrorCode.UNAVAILABLE
          && d.getMessage().contains("404"));
        JsonObject record = remote.executeTask(task("compute", "echo", new JsonObject().put("a", 1))).blockingGet();
        assertThat(record.getJsonObject("result")).isEqualTo(new JsonObject().put("a", 1));
      } finally {
        remote.close().blockingAwait(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @DisplayName("wrapping an existing DistributedSystem keeps it reachable through delegate()")
  void wraps() {
    DistributedSystem plain = DistributedSystem.remote("http://127.0.0.1:1");
    assertThat(RxDistributedSystem.of(plain).delegate()).isSameAs(plain);
  }
}
