package io.mastermind.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("With API tokens configured, /api/* needs a bearer token in the header; /health/live stays open")
@Timeout(60)
class AuthTokenTest {

  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = new TestNode(new JsonObject().put("apiTokens", new JsonArray().add("s3cret")));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  @DisplayName("no token or a wrong token is 401 UNAUTHORIZED")
  void refused() {
    TestNode.Response none = node.get("/api/v1/nodes");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.body().getJsonObject("error").getString("code")).isEqualTo("UNAUTHORIZED");
    TestNode.Response wrong = node.send(HttpRequest.newBuilder(URI.create(node.url + "/api/v1/nodes"))
      .header("Authorization", "Bearer nope").GET());
    assertThat(wrong.status()).isEqualTo(401);
  }

  @Test
  @DisplayName("the right token in the header is let in; /health/live needs none")
  void accepted() {
    TestNode.Response header = node.send(HttpRequest.newBuilder(URI.create(node.url + "/api/v1/nodes"))
      .header("Authorization", "Bearer s3cret").GET());
    assertThat(header.status()).isEqualTo(200);
    assertThat(node.get("/health/live").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("?access_token is ignored outside the WebSocket and the bridge: 401, so tokens stay out of proxy logs")
  void queryTokenIgnored() {
    TestNode.Response query = node.get("/api/v1/nodes?access_token=s3cret");
    assertThat(query.status()).isEqualTo(401);
    assertThat(query.body().getJsonObject("error").getString("code")).isEqualTo("UNAUTHORIZED");
  }
}
