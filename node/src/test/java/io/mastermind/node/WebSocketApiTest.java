package io.mastermind.node;

import io.mastermind.coordinator.CoordinatorClient;
import io.mastermind.protocol.WebSocketFrames;
import io.mastermind.protocol.WebSocketFrames.Op;
import io.mastermind.gateway.WebSocketOptions;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.Event;
import io.mastermind.protocol.EventNames;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
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

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static io.mastermind.node.TestNode.task;
import static io.mastermind.node.WsClient.errorCode;
import static io.mastermind.node.WsClient.eventName;
import static io.mastermind.node.WsClient.frame;
import static io.mastermind.node.WsClient.is;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@DisplayName("The WebSocket endpoint /api/v1/ws: submit and follow, subscribe, cancel, errors, auth, slow consumers")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketApiTest {

  private static final String OP = WebSocketFrames.OP;
  private static final String REF = WebSocketFrames.REF;
  private static final String TASK = WebSocketFrames.TASK;
  private static final String EVENT = WebSocketFrames.EVENT;
  private static final String EVENTS = WebSocketFrames.EVENTS;

  static TestNode node;
  private final List<TestNode> ownNodes = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    node = new TestNode(new JsonObject()
      .put("worker", new JsonObject().put("cpu", 2).put("memory", 2048).put("progressIntervalMs", 0))
      .put("http", new JsonObject().put("websocket", new JsonObject()
        .put("maxFrameSize", 65536).put("maxSubscriptions", 4).put("maxTrackedTasks", 2))));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @AfterEach
  void stopOwnNodes() throws Exception {
    for (TestNode own : ownNodes) {
      own.close();
    }
  }

  private TestNode ownNode(JsonObject overrides) throws Exception {
    TestNode own = new TestNode(overrides);
    ownNodes.add(own);
    return own;
  }

  private static Future<WsClient> connect(Vertx vertx) {
    return WsClient.connect(vertx, node.webSocket(""));
  }

  private static JsonObject submit(String ref, JsonObject task) {
    return frame(Op.SUBMIT, ref).put(TASK, task);
  }

  private static JsonObject subscribe(String ref, String... events) {
    return frame(Op.SUBSCRIBE, ref).put(EVENTS, new JsonArray(List.of((Object[]) events)));
  }

  private static JsonObject cancel(String ref, String id) {
    return frame(Op.CANCEL, ref).put(WebSocketFrames.ID, id);
  }

  private static JsonObject sleep(String id, long ms) {
    return task("io_bound", "sleep", new JsonObject().put("ms", ms)).put("id", id);
  }

  private static JsonObject echo(String id) {
    return task("compute", "echo", new JsonObject().put("hello", "ws")).put("id", id);
  }

  /** Subscription events (no ref) about one task, by name. */
  private static List<String> subscribedEventsOf(WsClient ws, String taskId) {
    return ws.frames(f -> is(Op.EVENT, null).test(f) && taskId.equals(f.getJsonObject(EVENT).getString("taskId")))
      .stream().map(WsClient::eventName).toList();
  }

  // ---- submit -----------------------------------------------------------------------------------

  @Test
  @DisplayName("submit answers accepted, then the task's events in lifecycle order, then the result with the final record")
  void submitFollowsTheTask(Vertx vertx, VertxTestContext testContext) {
    JsonArray x = new JsonArray();
    JsonArray y = new JsonArray();
    for (int i = 0; i < 5; i++) {
      x.add(new JsonArray().add(i));
      y.add(3 * i + 1);
    }
    JsonObject regression = task("ml_training", "linear-regression",
      new JsonObject().put("x", x).put("y", y).put("epochs", 20)).put("id", "ws-ordered-1");

    connect(vertx)
      .compose(ws -> ws.send(submit("c1", regression)).await(is(Op.RESULT, "c1")).map(result -> ws))
      .onComplete(testContext.succeeding(ws -> testContext.verify(() -> {
        List<JsonObject> mine = ws.frames(f -> "c1".equals(f.getValue(REF)));
        JsonObject accepted = mine.get(0);
        assertThat(accepted.getString(OP)).isEqualTo("accepted");
        assertThat(accepted.getJsonObject(TASK).getString("id")).isEqualTo("ws-ordered-1");
        assertThat(accepted.getJsonObject(TASK).getString("status")).isEqualTo("queued");

        List<JsonObject> events = mine.subList(1, mine.size() - 1);
        assertThat(events).allSatisfy(f -> {
          assertThat(f.getString(OP)).isEqualTo("event");
          assertThat(f.getJsonObject(EVENT).getString("taskId")).isEqualTo("ws-ordered-1");
        });
        List<String> names = events.stream().map(WsClient::eventName).toList();
        assertThat(names.subList(0, 3)).containsExactly("task:submitted", "task:scheduled", "task:started");
        assertThat(names.get(names.size() - 1)).isEqualTo("task:completed");
        assertThat(names.subList(3, names.size() - 1)).isNotEmpty().allMatch("task:progress"::equals);

        JsonObject result = mine.get(mine.size() - 1);
        assertThat(result.getString(OP)).isEqualTo("result");
        assertThat(result.getJsonObject(TASK).getString("status")).isEqualTo("succeeded");
        assertThat(result.getJsonObject(TASK).getJsonObject("result").getJsonArray("weights")).hasSize(1);
        assertThat(result.getJsonObject(TASK).getLong("finishedAt")).isPositive();
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("submit with \"events\": false answers accepted and the result only, no event frames; a non-boolean is INVALID_FIELD")
  void submitWithoutEvents(Vertx vertx, VertxTestContext testContext) {
    connect(vertx)
      .compose(ws -> ws.send(submit("q1", task("compute", "primes", new JsonObject().put("upTo", 100))).put("events", false))
        .await(is(Op.RESULT, "q1"))
        .compose(result -> ws.send(submit("q2", task("compute", "echo", new JsonObject())).put("events", "no"))
          .await(is(Op.ERROR, "q2")))
        .map(error -> ws))
      .onComplete(testContext.succeeding(ws -> testContext.verify(() -> {
        assertThat(ws.frames(f -> "q1".equals(f.getValue(REF)))).extracting(f -> f.getString(OP))
          .containsExactly("accepted", "result");
        assertThat(ws.frames(is(Op.RESULT, "q1")).get(0).getJsonObject(TASK).getJsonObject("result").getInteger("count"))
          .isEqualTo(25);
        JsonObject error = ws.frames(is(Op.ERROR, "q2")).get(0).getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("INVALID_FIELD");
        assertThat(error.getString("message")).contains("events");
        assertThat(ws.frames(f -> "q2".equals(f.getValue(REF)))).hasSize(1);
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("a task without an id gets one, and its events and result carry it")
  void submitWithoutId(Vertx vertx, VertxTestContext testContext) {
    connect(vertx)
      .compose(ws -> ws.send(submit("n1", task("compute", "primes", new JsonObject().put("upTo", 100))))
        .await(is(Op.RESULT, "n1")).map(result -> ws))
      .onComplete(testContext.succeeding(ws -> testContext.verify(() -> {
        String id = ws.frames(is(Op.ACCEPTED, "n1")).get(0).getJsonObject(TASK).getString("id");
        assertThat(id).isNotBlank();
        assertThat(ws.frames(is(Op.EVENT, "n1"))).isNotEmpty()
          .allMatch(f -> id.equals(f.getJsonObject(EVENT).getString("taskId")));
        JsonObject record = ws.frames(is(Op.RESULT, "n1")).get(0).getJsonObject(TASK);
        assertThat(record.getString("id")).isEqualTo(id);
        assertThat(record.getJsonObject("result").getInteger("count")).isEqualTo(25);
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("resubmitting a task that already ended answers accepted and at once the result, running nothing")
  void idempotentResubmitOfEndedTask(Vertx vertx, VertxTestContext testContext) {
    connect(vertx)
      .compose(ws -> ws.send(submit("a1", echo("ws-idem-1"))).await(is(Op.RESULT, "a1"))
        .compose(first -> ws.send(submit("a2", echo("ws-idem-1"))).await(is(Op.RESULT, "a2")))
        .map(second -> ws))
      .onComplete(testContext.succeeding(ws -> testContext.verify(() -> {
        List<JsonObject> again = ws.frames(f -> "a2".equals(f.getValue(REF)));
        assertThat(again).extracting(f -> f.getString(OP)).containsExactly("accepted", "result");
        assertThat(again).allSatisfy(f -> assertThat(f.getJsonObject(TASK).getString("status")).isEqualTo("succeeded"));
        // ran once: the first submission's stream has its one task:started (the node-wide event recorder
        // may not have seen it yet when the result frame arrives, so the socket's own frames are the witness)
        assertThat(ws.frames(is(Op.EVENT, "a1"))).extracting(WsClient::eventName).containsOnlyOnce("task:started");
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("an invalid task is refused with INVALID_FIELD naming the field; unknown and unsatisfiable ones with their codes")
  void invalidTasks(Vertx vertx, VertxTestContext testContext) {
    JsonObject badRange = task("compute", "primes", new JsonObject().put("upTo", -1));
    JsonObject unknown = task("compute", "no-such-function", new JsonObject());
    JsonObject tooBig = task("compute", "echo", new JsonObject()).put("requirements", new JsonObject().put("cpu", 64));
    connect(vertx)
      .compose(ws -> Future.all(
          ws.request(submit("v1", badRange), Op.ACCEPTED),
          ws.request(submit("v2", unknown), Op.ACCEPTED),
          ws.request(submit("v3", tooBig), Op.ACCEPTED),
          ws.request(submit("v4", new JsonObject()).put(TASK, "primes"), Op.ACCEPTED),
          ws.request(frame(Op.PING, "v5"), Op.PONG))
        .map(all -> ws))
      .onComplete(testContext.succeeding(ws -> testContext.verify(() -> {
        JsonObject v1 = ws.frames(is(Op.ERROR, "v1")).get(0).getJsonObject(WebSocketFrames.ERROR);
        assertThat(v1.getString("code")).isEqualTo("INVALID_FIELD");
        assertThat(v1.getString("field")).isEqualTo("payload.data.upTo");
        assertThat(v1.getString("message")).contains("upTo");
        assertThat(errorCode(ws.frames(is(Op.ERROR, "v2")).get(0))).isEqualTo("UNKNOWN_FUNCTION");
        assertThat(errorCode(ws.frames(is(Op.ERROR, "v3")).get(0))).isEqualTo("UNSATISFIABLE");
        JsonObject v4 = ws.frames(is(Op.ERROR, "v4")).get(0).getJsonObject(WebSocketFrames.ERROR);
        assertThat(v4.getString("field")).isEqualTo("task");
        assertThat(ws.frames(is(Op.ACCEPTED, "v1"))).isEmpty();
        assertThat(ws.frames(is(Op.PONG, "v5"))).hasSize(1);
        testContext.completeNow();
      })));
  }

  // ---- subscribe / unsubscribe ------------------------------------------------------------------

  @Test
  @DisplayName("subscriptions select events by \"*\", \"task:*\" and exact names; subscribing again adds to the subscription")
  void subscriptions(Vertx vertx, VertxTestContext testContext) {
    String id = "ws-sub-1";
    CoordinatorClient coordinator = new CoordinatorClient(node.vertx.eventBus(), 5_000);
    Future.all(connect(vertx), connect(vertx), connect(vertx))
      .compose(all -> {
        WsClient everything = all.resultAt(0);
        WsClient tasks = all.resultAt(1);
        WsClient exact = all.resultAt(2);
        return Future.all(
            everything.request(subscribe("s1", "*"), Op.SUBSCRIBED),
            tasks.request(subscribe("s2", "task:*"), Op.SUBSCRIBED),
            exact.request(subscribe("s3", "task:completed"), Op.SUBSCRIBED)
              .compose(first -> exact.request(subscribe("s4", "resource:update", "task:completed"), Op.SUBSCRIBED)))
          .compose(subscribed -> coordinator.submit(echo(id)))
          .compose(submitted -> Future.all(
            everything.await(f -> is(Op.EVENT, null).test(f) && id.equals(f.getJsonObject(EVENT).getString("taskId"))
              && "task:completed".equals(eventName(f))),
            everything.await(f -> is(Op.EVENT, null).test(f) && "resource:update".equals(eventName(f))),
            tasks.await(f -> is(Op.EVENT, null).test(f) && "task:completed".equals(eventName(f))
              && id.equals(f.getJsonObject(EVENT).getString("taskId"))),
            exact.await(f -> is(Op.EVENT, null).test(f) && "task:completed".equals(eventName(f))
              && id.equals(f.getJsonObject(EVENT).getString("taskId"))),
            exact.await(f -> is(Op.EVENT, null).test(f) && "resource:update".equals(eventName(f)))))
          .map(seen -> List.of(everything, tasks, exact));
      })
      .onComplete(testContext.succeeding(sockets -> testContext.verify(() -> {
        WsClient everything = sockets.get(0);
        WsClient tasks = sockets.get(1);
        WsClient exact = sockets.get(2);
        List<String> lifecycle = List.of("task:submitted", "task:scheduled", "task:started", "task:completed");
        assertThat(subscribedEventsOf(everything, id)).containsExactlyElementsOf(lifecycle);
        assertThat(subscribedEventsOf(tasks, id)).containsExactlyElementsOf(lifecycle);
        assertThat(tasks.frames(is(Op.EVENT, null))).extracting(WsClient::eventName).allMatch(n -> n.startsWith("task:"));
        assertThat(exact.frames(is(Op.EVENT, null))).extracting(WsClient::eventName)
          .containsOnly("task:completed", "resource:update");
        assertThat(exact.frames(is(Op.SUBSCRIBED, "s4")).get(0).getJsonArray(EVENTS))
          .containsExactly("task:completed", "resource:update");
        assertThat(everything.frames(is(Op.SUBSCRIBED, "s1")).get(0).getJsonArray(EVENTS)).containsExactly("*");
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("unsubscribe with events drops those patterns, without events drops them all; then only the socket's own task events come")
  void unsubscribe(Vertx vertx, VertxTestContext testContext) {
    connect(vertx)
      .compose(ws -> ws.request(subscribe("u1", "task:*", "resource:update"), Op.SUBSCRIBED)
        .compose(s -> ws.request(frame(Op.UNSUBSCRIBE, "u2").put(EVENTS, new JsonArray().add("resource:update")), Op.UNSUBSCRIBED))
        .compose(u -> ws.request(frame(Op.UNSUBSCRIBE, "u3"), Op.UNSUBSCRIBED))
        .compose(u -> ws.send(submit("u4", echo("ws-unsub-1"))).await(is(Op.RESULT, "u4")))
        .map(result -> ws))
      .onComplete(testContext.succeeding(ws -> testContext.verify(() -> {
        assertThat(ws.frames(is(Op.UNSUBSCRIBED, "u2")).get(0).getJsonArray(EVENTS)).containsExactly("task:*");
        assertThat(ws.frames(is(Op.UNSUBSCRIBED, "u3")).get(0).getJsonArray(EVENTS)).isEmpty();
        List<JsonObject> frames = ws.frames();
        int unsubscribed = frames.indexOf(ws.frames(is(Op.UNSUBSCRIBED, "u3")).get(0));
        List<JsonObject> after = frames.subList(unsubscribed + 1, frames.size());
        assertThat(after).isNotEmpty().allMatch(f -> "u4".equals(f.getValue(REF)));
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("past maxSubscriptions or maxTrackedTasks a request is refused with LIMIT_EXCEEDED and changes nothing")
  void limits(Vertx vertx, VertxTestContext testContext) {
    connect(vertx)
      .compose(ws -> ws.request(subscribe("p1", "task:*", "node:*", "alert"), Op.SUBSCRIBED)
        .compose(s -> ws.request(subscribe("p2", "resource:update", "cluster:leader"), Op.SUBSCRIBED))
        .compose(refused -> ws.request(frame(Op.UNSUBSCRIBE, "p3").put(EVENTS, new JsonArray()), Op.UNSUBSCRIBED))
        .compose(u -> Future.all(ws.request(submit("w1", sleep("ws-limit-1", 60_000)), Op.ACCEPTED),
          ws.request(submit("w2", sleep("ws-limit-2", 60_000)), Op.ACCEPTED)))
        .compose(two -> ws.request(submit("w3", echo("ws-limit-3")), Op.ACCEPTED))
        .compose(refused -> Future.all(ws.request(cancel("x1", "ws-limit-1"), Op.CANCELLED),
          ws.request(cancel("x2", "ws-limit-2"), Op.CANCELLED)))
        .map(cancelled -> ws))
      .onComplete(testContext.succeeding(ws -> testContext.verify(() -> {
        assertThat(errorCode(ws.frames(is(Op.ERROR, "p2")).get(0))).isEqualTo("LIMIT_EXCEEDED");
        assertThat(ws.frames(is(Op.UNSUBSCRIBED, "p3")).get(0).getJsonArray(EVENTS)).containsExactly("task:*", "node:*", "alert");
        assertThat(errorCode(ws.frames(is(Op.ERROR, "w3")).get(0))).isEqualTo("LIMIT_EXCEEDED");
        assertThat(ws.frames(is(Op.ACCEPTED, "w3"))).isEmpty();
        testContext.completeNow();
      })));
  }

  // ---- cancel, ping -----------------------------------------------------------------------------

  @Test
  @DisplayName("cancel interrupts a running task (cancelled, then its result); a finished or unknown id gets the coordinator's code")
  void cancel(Vertx vertx, VertxTestContext testContext) {
    String id = "ws-sleep-1";
    connect(vertx)
      .compose(ws -> ws.send(submit("r1", sleep(id, 60_000)))
        .await(f -> is(Op.EVENT, "r1").test(f) && "task:started".equals(eventName(f)))
        .compose(started -> ws.request(cancel("k1", id), Op.CANCELLED))
        .compose(cancelled -> ws.await(is(Op.RESULT, "r1")))
        .compose(result -> ws.request(cancel("k2", id), Op.CANCELLED))
        .compose(again -> ws.request(cancel("k3", "no-such-task"), Op.CANCELLED))
        .map(unknown -> ws))
      .onComplete(testContext.succeeding(ws -> testContext.verify(() -> {
        JsonObject cancelled = ws.frames(is(Op.CANCELLED, "k1")).get(0).getJsonObject(TASK);
        assertThat(cancelled.getString("status")).isEqualTo("cancelled");
        assertThat(cancelled.getJsonObject("error").getString("code")).isEqualTo("CANCELLED");
        List<JsonObject> followed = ws.frames(f -> "r1".equals(f.getValue(REF)));
        assertThat(eventName(followed.get(followed.size() - 2))).isEqualTo("task:cancelled");
        assertThat(followed.get(followed.size() - 1).getJsonObject(TASK).getString("status")).isEqualTo("cancelled");
        assertThat(errorCode(ws.frames(is(Op.ERROR, "k2")).get(0))).isEqualTo("ALREADY_FINISHED");
        assertThat(errorCode(ws.frames(is(Op.ERROR, "k3")).get(0))).isEqualTo("NOT_FOUND");
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("ping answers pong with the same ref, a string or a number")
  void ping(Vertx vertx, VertxTestContext testContext) {
    connect(vertx)
      .compose(ws -> Future.all(ws.request(frame(Op.PING, "c5"), Op.PONG), ws.request(frame(Op.PING, 42), Op.PONG)))
      .onComplete(testContext.succeeding(pongs -> testContext.verify(() -> {
        assertThat(pongs.<JsonObject>resultAt(0)).isEqualTo(new JsonObject().put(OP, "pong").put(REF, "c5"));
        assertThat(pongs.<JsonObject>resultAt(1).getInteger(REF)).isEqualTo(42);
        testContext.completeNow();
      })));
  }

  // ---- malformed input --------------------------------------------------------------------------

  private record Bad(String description, Function<WsClient, WsClient> send, Object ref, String code, String field) {
  }

  @Test
  @DisplayName("each kind of malformed frame gets an error frame with its code and field, and the socket keeps answering")
  void malformedFrames(Vertx vertx, VertxTestContext testContext) {
    List<Bad> cases = List.of(
      new Bad("not JSON", ws -> ws.sendText("{op: ping"), null, "INVALID_JSON", null),
      new Bad("a JSON array", ws -> ws.sendText("[1,2]"), null, "INVALID_JSON", null),
      new Bad("a JSON number", ws -> ws.sendText("42"), null, "INVALID_JSON", null),
      new Bad("a binary frame", ws -> ws.sendBinary(Buffer.buffer("{\"op\":\"ping\"}")), null, "INVALID_JSON", null),
      new Bad("no op", ws -> ws.sendText("{}"), null, "INVALID_FIELD", "op"),
      new Bad("an unknown op", ws -> ws.send(new JsonObject().put(OP, "dance").put(REF, "m1")), "m1", "INVALID_FIELD", "op"),
      new Bad("op not a string", ws -> ws.send(new JsonObject().put(OP, 7).put(REF, "m2")), "m2", "INVALID_FIELD", "op"),
      new Bad("ref an object", ws -> ws.send(frame(Op.PING, null).put(REF, new JsonObject())), null, "INVALID_FIELD", "ref"),
      new Bad("submit without task", ws -> ws.send(frame(Op.SUBMIT, "m3")), "m3", "INVALID_FIELD", "task"),
      new Bad("cancel without id", ws -> ws.send(frame(Op.CANCEL, "m4")), "m4", "INVALID_FIELD", "id"),
      new Bad("subscribe without events", ws -> ws.send(frame(Op.SUBSCRIBE, "m5")), "m5", "INVALID_FIELD", "events"),
      new Bad("events not a list", ws -> ws.send(frame(Op.SUBSCRIBE, "m6").put(EVENTS, "task:*")), "m6", "INVALID_FIELD", "events"),
      new Bad("an unknown event name", ws -> ws.send(subscribe("m7", "task:*", "task:exploded")), "m7", "INVALID_FIELD", "events[1]"),
      new Bad("an unknown prefix", ws -> ws.send(subscribe("m8", "job:*")), "m8", "INVALID_FIELD", "events[0]"),
      new Bad("a pattern not a string", ws -> ws.send(frame(Op.SUBSCRIBE, "m9").put(EVENTS, new JsonArray().add(1))), "m9",
        "INVALID_FIELD", "events[0]"));

    connect(vertx).compose(ws -> {
      // Frames are answered in order, so the frame just before the pong of "after-i" answers case i.
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < cases.size(); i++) {
        Bad bad = cases.get(i);
        String after = "after-" + i;
        chain = chain.compose(v -> bad.send().apply(ws).send(frame(Op.PING, after)).await(is(Op.PONG, after)))
          .map(pong -> {
            List<JsonObject> frames = ws.frames();
            JsonObject error = frames.get(frames.indexOf(pong) - 1);
            testContext.verify(() -> {
              assertThat(error.getString(OP)).as(bad.description()).isEqualTo("error");
              assertThat(error.containsKey(REF)).as(bad.description() + ": ref is always present").isTrue();
              assertThat(error.getValue(REF)).as(bad.description()).isEqualTo(bad.ref());
              JsonObject body = error.getJsonObject(WebSocketFrames.ERROR);
              assertThat(body.getString("code")).as(bad.description()).isEqualTo(bad.code());
              assertThat(body.getString("field")).as(bad.description()).isEqualTo(bad.field());
              assertThat(body.getString("message")).as(bad.description()).isNotBlank();
            });
            return null;
          });
      }
      return chain.map(v -> ws);
    }).onComplete(testContext.succeeding(ws -> testContext.verify(() -> {
      assertThat(ws.frames(f -> Op.ERROR.wireName().equals(f.getString(OP)))).hasSize(cases.size());
      assertThat(ws.frames(is(Op.PONG, null))).isEmpty();
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("a message over maxFrameSize in fragments gets PAYLOAD_TOO_LARGE and the socket stays open")
  void oversizedMessage(Vertx vertx, VertxTestContext testContext) {
    // The client splits a long message into 64 KiB fragments; this node's limit is 64 KiB.
    String big = frame(Op.PING, "big").put("pad", "x".repeat(150_000)).encode();
    connect(vertx)
      .compose(ws -> ws.sendText(big).request(frame(Op.PING, "small"), Op.PONG).map(pong -> ws))
      .onComplete(testContext.succeeding(ws -> testContext.verify(() -> {
        assertThat(ws.frames()).hasSize(2);
        JsonObject error = ws.frames().get(0);
        assertThat(errorCode(error)).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(error.getValue(REF)).isNull();
        assertThat(ws.frames(is(Op.PONG, "big"))).isEmpty();
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("a single frame over maxFrameSize closes the connection: the server will not even decode it")
  void oversizedFrame(Vertx vertx, VertxTestContext testContext) {
    String big = frame(Op.PING, "big").put("pad", "x".repeat(100_000)).encode();
    connect(vertx)
      .compose(ws -> ws.sendWholeFrame(big).closed())
      .onComplete(testContext.succeeding(status -> testContext.verify(() -> {
        // Netty refuses the frame and drops the connection; a client sees 1006 (or 1009 if a close frame made it)
        assertThat(status).isIn((short) 1006, (short) 1009);
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("a plain GET on the endpoint, without the upgrade, is 426")
  void plainGet() {
    TestNode.Response response = node.get(WebSocketOptions.DEFAULT_PATH);
    assertThat(response.status()).isEqualTo(426);
    assertThat(response.body().getJsonObject("error").getString("code")).isEqualTo("UPGRADE_REQUIRED");
  }

  // ---- auth -------------------------------------------------------------------------------------

  @Test
  @DisplayName("with API tokens the upgrade needs one: 401 without or with a wrong one; ?access_token or a bearer header let in")
  void tokenAuth(Vertx vertx, VertxTestContext testContext) throws Exception {
    TestNode secured = ownNode(new JsonObject().put("apiTokens", new JsonArray().add("s3cret")));
    Future<WsClient> none = WsClient.connect(vertx, secured.webSocket(""));
    Future<WsClient> wrong = WsClient.connect(vertx, secured.webSocket("?access_token=nope"));
    Future<JsonObject> query = WsClient.connect(vertx, secured.webSocket("?access_token=s3cret"))
      .compose(ws -> ws.request(frame(Op.PING, "q"), Op.PONG));
    Future<JsonObject> header = WsClient.connect(vertx, secured.webSocket("").addHeader("Authorization", "Bearer s3cret"))
      .compose(ws -> ws.request(frame(Op.PING, "h"), Op.PONG));
    Future.join(none, wrong, query, header).onComplete(done -> testContext.verify(() -> {
      assertThat(none.cause()).isInstanceOf(UpgradeRejectedException.class);
      assertThat(((UpgradeRejectedException) none.cause()).getStatus()).isEqualTo(401);
      assertThat(((UpgradeRejectedException) wrong.cause()).getStatus()).isEqualTo(401);
      assertThat(query.result().getString(OP)).isEqualTo("pong");
      assertThat(header.result().getString(OP)).isEqualTo("pong");
      testContext.completeNow();
    }));
  }

  // ---- slow consumers and leaks -----------------------------------------------------------------

  @Test
  @DisplayName("a client that stops reading costs at most maxQueuedFrames: the oldest events are dropped and it is told how many")
  void slowConsumer(Vertx vertx, VertxTestContext testContext) throws Exception {
    int maxQueued = 50;
    int published = 2_000;
    TestNode own = ownNode(new JsonObject().put("http", new JsonObject()
      .put("websocket", new JsonObject().put("maxQueuedFrames", maxQueued))));
    String padding = "x".repeat(16_000);
    AtomicLong maxSeenQueued = new AtomicLong();
    Metrics metrics = new Metrics(vertx, own);

    WsClient.connect(vertx, own.webSocket(""))
      .compose(ws -> ws.request(subscribe("slow", "alert"), Op.SUBSCRIBED).map(subscribed -> ws))
      .compose(ws -> {
        ws.socket().pause();
        for (int i = 0; i < published; i++) {
          own.vertx.eventBus().publish(Addresses.EVENTS,
            Event.of(EventNames.ALERT, "test", null, new JsonObject().put("n", i).put("pad", padding)).toJson());
        }
        // While the client does not read, the server's queue fills to the bound and stays there.
        return eventually(vertx, () -> Future.all(metrics.value("mastermind_websocket_queued_frames"),
            metrics.value("mastermind_websocket_events_dropped_total"))
          .map(values -> {
            double queued = values.<Double>resultAt(0);
            maxSeenQueued.accumulateAndGet((long) queued, Math::max);
            return queued == maxQueued && values.<Double>resultAt(1) > 0;
          }), () -> metrics + ", received " + received(ws))
          .map(v -> ws);
      })
      .compose(ws -> {
        ws.socket().resume();
        // Every event either arrives or is counted in a SLOW_CONSUMER notice.
        return eventually(vertx, () -> Future.succeededFuture(received(ws) + dropped(ws) == published),
          () -> "received " + received(ws) + ", dropped " + dropped(ws) + ", notices " + ws.frames(is(Op.ERROR, null))
            + ", " + metrics).map(v -> ws);
      })
      .compose(ws -> ws.request(frame(Op.PING, "still-there"), Op.PONG).map(pong -> ws))
      .compose(ws -> metrics.value("mastermind_websocket_events_dropped_total").map(total -> {
        testContext.verify(() -> {
          assertThat(maxSeenQueued.get()).isLessThanOrEqualTo(maxQueued);
          assertThat(dropped(ws)).isPositive().isEqualTo(total.longValue());
          List<JsonObject> notices = ws.frames(is(Op.ERROR, null));
          assertThat(notices).isNotEmpty().allSatisfy(n -> assertThat(errorCode(n)).isEqualTo("SLOW_CONSUMER"));
          // what arrived is in publishing order: the oldest were dropped, never reordered
          List<Integer> order = ws.frames(is(Op.EVENT, null)).stream()
            .map(f -> f.getJsonObject(EVENT).getJsonObject("data").getInteger("n")).toList();
          assertThat(order).isSorted();
        });
        return ws;
      }))
      .onComplete(testContext.succeedingThenComplete());
  }

  private static long received(WsClient ws) {
    return ws.frames(is(Op.EVENT, null)).size();
  }

  private static long dropped(WsClient ws) {
    return ws.frames(is(Op.ERROR, null)).stream()
      .mapToLong(n -> Long.parseLong(n.getJsonObject(WebSocketFrames.ERROR).getString("message").split(" ")[0])).sum();
  }

  @Test
  @DisplayName("closing sockets leaves nothing behind: no session, no queued frame, whatever they subscribed to or followed")
  void noLeakAfterClose(Vertx vertx, VertxTestContext testContext) {
    int sockets = 40;
    Metrics metrics = new Metrics(vertx, node);
    eventually(vertx, () -> metrics.value("mastermind_websocket_sessions").map(n -> n == 0), metrics::toString)
      .compose(v -> Future.all(IntStream.range(0, sockets).mapToObj(i -> connect(vertx)
        .compose(ws -> ws.request(subscribe("l" + i, "*"), Op.SUBSCRIBED)
          .compose(s -> ws.request(submit("t" + i, sleep("ws-leak-" + i, 10)), Op.ACCEPTED))
          .map(accepted -> ws))).toList()))
      .compose(open -> metrics.value("mastermind_websocket_sessions")
        .map(count -> {
          testContext.verify(() -> assertThat(count).isEqualTo(sockets));
          return open.<WsClient>list();
        }))
      .compose(open -> Future.all(open.stream().map(WsClient::close).toList()))
      .compose(closed -> eventually(vertx, () -> Future.all(metrics.value("mastermind_websocket_sessions"),
          metrics.value("mastermind_websocket_queued_frames"))
        .map(values -> values.<Double>resultAt(0) == 0 && values.<Double>resultAt(1) == 0), metrics::toString))
      .onComplete(testContext.succeedingThenComplete());
  }

  /** Reads values from a node's {@code /metrics}, without blocking; remembers the last value read of each. */
  private static final class Metrics {
    private final HttpClient http;
    private final URI uri;
    private final Map<String, Double> last = new ConcurrentHashMap<>();

    Metrics(Vertx vertx, TestNode node) {
      this.http = vertx.createHttpClient();
      this.uri = URI.create(node.url);
    }

    Future<Double> value(String name) {
      return http.request(HttpMethod.GET, uri.getPort(), uri.getHost(), "/metrics")
        .compose(request -> request.send().compose(response -> response.body()))
        .map(body -> body.toString().lines()
          .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
          .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
          .sum())
        .onSuccess(value -> last.put(name, value));
    }

    @Override
    public String toString() {
      return last.toString();
    }
  }

  /** Polls {@code check} every 20 ms until it answers true; fails after 20 s saying what it waited for and what it saw. */
  private static Future<Void> eventually(Vertx vertx, Supplier<Future<Boolean>> check, Supplier<String> state) {
    Promise<Void> done = Promise.promise();
    poll(vertx, check, state, System.currentTimeMillis() + 20_000, done);
    return done.future();
  }

  private static void poll(Vertx vertx, Supplier<Future<Boolean>> check, Supplier<String> state, long deadline,
                           Promise<Void> done) {
    check.get().onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        done.complete();
      } else if (System.currentTimeMillis() > deadline) {
        done.fail(new AssertionError("condition not met within 20 s; last seen: " + state.get()
          + (ar.failed() ? ", check failed: " + ar.cause() : "")));
      } else {
        vertx.setTimer(20, t -> poll(vertx, check, state, deadline, done));
      }
    });
  }
}
