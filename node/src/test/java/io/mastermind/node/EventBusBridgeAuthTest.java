package io.mastermind.node;

import io.mastermind.protocol.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.mastermind.node.TestNode.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("With API tokens configured, /eventbus/* needs a token, in the header or as ?access_token")
@Timeout(60)
class EventBusBridgeAuthTest {

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
  @DisplayName("SockJS info and the WebSocket handshake are 401 without a token")
  void refused() {
    TestNode.Response info = node.get("/eventbus/info");
    assertThat(info.status()).isEqualTo(401);
    assertThat(info.body().getJsonObject("error").getString("code")).isEqualTo("UNAUTHORIZED");
    assertThatThrownBy(() -> BridgeSocket.connect(node.url, "?access_token=nope", 0).get(10, TimeUnit.SECONDS))
      .isInstanceOf(ExecutionException.class)
      .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
        e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
  }

  @Test
  @DisplayName("the right token lets SockJS info and a WebSocket client in; the client can submit")
  void accepted() throws Exception {
    assertThat(node.get("/eventbus/info?access_token=s3cret").status()).isEqualTo(200);
    TestNode.Response header = node.send(HttpRequest.newBuilder(URI.create(node.url + "/eventbus/info"))
      .header("Authorization", "Bearer s3cret").GET());
    assertThat(header.status()).isEqualTo(200);
    try (BridgeSocket socket = BridgeSocket.open(node.url, "?access_token=s3cret", 250)) {
      socket.request(Addresses.GATEWAY_SUBMIT, task("compute", "echo", new JsonObject().put("a", 1)), "r1");
      JsonObject reply = socket.next(f -> "r1".equals(f.getString("address")), Duration.ofSeconds(10));
      assertThat(reply.getString("type")).isEqualTo("rec");
      assertThat(reply.getJsonObject("body").getString("function")).isEqualTo("echo");
    }
  }
}
