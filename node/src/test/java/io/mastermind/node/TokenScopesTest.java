package io.mastermind.node;

import io.mastermind.testsupport.TestHttp;
import io.mastermind.protocol.WebSocketFrames.Op;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.mastermind.node.TestNode.task;
import static io.mastermind.node.WsClient.errorCode;
import static io.mastermind.node.WsClient.frame;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Token scopes (SPEC section 10): read, submit and admin on HTTP, the WebSocket and the SockJS bridge")
@Timeout(60)
class TokenScopesTest {

  static final String READER = "reader-token-0123456789";
  static final String SUBMITTER = "submitter-token-0123456789";
  static final String ADMIN = "admin-token-0123456789";
  static final String FULL = "full-token-0123456789";

  static TestNode node;
  static Vertx clients;

  @BeforeAll
  static void start() throws Exception {
    node = new TestNode(new JsonObject().put("apiTokens", new JsonArray()
      .add(new JsonObject().put("token", READER).put("scopes", new JsonArray().add("read")).put("name", "reader"))
      .add(new JsonObject().put("token", SUBMITTER).put("scopes", new JsonArray().add("submit")))
      .add(new JsonObject().put("token", ADMIN).put("scopes", new JsonArray().add("admin")))
      .add(FULL)));
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    clients.close().await(10, TimeUnit.SECONDS);
    node.close();
  }

