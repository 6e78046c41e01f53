package io.mastermind.node;

import io.mastermind.protocol.WebSocketFrames.Op;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.vertx.core.Vertx;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.mastermind.node.TestNode.task;
import static io.mastermind.node.WsClient.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DisplayName("Abuse controls: per-caller rate limits (429 LIMIT_EXCEEDED + Retry-After) and alerts on repeated failed logins")
@Timeout(90)
class AbuseControlsTest {

  static final String A = "rate-token-a-0123456789";
  static final String B = "rate-token-b-0123456789";
  static final String WS = "rate-token-ws-0123456789";
  static final String BRIDGE = "rate-token-bridge-0123456789";

  /** Three requests at once, then one a second. */
  static final JsonObject LIMIT = new JsonObject().put("requestsPerSecond", 1).put("burst", 3);

  static TestNode limited;
  static Vertx clients;

  @BeforeAll
  static void start() throws Exception {
    limited = new TestNode(new JsonObject()
      .put("apiTokens", new JsonArray().add(new JsonObject().put("token", A).put("name", "token-a")).add(B).add(WS).add(BRIDGE))
      .put("http", new JsonObject().put("rateLimit", LIMIT)));
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    clients.close().await(10, TimeUnit.SECONDS);
    limited.close();
  }

  static TestNode.Response get(TestNode node, String token, String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url + path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return node.send(request);
  }

  static List<JsonObject> alerts(TestNode node, String kind) {
    return node.events.stream().filter(e -> "alert".equals(e.getString("event")))
      .filter(e -> kind.equals(e.getJsonObject("data").getString("kind"))).toList();
  }

  @Test
  @DisplayName("HTTP: past its burst a token gets 429 LIMIT_EXCEEDED with Retry-After; other tokens are not affected; one alert")
  void http() {
    List<Integer> statuses = new ArrayList<>();
    TestNode.Response refused = null;
    for (int i = 0; i < 6; i++) {
      TestNode.Response response = get(limited, A, "/api/v1/nodes");
      statuses.add(response.status());
      if (response.status() == 429) {
        refused = response;
      }
    }
    assertThat(statuses.subList(0, 3)).containsOnly(200);
    assertThat(refused).as("statuses " + statuses).isNotNull();
    assertThat(refused.body().getJsonObject("error").getString("code")).isEqualTo("LIMIT_EXCEEDED");
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(get(limited, B, "/api/v1/nodes").status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> alerts(limited, "rate_limited").stream()
      .anyMatch(e -> "token-a".equals(e.getJsonObject("data").getString("caller"))));
    JsonObject alert = alerts(limited, "rate_limited").stream()
      .filter(e -> "token-a".equals(e.getJsonObject("data").getString("caller"))).findFirst().orElseThrow();
    assertThat(alert.getJsonObject("data").getString("severity")).isEqualTo("warning");
    assertThat(alert.encode()).doesNotContain(A);
    assertThat(limited.get("/metrics").body().getString("text"))
      .contains("mastermind_security_refusals_total{kind=\"rate_limited\"")
      .contains("mastermind_security_alerts_total{kind=\"rate_limited\"");
  }

  @Test
  @DisplayName("WebSocket: every message counts; over the limit a message gets an error frame LIMIT_EXCEEDED with its ref")
  void webSocket() throws Exception {
    WsClient ws = WsClient.connect(clients, limited.webSocket("").addHeader("Authorization", "Bearer " + WS))
      .await(10, TimeUnit.SECONDS);
    try {
      for (int i = 0; i < 6; i++) {
        ws.send(frame(Op.PING, "p" + i));
      }
      JsonObject refused = ws.await(f -> "error".equals(f.getString("op"))).await(10, TimeUnit.SECONDS);
      assertThat(WsClient.errorCode(refused)).isEqualTo("LIMIT_EXCEEDED");
      assertThat(refused.getString("ref")).startsWith("p");
      assertThat(refused.getJsonObject("error").getString("message")).contains("retry after");
      assertThat(ws.socket().isClosed()).as("the socket stays open").isFalse();
    } finally {
      ws.close();
    }
  }

  @Test
  @DisplayName("SockJS bridge: submissions over the limit fail with LIMIT_EXCEEDED's failure code")
  void bridge() throws Exception {
    try (BridgeSocket socket = BridgeSocket.open(limited.url, "?access_token=" + BRIDGE, 0)) {
      for (int i = 0; i < 6; i++) {
        socket.request(Addresses.GATEWAY_SUBMIT, task("compute", "echo", new JsonObject()), "r" + i);
      }
      JsonObject refused = socket.next(f -> "err".equals(f.getString("type")) && f.getString("address") != null,
        Duration.ofSeconds(10));
      assertThat(refused.getInteger("failureCode")).isEqualTo(ErrorCode.LIMIT_EXCEEDED.failureCode()).isEqualTo(4016);
      assertThat(refused.getString("message")).contains("rate limit");
    }
  }

  @Test
  @DisplayName("tokens off: the limit is per remote address")
  void perAddress() throws Exception {
    try (TestNode open = new TestNode(new JsonObject().put("http", new JsonObject().put("rateLimit", LIMIT)))) {
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        statuses.add(open.get("/api/v1/nodes").status());
      }
      assertThat(statuses).startsWith(200, 200, 200).contains(429);
    }
  }

  @Test
  @DisplayName("repeated 401s from one address: an alert, a counter, and the address is slowed to one attempt per delay")
  void failedLogins() throws Exception {
    String good = "login-token-0123456789";
    try (TestNode node = new TestNode(new JsonObject().put("apiTokens", new JsonArray().add(good))
      .put("http", new JsonObject().put("authFailures", new JsonObject().put("max", 3).put("windowMs", 60_000).put("delayMs", 1_500))))) {
      for (int i = 0; i < 3; i++) {
        assertThat(get(node, "guess-" + i, "/api/v1/nodes").status()).isEqualTo(401);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> !alerts(node, "auth_failures").isEmpty());
      JsonObject alert = alerts(node, "auth_failures").get(0).getJsonObject("data");
      assertThat(alert.getString("address")).isEqualTo("127.0.0.1");
      assertThat(alert.getInteger("failures")).isEqualTo(3);
      assertThat(alert.getString("severity")).isEqualTo("warning");

      TestNode.Response slowed = get(node, good, "/api/v1/nodes");
      assertThat(slowed.status()).as("even the right token waits its turn").isEqualTo(429);
      assertThat(slowed.body().getJsonObject("error").getString("code")).isEqualTo("LIMIT_EXCEEDED");
      assertThat(slowed.headers().firstValue("Retry-After")).hasValue("2");
      long start = System.nanoTime();
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> get(node, good, "/api/v1/nodes").status() == 200);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(500));
      assertThat(get(node, good, "/api/v1/nodes").status()).as("one attempt per delay").isEqualTo(429);
      assertThat(get(node, null, "/health/live").status()).as("health stays open").isEqualTo(200);
      assertThat(node.get("/metrics").body().getString("text"))
        .contains("mastermind_security_refusals_total{kind=\"unauthorized\"")
        .contains("mastermind_security_refusals_total{kind=\"slowed\"")
        .contains("mastermind_security_alerts_total{kind=\"auth_failures\"");
      assertThat(alerts(node, "auth_failures")).as("one alert, not one per request").hasSize(1);
    }
  }
}
