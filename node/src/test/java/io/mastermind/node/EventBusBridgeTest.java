package io.mastermind.node;

import io.mastermind.testsupport.TestHttp;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.EventNames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.mastermind.node.TestNode.task;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The SockJS bridge lets live events out and task submissions in, and nothing else")
@Timeout(60)
class EventBusBridgeTest {

  static final Duration WAIT = Duration.ofSeconds(10);
  static final long PING_TIMEOUT_MS = 1_000;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = new TestNode(new JsonObject().put("bridge", new JsonObject().put("pingTimeoutMs", PING_TIMEOUT_MS)));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  static BridgeSocket socket() throws Exception {
    return BridgeSocket.open(node.url, "", 250);
  }

  @Test
  @DisplayName("a client registered on mastermind.events receives a task's events, from submitted to completed")
  void events() throws Exception {
    try (BridgeSocket socket = socket()) {
      socket.register(Addresses.EVENTS);
      // frames are handled in order, so the registration is in place before this submission
      socket.request(Addresses.GATEWAY_SUBMIT, task("compute", "primes", new JsonObject().put("upTo", 1000))
        .put("id", "bridge-events-1"), "r0");
      List<String> seen = new ArrayList<>();
      JsonObject frame;
      do {
        frame = socket.next(f -> Addresses.EVENTS.equals(f.getString("address"))
          && "bridge-events-1".equals(f.getJsonObject("body").getString("taskId")), WAIT);
        assertThat(frame.getString("type")).isEqualTo("rec");
        seen.add(frame.getJsonObject("body").getString("event"));
      } while (!EventNames.TASK_COMPLETED.equals(frame.getJsonObject("body").getString("event")));
      assertThat(seen).startsWith(EventNames.TASK_SUBMITTED, EventNames.TASK_SCHEDULED, EventNames.TASK_STARTED)
        .endsWith(EventNames.TASK_COMPLETED);
      JsonObject completed = frame.getJsonObject("body");
      assertThat(completed.getString("nodeId")).isEqualTo("test-node");
      assertThat(completed.getLong("timestamp")).isPositive();
      assertThat(completed.getJsonObject("data").getString("status")).isEqualTo("succeeded");
    }
  }

  @Test
  @DisplayName("a task sent to mastermind.gateway.submit with a replyAddress gets its status record back, then runs")
  void submitWithReply() throws Exception {
    try (BridgeSocket socket = socket()) {
      JsonObject task = task("compute", "primes", new JsonObject().put("upTo", 100)).put("id", "bridge-submit-1");
      socket.request(Addresses.GATEWAY_SUBMIT, task, "r1");
      JsonObject reply = socket.next(f -> "r1".equals(f.getString("address")), WAIT);
      assertThat(reply.getString("type")).isEqualTo("rec");
      JsonObject record = reply.getJsonObject("body");
      assertThat(record.getString("id")).isEqualTo("bridge-submit-1");
      assertThat(record.getString("type")).isEqualTo("compute");
      assertThat(record.getString("status")).isIn("queued", "scheduled", "running", "succeeded");
      JsonObject ended = node.run(task); // same id, same body: the existing record once ended
      assertThat(ended.getString("status")).isEqualTo("succeeded");
      assertThat(ended.getJsonObject("result").getInteger("count")).isEqualTo(25);
    }
  }

  @Test
  @DisplayName("an invalid task gets a failure reply carrying INVALID_FIELD and the field's message; nothing is queued")
  void invalidTask() throws Exception {
    try (BridgeSocket socket = socket()) {
      JsonObject task = task("compute", "primes", new JsonObject().put("upTo", -1)).put("id", "bridge-bad-1");
      socket.request(Addresses.GATEWAY_SUBMIT, task, "r2");
      JsonObject failure = socket.next(f -> "r2".equals(f.getString("address")), WAIT);
      assertThat(failure.getString("type")).isEqualTo("err");
      assertThat(failure.getInteger("failureCode")).isEqualTo(ErrorCode.INVALID_FIELD.failureCode());
      assertThat(failure.getString("failureType")).isEqualTo("RECIPIENT_FAILURE");
      assertThat(failure.getString("message")).contains("payload.data.upTo");

      socket.request(Addresses.GATEWAY_SUBMIT, "not a task", "r3");
      JsonObject notJson = socket.next(f -> "r3".equals(f.getString("address")), WAIT);
      assertThat(notJson.getInteger("failureCode")).isEqualTo(ErrorCode.INVALID_JSON.failureCode());

      JsonObject unknown = task("compute", "no-such-function", null);
      socket.request(Addresses.GATEWAY_SUBMIT, unknown, "r4");
      JsonObject refused = socket.next(f -> "r4".equals(f.getString("address")), WAIT);
      assertThat(refused.getInteger("failureCode")).isEqualTo(ErrorCode.UNKNOWN_FUNCTION.failureCode());
      assertThat(node.get("/api/v1/tasks/bridge-bad-1").status()).isEqualTo(404);
    }
  }

