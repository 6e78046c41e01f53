package io.mastermind.node;

import io.mastermind.gateway.WebSocketOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import static io.mastermind.node.TestNode.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Safe defaults with tokens off: loopback only; Origin (CSRF, WebSocket hijacking) and Host (DNS rebinding) checks")
@Timeout(60)
class OriginHostTest {

  static final String EVIL = "https://evil.example";

  static TestNode open;
  static TestNode listed;
  static TestNode tokens;

  @BeforeAll
  static void start() throws Exception {
    open = new TestNode();
    listed = new TestNode(new JsonObject().put("http", new JsonObject()
      .put("allowedOrigins", new JsonArray().add("https://dashboard.example.com"))
      .put("allowedHosts", new JsonArray().add("127.0.0.1").add("mastermind.internal"))));
    tokens = new TestNode(new JsonObject().put("apiTokens", new JsonArray().add("origin-test-token-0123")));
  }

  @AfterAll
  static void stop() throws Exception {
    open.close();
    listed.close();
    tokens.close();
  }

  static String echo(String id) {
    return task("compute", "echo", new JsonObject()).put("id", id).encode();
  }

  static void assertForbidden(RawHttp.Response response, String mentions) {
    assertThat(response.status()).as(response.headers() + response.body()).isEqualTo(403);
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("FORBIDDEN");
    assertThat(error.getString("message")).contains(mentions);
    assertThat(response.headers().toLowerCase()).contains("content-type: application/json");
  }