  static TestNode.Response call(String token, String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url + path)).header("Authorization", "Bearer " + token)
      .header("Content-Type", "application/json")
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return node.send(request);
  }

  static String echo() {
    return task("compute", "echo", new JsonObject().put("n", 1)).put("id", "scoped-" + UUID.randomUUID()).encode();
  }

  static void assertForbidden(TestNode.Response response, String scope) {
    assertThat(response.status()).as(response.body().encode()).isEqualTo(403);
    JsonObject error = response.body().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("FORBIDDEN");
    assertThat(error.getString("message")).contains("'" + scope + "'");
  }

  @Nested
  @DisplayName("over HTTP")
  class Http {

    @Test
    @DisplayName("read: GET routes only; a write is 403 FORBIDDEN naming the scope it needs")
    void read() {
      assertThat(call(READER, "GET", "/api/v1/tasks", null).status()).isEqualTo(200);
      assertThat(call(READER, "GET", "/api/v1/nodes", null).status()).isEqualTo(200);
      assertThat(call(READER, "GET", "/api/v1/cluster", null).status()).isEqualTo(200);
      assertThat(node.post("/api/v1/tasks", echo()).status()).as("no token at all").isEqualTo(401);
      assertForbidden(call(READER, "POST", "/api/v1/tasks", echo()), "submit");
      assertForbidden(call(READER, "DELETE", "/api/v1/tasks/nope", null), "submit");
      assertForbidden(call(READER, "POST", "/api/v1/nexus/tasks", "{}"), "submit");
      assertForbidden(call(READER, "PUT", "/api/v1/log-level", "{\"level\":\"info\"}"), "admin");
      assertForbidden(call(READER, "POST", "/api/v1/nodes", "{}"), "admin");
      String id = "refused-" + UUID.randomUUID();
      assertForbidden(call(READER, "POST", "/api/v1/tasks", new JsonObject(echo()).put("id", id).encode()), "submit");
      assertThat(call(READER, "GET", "/api/v1/tasks/" + id, null).status()).as("nothing was submitted").isEqualTo(404);
    }

    @Test
    @DisplayName("submit: POST and DELETE of tasks and the Nexus; not reading, not admin")
    void submit() {
      TestNode.Response submitted = call(SUBMITTER, "POST", "/api/v1/tasks?wait=10000", echo());
      assertThat(submitted.status()).as(submitted.body().encode()).isIn(200, 202);
      String id = submitted.body().getString("id");
      assertThat(call(SUBMITTER, "DELETE", "/api/v1/tasks/" + id, null).status()).isNotEqualTo(403);
      TestNode.Response nexus = call(SUBMITTER, "POST", "/api/v1/nexus/tasks", new JsonObject().put("requestId", "r1")
        .put("system", "distributed_computing").put("action", "execute")
        .put("task", task("compute", "echo", new JsonObject())).encode());
      assertThat(nexus.status()).isEqualTo(200);
      assertThat(nexus.body().getString("status")).isEqualTo("success");
      assertForbidden(call(SUBMITTER, "GET", "/api/v1/tasks/" + id, null), "read");
      assertForbidden(call(SUBMITTER, "PUT", "/api/v1/log-level", "{\"level\":\"info\"}"), "admin");
      assertForbidden(call(SUBMITTER, "DELETE", "/api/v1/nodes/test-node", null), "admin");
    }

    @Test
    @DisplayName("admin: log level and nodes; neither reading nor submitting")
    void admin() {
      assertThat(call(ADMIN, "PUT", "/api/v1/log-level", "{\"level\":\"info\"}").status()).isEqualTo(200);
      TestNode.Response unknownNode = call(ADMIN, "DELETE", "/api/v1/nodes/no-such-node", null);
      assertThat(unknownNode.status()).as("past the scope check, the route answers").isEqualTo(404);
      assertForbidden(call(ADMIN, "GET", "/api/v1/nodes", null), "read");
      assertForbidden(call(ADMIN, "POST", "/api/v1/tasks", echo()), "submit");
    }

    @Test
    @DisplayName("a plain string token holds every scope")
    void full() {
      assertThat(call(FULL, "GET", "/api/v1/nodes", null).status()).isEqualTo(200);
      assertThat(call(FULL, "POST", "/api/v1/tasks", echo()).status()).isEqualTo(202);
      assertThat(call(FULL, "PUT", "/api/v1/log-level", "{\"level\":\"info\"}").status()).isEqualTo(200);
    }
  }

  @Nested
  @DisplayName("over the WebSocket")
  class WebSocket {

    WsClient open(String token) throws Exception {
      WebSocketConnectOptions options = node.webSocket("").addHeader("Authorization", "Bearer " + token);
      return WsClient.connect(clients, options).await(10, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("read: subscribe is let in; submit and cancel get an error frame FORBIDDEN and the socket stays open")
    void read() throws Exception {
      WsClient ws = open(READER);
      try {
        JsonObject subscribed = ws.request(frame(Op.SUBSCRIBE, "s1").put("events", new JsonArray().add("task:*")), Op.SUBSCRIBED)
          .await(10, TimeUnit.SECONDS);
        assertThat(subscribed.getString("op")).isEqualTo("subscribed");
        JsonObject submit = ws.request(frame(Op.SUBMIT, "s2").put("task", new JsonObject(echo())), Op.ACCEPTED)
          .await(10, TimeUnit.SECONDS);
        assertThat(submit.getString("op")).isEqualTo("error");
        assertThat(errorCode(submit)).isEqualTo("FORBIDDEN");
        assertThat(submit.getJsonObject("error").getString("message")).contains("'submit'");
        JsonObject cancel = ws.request(frame(Op.CANCEL, "s3").put("id", "x"), Op.CANCELLED).await(10, TimeUnit.SECONDS);
        assertThat(errorCode(cancel)).isEqualTo("FORBIDDEN");
        assertThat(ws.request(frame(Op.PING, "s4"), Op.PONG).await(10, TimeUnit.SECONDS).getString("op")).isEqualTo("pong");
      } finally {
        ws.close();
      }
    }

    @Test
    @DisplayName("submit: submit runs the task and follows it to its result; subscribe is FORBIDDEN")
    void submit() throws Exception {
      WsClient ws = open(SUBMITTER);
      try {
        JsonObject subscribe = ws.request(frame(Op.SUBSCRIBE, "s1").put("events", new JsonArray().add("*")), Op.SUBSCRIBED)
          .await(10, TimeUnit.SECONDS);
        assertThat(errorCode(subscribe)).isEqualTo("FORBIDDEN");
        assertThat(subscribe.getJsonObject("error").getString("message")).contains("'read'");
        ws.send(frame(Op.SUBMIT, "s2").put("task", new JsonObject(echo())));
        JsonObject result = ws.await(WsClient.is(Op.RESULT, "s2")).await(10, TimeUnit.SECONDS);
        assertThat(result.getJsonObject("task").getString("status")).isEqualTo("succeeded");
      } finally {
        ws.close();
      }
    }

    @Test
    @DisplayName("admin: neither subscribe nor submit")
    void admin() throws Exception {
      WsClient ws = open(ADMIN);
      try {
        assertThat(errorCode(ws.request(frame(Op.SUBSCRIBE, "a1").put("events", new JsonArray().add("*")), Op.SUBSCRIBED)
          .await(10, TimeUnit.SECONDS))).isEqualTo("FORBIDDEN");
        assertThat(errorCode(ws.request(frame(Op.SUBMIT, "a2").put("task", new JsonObject(echo())), Op.ACCEPTED)
          .await(10, TimeUnit.SECONDS))).isEqualTo("FORBIDDEN");
      } finally {
        ws.close();
      }
    }
  }

  @Nested
  @DisplayName("over the SockJS bridge")
  class Bridge {

    static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    @DisplayName("read: registering on the events works and they arrive; a submission is refused with failure code FORBIDDEN")
    void read() throws Exception {
      try (BridgeSocket socket = BridgeSocket.open(node.url, "?access_token=" + READER, 250)) {
        socket.register(Addresses.EVENTS);
        socket.request(Addresses.GATEWAY_SUBMIT, new JsonObject(echo()), "r1");
        JsonObject refused = socket.next(f -> "r1".equals(f.getString("address")), WAIT);
        assertThat(refused.getString("type")).isEqualTo("err");
        assertThat(refused.getInteger("failureCode")).isEqualTo(ErrorCode.FORBIDDEN.failureCode()).isEqualTo(4020);
        assertThat(refused.getString("message")).contains("'submit'");
        assertThat(call(FULL, "POST", "/api/v1/tasks", echo()).status()).isEqualTo(202);
        JsonObject event = socket.next(f -> Addresses.EVENTS.equals(f.getString("address")), WAIT);
        assertThat(event.getJsonObject("body").getString("event")).isNotBlank();
      }
    }

    @Test
    @DisplayName("submit: a submission gets its record; registering on the events is rejected")
    void submit() throws Exception {
      try (BridgeSocket socket = BridgeSocket.open(node.url, "?access_token=" + SUBMITTER, 250)) {
        socket.register(Addresses.EVENTS);
        assertThat(socket.nextError(WAIT).getString("body")).isEqualTo("rejected");
        socket.request(Addresses.GATEWAY_SUBMIT, new JsonObject(echo()), "r1");
        JsonObject reply = socket.next(f -> "r1".equals(f.getString("address")), WAIT);
        assertThat(reply.getString("type")).isEqualTo("rec");
        assertThat(reply.getJsonObject("body").getString("function")).isEqualTo("echo");
      }
    }

    @Test
    @DisplayName("a client cannot forge the bridge's refusal header to get past a check or to refuse its own tasks")
    void forgedHeader() throws Exception {
      try (BridgeSocket socket = BridgeSocket.open(node.url, "?access_token=" + SUBMITTER, 250)) {
        socket.send(new JsonObject().put("type", "send").put("address", Addresses.GATEWAY_SUBMIT).put("replyAddress", "r1")
          .put("body", new JsonObject(echo())).put("headers", new JsonObject().put("Mastermind-Refused", "CONFLICT")));
        assertThat(socket.next(f -> "r1".equals(f.getString("address")), WAIT).getString("type")).isEqualTo("rec");
      }
    }

    @Test
    @DisplayName("the xhr transports take ?access_token too (they cannot send headers), and apply the same scopes")
    void xhrTransport() throws Exception {
      String session = "xhr" + System.nanoTime();
      String base = node.url + "/eventbus/000/" + session;
      assertThat(post(base + "/xhr", "").status()).isEqualTo(401);
      TestNode.Response open = post(base + "/xhr?access_token=" + READER, "");
      assertThat(open.status()).isEqualTo(200);
      assertThat(open.body().getString("text")).startsWith("o");
      JsonObject frame = new JsonObject().put("type", "send").put("address", Addresses.GATEWAY_SUBMIT)
        .put("replyAddress", "x1").put("body", new JsonObject(echo()));
      assertThat(post(base + "/xhr_send", new JsonArray().add(frame.encode()).encode()).status())
        .as("xhr_send without a token").isEqualTo(401);
      TestNode.Response sent = post(base + "/xhr_send?access_token=" + READER, new JsonArray().add(frame.encode()).encode());
      assertThat(sent.status()).as(sent.body().encode() + sent.headers().map()).isEqualTo(204);
      TestNode.Response messages = post(base + "/xhr?access_token=" + READER, "");
      String text = messages.body().getString("text");
      assertThat(text).startsWith("a");
      JsonObject reply = new JsonObject(new JsonArray(text.substring(1).trim()).getString(0));
      assertThat(reply.getString("address")).isEqualTo("x1");
      assertThat(reply.getInteger("failureCode")).isEqualTo(ErrorCode.FORBIDDEN.failureCode());
    }

    /** Over HTTP/1.1, as browsers run the xhr transports (no cleartext HTTP/2 upgrade), one connection each. */
    private TestNode.Response post(String url, String body) throws Exception {
      HttpClient http1 = TestHttp.builder().build();
      HttpResponse<String> response = http1.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "text/plain")
        .timeout(WAIT).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      return new TestNode.Response(response.statusCode(), new JsonObject().put("text", response.body()), response.headers());
    }
  }
}