  @Test
  @DisplayName("addresses off the whitelist are access_denied; a publish or a send without replyAddress is rejected")
  void whitelist() throws Exception {
    try (BridgeSocket socket = socket()) {
      JsonObject task = task("compute", "echo", new JsonObject()).put("id", "bridge-sneaky-1");
      socket.request(Addresses.COORDINATOR_SUBMIT, new JsonObject().put("task", task), "r5");
      assertThat(socket.nextError(WAIT).getString("body")).isEqualTo("access_denied");

      socket.register(Addresses.COORDINATOR_INBOX);
      assertThat(socket.nextError(WAIT).getString("body")).isEqualTo("access_denied");

      socket.register(Addresses.nodeInbox("test-node"));
      assertThat(socket.nextError(WAIT).getString("body")).isEqualTo("access_denied");

      socket.send(new JsonObject().put("type", "send").put("address", Addresses.GATEWAY_SUBMIT).put("body", task));
      assertThat(socket.nextError(WAIT).getString("body")).isEqualTo("rejected");

      socket.send(new JsonObject().put("type", "publish").put("address", Addresses.GATEWAY_SUBMIT).put("body", task));
      assertThat(socket.nextError(WAIT).getString("body")).isEqualTo("rejected");

      socket.send(new JsonObject().put("type", "publish").put("address", Addresses.EVENTS).put("body", new JsonObject()));
      assertThat(socket.nextError(WAIT).getString("body")).isEqualTo("rejected");

      socket.register("x".repeat(201));
      assertThat(socket.nextError(WAIT).getString("body")).isEqualTo("max_address_length_reached");

      assertThat(node.get("/api/v1/tasks/bridge-sneaky-1").status()).isEqualTo(404);
      assertThat(socket.closed).isNotDone();
    }
  }

  @Test
  @DisplayName("a socket that stops pinging is closed after bridge.pingTimeoutMs; one that pings stays open")
  void pingTimeout() throws Exception {
    try (BridgeSocket silent = BridgeSocket.open(node.url, "", 0); BridgeSocket pinging = socket()) {
      silent.closed.get(PING_TIMEOUT_MS * 5, TimeUnit.MILLISECONDS);
      assertThat(pinging.closed).isNotDone();
      pinging.request(Addresses.GATEWAY_SUBMIT, task("compute", "echo", new JsonObject().put("still", "here")), "r6");
      assertThat(pinging.next(f -> "r6".equals(f.getString("address")), WAIT).getString("type")).isEqualTo("rec");
    }
  }

  @Test
  @DisplayName("the XHR polling transport, a SockJS client's fallback without WebSocket, submits and gets the reply")
  void xhrPolling() throws Exception {
    // HTTP/1.1 as browsers speak it to a plain-http server (Vert.x's SockJS sessions do not survive h2c)
    String session = node.url + "/eventbus/000/xhr" + System.nanoTime();
    HttpResponse<String> open = post(session + "/xhr", "");
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(open.body()).isEqualTo("o\n");
    JsonObject frame = new JsonObject().put("type", "send").put("address", Addresses.GATEWAY_SUBMIT)
      .put("replyAddress", "x1").put("body", task("compute", "echo", new JsonObject().put("via", "xhr")));
    assertThat(post(session + "/xhr_send", new JsonArray().add(frame.encode()).encode()).statusCode()).isEqualTo(204);
    HttpResponse<String> polled = post(session + "/xhr", "");
    assertThat(polled.statusCode()).isEqualTo(200);
    assertThat(polled.body()).startsWith("a[");
    JsonObject reply = new JsonObject(new JsonArray(polled.body().substring(1).trim()).getString(0));
    assertThat(reply.getString("address")).isEqualTo("x1");
    assertThat(reply.getJsonObject("body").getString("function")).isEqualTo("echo");
  }

  /**
   * One connection per request: the JDK client may otherwise reuse a keep-alive connection the server
   * has just closed after an XHR poll, and fail with "header parser received no bytes" (seen once in CI).
   */
  private static HttpResponse<String> post(String url, String body) throws Exception {
    HttpClient http = TestHttp.builder().build();
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
      .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("the SockJS info endpoint answers at /eventbus/info, so SockJS clients can negotiate a transport")
  void info() {
    TestNode.Response info = node.get("/eventbus/info");
    assertThat(info.status()).isEqualTo(200);
    assertThat(info.body().getBoolean("websocket")).isTrue();
  }
}