  @Test
  @DisplayName("a cross-site POST (a form or fetch from another site) is 403 and creates nothing")
  void crossSitePost() throws Exception {
    String id = "csrf-" + UUID.randomUUID();
    assertForbidden(RawHttp.send(open.url, "POST", "/api/v1/tasks",
      Map.of("Origin", EVIL, "Content-Type", "text/plain"), echo(id)), "Origin '" + EVIL + "'");
    assertForbidden(RawHttp.send(open.url, "PUT", "/api/v1/log-level",
      Map.of("Origin", "null", "Content-Type", "application/json"), "{\"level\":\"off\"}"), "http.allowedOrigins");
    assertThat(open.get("/api/v1/tasks/" + id).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("the dashboard's own origin, a page on loopback and a client without Origin are let in")
  void allowedOrigins() throws Exception {
    RawHttp.Response sameOrigin = RawHttp.send(open.url, "POST", "/api/v1/tasks",
      Map.of("Origin", open.url, "Content-Type", "application/json"), echo("same-" + UUID.randomUUID()));
    assertThat(sameOrigin.status()).as(sameOrigin.body()).isEqualTo(202);
    RawHttp.Response localPage = RawHttp.send(open.url, "GET", "/api/v1/nodes", Map.of("Origin", "http://localhost:3000"), null);
    assertThat(localPage.status()).isEqualTo(200);
    assertThat(RawHttp.send(open.url, "GET", "/api/v1/nodes", Map.of(), null).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("DNS rebinding: a request whose Host is another name is 403, on the API, the bridge and the dashboard")
  void rebinding() throws Exception {
    int port = URI.create(open.url).getPort();
    Map<String, String> rebound = Map.of("Host", "evil.example:" + port);
    assertForbidden(RawHttp.send(open.url, "GET", "/api/v1/tasks", rebound, null), "Host 'evil.example'");
    assertForbidden(RawHttp.send(open.url, "GET", "/eventbus/info", rebound, null), "http.allowedHosts");
    assertForbidden(RawHttp.send(open.url, "GET", "/", rebound, null), "Host");
    assertThat(RawHttp.send(open.url, "GET", "/api/v1/nodes", Map.of("Host", "localhost:" + port), null).status())
      .isEqualTo(200);
  }

  @Test
  @DisplayName("cross-site WebSocket hijacking: a handshake from another site is 403 on /api/v1/ws and the bridge's WebSocket")
  void webSocketOrigin() throws Exception {
    assertForbidden(RawHttp.upgrade(open.url, WebSocketOptions.DEFAULT_PATH, Map.of("Origin", EVIL)), "Origin");
    assertForbidden(RawHttp.upgrade(open.url, "/eventbus/websocket", Map.of("Origin", EVIL)), "Origin");
    assertThat(RawHttp.upgrade(open.url, WebSocketOptions.DEFAULT_PATH, Map.of("Origin", open.url)).status()).isEqualTo(101);
    assertThat(RawHttp.upgrade(open.url, "/eventbus/websocket", Map.of()).status()).isEqualTo(101);
  }

  @Test
  @DisplayName("SockJS's xhr transports and info refuse another site's pages too (they would echo CORS headers to it)")
  void sockJsOrigin() throws Exception {
    assertForbidden(RawHttp.send(open.url, "GET", "/eventbus/info", Map.of("Origin", EVIL), null), "Origin");
    assertForbidden(RawHttp.send(open.url, "POST", "/eventbus/000/s1/xhr", Map.of("Origin", EVIL), ""), "Origin");
  }

  @Test
  @DisplayName("http.allowedOrigins and http.allowedHosts replace the defaults")
  void configuredLists() throws Exception {
    int port = URI.create(listed.url).getPort();
    assertThat(RawHttp.send(listed.url, "GET", "/api/v1/nodes", Map.of("Origin", "https://dashboard.example.com"), null).status())
      .isEqualTo(200);
    assertForbidden(RawHttp.send(listed.url, "GET", "/api/v1/nodes", Map.of("Origin", "http://localhost:3000"), null), "Origin");
    assertThat(RawHttp.send(listed.url, "GET", "/api/v1/nodes", Map.of("Host", "mastermind.internal:" + port), null).status())
      .isEqualTo(200);
    assertForbidden(RawHttp.send(listed.url, "GET", "/api/v1/nodes", Map.of("Host", "localhost:" + port), null), "Host");
  }

  @Test
  @DisplayName("with tokens, a rebinding page learns nothing without the token, so any Host is served; Origin is still checked")
  void withTokens() throws Exception {
    int port = URI.create(tokens.url).getPort();
    Map<String, String> auth = Map.of("Authorization", "Bearer origin-test-token-0123", "Host", "gateway.example.com:" + port);
    assertThat(RawHttp.send(tokens.url, "GET", "/api/v1/nodes", auth, null).status()).isEqualTo(200);
    assertForbidden(RawHttp.send(tokens.url, "GET", "/api/v1/nodes",
      Map.of("Authorization", "Bearer origin-test-token-0123", "Origin", EVIL), null), "Origin");
  }

  @Test
  @DisplayName("without tokens a node refuses to listen beyond loopback unless http.allowUnauthenticated is set")
  void loopbackOnly() {
    assertThatThrownBy(() -> NodeSettings.of(null, new JsonObject().put("http", new JsonObject().put("host", "0.0.0.0"))))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http.host is 0.0.0.0")
      .hasMessageContaining("http.allowUnauthenticated");
    assertThat(NodeSettings.of(null, new JsonObject().put("http", new JsonObject().put("host", "0.0.0.0")
      .put("allowUnauthenticated", true))).gatewayOptions().getHost()).isEqualTo("0.0.0.0");
    assertThat(NodeSettings.of(null, new JsonObject().put("http", new JsonObject().put("host", "0.0.0.0"))
      .put("apiTokens", new JsonArray().add("a-token-for-0.0.0.0"))).gatewayOptions().getApiTokens()).hasSize(1);
    assertThat(NodeSettings.of(null, new JsonObject().put("http", new JsonObject().put("host", "0.0.0.0"))
      .put("roles", new JsonArray().add("worker"))).roles()).as("a worker sharing the gateway's config file").containsExactly("worker");
  }
}
