package io.mastermind.node;

import io.mastermind.protocol.WebSocketFrames.Op;
import io.mastermind.protocol.Addresses;
import io.mastermind.testsupport.TestIssuer;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.mastermind.node.TestNode.task;
import static io.mastermind.node.WsClient.errorCode;
import static io.mastermind.node.WsClient.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@DisplayName("JWT bearer tokens (http.jwt) beside the API tokens: signature, expiry, issuer, audience, scopes")
@Timeout(60)
class JwtAuthTest {

  static final String ISSUER = "https://idp.example.test/";
  static final String AUDIENCE = "mastermind";
  static final String HMAC_SECRET = "hmac-secret-of-at-least-32-bytes-0123456789";
  static final String STATIC = "static-token-0123456789";

  static Vertx clients;
  static TestIssuer idp;
  static TestIssuer hmac;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    clients = Vertx.vertx();
    idp = TestIssuer.rsa(clients);
    hmac = TestIssuer.hmac(clients, HMAC_SECRET);
    node = new TestNode(new JsonObject()
      .put("apiTokens", new JsonArray().add(STATIC))
      .put("http", new JsonObject()
        // this class refuses many tokens on purpose: keep the address from being slowed down meanwhile
        .put("authFailures", new JsonObject().put("max", 1000))
        .put("jwt", new JsonObject()
          .put("publicKeys", new JsonArray().add(idp.publicPem()))
          .put("hmacSecret", HMAC_SECRET)
          .put("issuer", ISSUER)
          .put("audience", AUDIENCE))));
  }

  @AfterAll
  static void stop() throws Exception {
    clients.close().await(10, TimeUnit.SECONDS);
    node.close();
  }

  static String token(String scope) {
    return idp.sign(new JsonObject().put("sub", "alice").put("scope", scope), ISSUER, AUDIENCE, 300);
  }

  static TestNode.Response call(String token, String method, String path, String body) {
    return node.send(HttpRequest.newBuilder(URI.create(node.url + path)).header("Authorization", "Bearer " + token)
      .header("Content-Type", "application/json")
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
  }

  static String echo(String id) {
    return task("compute", "echo", new JsonObject().put("n", 1)).put("id", id).encode();
  }

  static void assertUnauthorized(TestNode.Response response, String token, String reason) {
    assertThat(response.status()).as(response.body().encode()).isEqualTo(401);
    assertThat(response.body().getJsonObject("error").getString("code")).isEqualTo("UNAUTHORIZED");
    assertThat(response.body().getJsonObject("error").getString("message")).contains(reason);
    assertThat(response.body().encode()).as("the token is never echoed").doesNotContain(token);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
  }

  @Test
  @DisplayName("scope \"read\": GET is let in, POST /api/v1/tasks is 403 FORBIDDEN naming the scope and the subject")
  void readScope() {
    String jwt = token("read");
    assertThat(call(jwt, "GET", "/api/v1/tasks", null).status()).isEqualTo(200);
    assertThat(call(jwt, "GET", "/api/v1/nodes", null).status()).isEqualTo(200);
    String id = "jwt-read-" + UUID.randomUUID();
    TestNode.Response refused = call(jwt, "POST", "/api/v1/tasks", echo(id));
    assertThat(refused.status()).as(refused.body().encode()).isEqualTo(403);
    assertThat(refused.body().getJsonObject("error").getString("code")).isEqualTo("FORBIDDEN");
    assertThat(refused.body().getJsonObject("error").getString("message")).contains("jwt:alice").contains("'submit'");
    assertThat(call(jwt, "GET", "/api/v1/tasks/" + id, null).status()).as("nothing was submitted").isEqualTo(404);
    assertThat(call(jwt, "PUT", "/api/v1/log-level", "{\"level\":\"info\"}").status()).isEqualTo(403);
  }

  @Test
  @DisplayName("scope \"read submit\": submits a task and reads its record")
  void readSubmitScope() {
    String jwt = token("read submit");
    TestNode.Response submitted = call(jwt, "POST", "/api/v1/tasks?wait=10000", echo("jwt-submit-" + UUID.randomUUID()));
    assertThat(submitted.status()).as(submitted.body().encode()).isIn(200, 202);
    String id = submitted.body().getString("id");
    assertThat(call(jwt, "GET", "/api/v1/tasks/" + id, null).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("the scopes may be a JSON array, or sit in scp; a token with none of read/submit/admin gets 403 everywhere")
  void scopeClaimShapes() {
    String array = idp.sign(new JsonObject().put("sub", "bob").put("scope", new JsonArray().add("openid").add("read")),
      ISSUER, AUDIENCE, 300);
    assertThat(call(array, "GET", "/api/v1/nodes", null).status()).isEqualTo(200);
    String scp = idp.sign(new JsonObject().put("scp", "read"), ISSUER, AUDIENCE, 300);
    assertThat(call(scp, "GET", "/api/v1/nodes", null).status()).isEqualTo(200);
    String none = idp.sign(new JsonObject().put("sub", "carol").put("scope", "openid profile"), ISSUER, AUDIENCE, 300);
    assertThat(call(none, "GET", "/api/v1/nodes", null).status()).isEqualTo(403);
    assertThat(call(none, "POST", "/api/v1/tasks", echo("jwt-none-" + UUID.randomUUID())).status()).isEqualTo(403);
    assertThat(call(none, "PUT", "/api/v1/log-level", "{\"level\":\"info\"}").status()).isEqualTo(403);
  }

  @Test
  @DisplayName("expired, wrong issuer, wrong audience, wrong key, unsigned: 401, each saying why")
  void refused() {
    long now = System.currentTimeMillis() / 1000;
    String expired = idp.sign(new JsonObject().put("scope", "read").put("iat", now - 7200).put("exp", now - 3600),
      ISSUER, AUDIENCE, 0);
    assertUnauthorized(call(expired, "GET", "/api/v1/nodes", null), expired, "expired");
    String otherIssuer = idp.sign(new JsonObject().put("scope", "read"), "https://elsewhere.test/", AUDIENCE, 300);
    assertUnauthorized(call(otherIssuer, "GET", "/api/v1/nodes", null), otherIssuer, "issuer");
    String otherAudience = idp.sign(new JsonObject().put("scope", "read"), ISSUER, "another-service", 300);
    assertUnauthorized(call(otherAudience, "GET", "/api/v1/nodes", null), otherAudience, "audience");
    String noAudience = idp.sign(new JsonObject().put("scope", "read"), ISSUER, null, 300);
    assertUnauthorized(call(noAudience, "GET", "/api/v1/nodes", null), noAudience, "audience");
    TestIssuer stranger = TestIssuer.rsa(clients);
    String otherKey = stranger.sign(new JsonObject().put("scope", "read submit admin"), ISSUER, AUDIENCE, 300);
    assertUnauthorized(call(otherKey, "GET", "/api/v1/nodes", null), otherKey, "signature");
    String wrongSecret = TestIssuer.hmac(clients, "another-secret-of-at-least-32-bytes-000")
      .sign(new JsonObject().put("scope", "read"), ISSUER, AUDIENCE, 300);
    assertUnauthorized(call(wrongSecret, "GET", "/api/v1/nodes", null), wrongSecret, "signature");
    // the RS256 public key is public: using it as an HS256 secret must not make a valid token
    String confused = TestIssuer.hmac(clients, idp.publicPem()).sign(new JsonObject().put("scope", "read"), ISSUER, AUDIENCE, 300);
    assertUnauthorized(call(confused, "GET", "/api/v1/nodes", null), confused, "signature");
    String unsigned = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(new JsonObject().put("scope", "read")
      .put("iss", ISSUER).put("aud", AUDIENCE).encode()) + ".c2ln";
    assertUnauthorized(call(unsigned, "GET", "/api/v1/nodes", null), unsigned, "JWT");
    TestNode.Response garbage = call("not-a-jwt-nor-a-token", "GET", "/api/v1/nodes", null);
    assertThat(garbage.status()).isEqualTo(401);
    assertThat(garbage.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
  }

  @Test
  @DisplayName("HS256 tokens signed with http.jwt.hmacSecret work too")
  void hmacSecret() {
    String jwt = hmac.sign(new JsonObject().put("sub", "ci").put("scope", "read submit"), ISSUER, AUDIENCE, 300);
    TestNode.Response submitted = call(jwt, "POST", "/api/v1/tasks", echo("jwt-hs-" + UUID.randomUUID()));
    assertThat(submitted.status()).as(submitted.body().encode()).isEqualTo(202);
    assertThat(call(jwt, "GET", "/api/v1/tasks/" + submitted.body().getString("id"), null).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a static API token keeps working beside JWTs, and ?access_token= stays refused on plain /api/ routes")
  void staticTokenAlongside() {
    assertThat(call(STATIC, "GET", "/api/v1/nodes", null).status()).isEqualTo(200);
    assertThat(call(STATIC, "POST", "/api/v1/tasks", echo("jwt-static-" + UUID.randomUUID())).status()).isEqualTo(202);
    assertThat(node.get("/api/v1/nodes?access_token=" + token("read")).status()).isEqualTo(401);
  }

  @Test
  @DisplayName("WebSocket with ?access_token=JWT: subscribe is let in and events arrive; submit needs the scope")
  void webSocket() throws Exception {
    WebSocketConnectOptions options = node.webSocket("?access_token=" + token("read"));
    WsClient ws = WsClient.connect(clients, options).await(10, TimeUnit.SECONDS);
    try {
      JsonObject subscribed = ws.request(frame(Op.SUBSCRIBE, "s1").put("events", new JsonArray().add("task:*")), Op.SUBSCRIBED)
        .await(10, TimeUnit.SECONDS);
      assertThat(subscribed.getString("op")).isEqualTo("subscribed");
      String id = "jwt-ws-" + UUID.randomUUID();
      assertThat(call(STATIC, "POST", "/api/v1/tasks", echo(id)).status()).isEqualTo(202);
      JsonObject event = ws.await(f -> "event".equals(f.getString("op"))
        && id.equals(f.getJsonObject("event").getString("taskId"))).await(10, TimeUnit.SECONDS);
      assertThat(event.getJsonObject("event").getString("event")).startsWith("task:");
      JsonObject submit = ws.request(frame(Op.SUBMIT, "s2").put("task", new JsonObject(echo("jwt-ws2-" + UUID.randomUUID()))),
        Op.ACCEPTED).await(10, TimeUnit.SECONDS);
      assertThat(errorCode(submit)).isEqualTo("FORBIDDEN");
    } finally {
      ws.close();
    }
    String stranger = TestIssuer.rsa(clients).sign(new JsonObject().put("scope", "read"), ISSUER, AUDIENCE, 300);
    assertThatThrownBy(() -> WsClient.connect(clients, node.webSocket("?access_token=" + stranger)).await(10, TimeUnit.SECONDS))
      .as("a JWT of an unknown key does not open the socket")
      .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(401));
  }

  @Test
  @DisplayName("SockJS bridge with ?access_token=JWT: registering on the events works and they arrive")
  void bridge() throws Exception {
    try (BridgeSocket socket = BridgeSocket.open(node.url, "?access_token=" + token("read submit"), 250)) {
      socket.register(Addresses.EVENTS);
      socket.request(Addresses.GATEWAY_SUBMIT, new JsonObject(echo("jwt-bridge-" + UUID.randomUUID())), "r1");
      JsonObject reply = socket.next(f -> "r1".equals(f.getString("address")), Duration.ofSeconds(10));
      assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("rec");
      JsonObject event = socket.next(f -> Addresses.EVENTS.equals(f.getString("address")), Duration.ofSeconds(10));
      assertThat(event.getJsonObject("body").getString("event")).isNotBlank();
    }
  }

  @Test
  @DisplayName("failed JWTs count as failed authentications: the address is slowed down like for wrong API tokens")
  void failedJwtsSlowDown() throws Exception {
    try (TestNode strict = new TestNode(new JsonObject().put("http", new JsonObject()
      .put("authFailures", new JsonObject().put("max", 2).put("windowMs", 60_000).put("delayMs", 5_000))
      .put("jwt", new JsonObject().put("publicKeys", new JsonArray().add(idp.publicPem())).put("audience", AUDIENCE))))) {
      String stranger = TestIssuer.rsa(clients).sign(new JsonObject().put("scope", "read"), null, AUDIENCE, 300);
      for (int i = 0; i < 2; i++) {
        assertThat(get(strict, stranger).status()).isEqualTo(401);
      }
      TestNode.Response slowed = get(strict, idp.sign(new JsonObject().put("scope", "read"), null, AUDIENCE, 300));
      assertThat(slowed.status()).as("even a valid JWT waits its turn").isEqualTo(429);
      await().atMost(Duration.ofSeconds(10)).until(() -> !AbuseControlsTest.alerts(strict, "auth_failures").isEmpty());
    }
  }

  private static TestNode.Response get(TestNode target, String token) {
    return target.send(HttpRequest.newBuilder(URI.create(target.url + "/api/v1/nodes")).header("Authorization", "Bearer " + token).GET());
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
