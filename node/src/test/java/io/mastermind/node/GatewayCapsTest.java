package io.mastermind.node;

import io.mastermind.testsupport.TestHttp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static io.mastermind.node.TestNode.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The caps of {@code http.limits} and {@code http.websocket}: past each, 429 {@code LIMIT_EXCEEDED}
 * with {@code Retry-After}, nothing created, and room again once a holder lets go. Raw sockets only
 * (with {@code Connection: close}), so no pooled client connection counts against the caps.
 */
@DisplayName("Caps on connections, WebSocket sessions and ?wait waiters answer 429 LIMIT_EXCEEDED and recover")
@Timeout(60)
class GatewayCapsTest {

  static final int MAX_CONNECTIONS = 4;
  static final int MAX_SESSIONS = 2;
  static TestNode node;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    node = new TestNode(new JsonObject().put("http", new JsonObject().put("port", 0)
      .put("limits", new JsonObject().put("maxConnections", MAX_CONNECTIONS).put("maxWaiters", 1))
      .put("websocket", new JsonObject().put("maxSessions", MAX_SESSIONS))));
    port = URI.create(node.url).getPort();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static WireHttp.Answer call(String method, String target, String body) {
    try {
      return WireHttp.send(port, WireHttp.request(method, target, body == null ? null : "application/json",
        body == null ? null : body.getBytes(StandardCharsets.UTF_8)), 15_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertLimitExceeded(WireHttp.Answer answer) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(429);
    assertThat(answer.header("Retry-After")).isEqualTo("1");
    assertThat(answer.json().getJsonObject("error").getString("code")).isEqualTo("LIMIT_EXCEEDED");
  }

  /** A connection that made one keep-alive request, answered 200, and stays open; null (and closed) if refused. */
  private static Socket heldConnection() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(5_000);
    socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    InputStream in = socket.getInputStream();
    byte[] head = new byte[12];
    if (in.readNBytes(head, 0, 12) == 12 && new String(head, StandardCharsets.ISO_8859_1).equals("HTTP/1.1 200")) {
      return socket;
    }
    socket.close();
    return null;
  }

  @Test
  @DisplayName("past http.limits.maxConnections a new connection is answered 429 and closed; once one closes there is room")
  void connections() throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      // connections of earlier tests may still be closing on the server: fill the cap once they are gone
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        for (Socket socket : held) {
          socket.close();
        }
        held.clear();
        for (int i = 0; i < MAX_CONNECTIONS; i++) {
          Socket socket = heldConnection();
          if (socket == null) {
            return false;
          }
          held.add(socket);
        }
        return true;
      });
      WireHttp.Answer refused = call("GET", "/api/v1/tasks", null);
      assertLimitExceeded(refused);
      assertThat(refused.json().getJsonObject("error").getString("message")).contains("http.limits.maxConnections");
      WireHttp.Answer submit = call("POST", "/api/v1/tasks", task("compute", "echo", new JsonObject()).put("id", "over-cap").encode());
      assertLimitExceeded(submit);
      held.remove(0).close();
      await().atMost(Duration.ofSeconds(10)).until(() -> call("GET", "/health/live", null).status() == 200);
      assertThat(call("GET", "/api/v1/tasks/over-cap", null).status()).as("nothing was created").isEqualTo(404);
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  @Test
  @DisplayName("connections upgraded to WebSockets (ours and the SockJS bridge's) give their place back when they close")
  void upgradedConnectionsAreReleased() throws Exception {
    HttpClient client = TestHttp.builder().build();
    for (int i = 0; i < 3 * MAX_CONNECTIONS; i++) {
      String path = i % 2 == 0 ? "/api/v1/ws" : "/eventbus/websocket";
      URI uri = URI.create(node.url.replaceFirst("^http", "ws") + path);
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
        FuzzSocket.open(client, uri).close();
        return true;
      });
    }
    List<Socket> held = new ArrayList<>();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        for (Socket socket : held) {
          socket.close();
        }
        held.clear();
        for (int i = 0; i < MAX_CONNECTIONS; i++) {
          Socket socket = heldConnection();
          if (socket == null) {
            return false;
          }
          held.add(socket);
        }
        return true;
      });
      assertThat(held).as("every place is free again").hasSize(MAX_CONNECTIONS);
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  @Test
  @DisplayName("past http.limits.maxWaiters a ?wait submission is 429 and creates nothing; without ?wait it is accepted")
  void waiters() throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> call("GET", "/health/live", null).status() == 200);
    String sleeper = task("io_bound", "sleep", new JsonObject().put("ms", 2_000)).put("id", "waiter-1").encode();
    CompletableFuture<WireHttp.Answer> waiting = CompletableFuture.supplyAsync(() -> call("POST", "/api/v1/tasks?wait=10000", sleeper));
    // the slot is taken before the task is submitted: once the task exists, the one waiter is there
    await().atMost(Duration.ofSeconds(10)).until(() -> call("GET", "/api/v1/tasks/waiter-1", null).status() == 200);
    WireHttp.Answer refused = call("POST", "/api/v1/tasks?wait=1000",
      task("compute", "echo", new JsonObject()).put("id", "waiter-2").encode());
    assertLimitExceeded(refused);
    assertThat(refused.json().getJsonObject("error").getString("message")).contains("http.limits.maxWaiters");
    assertThat(call("GET", "/api/v1/tasks/waiter-2", null).status()).as("nothing was created").isEqualTo(404);
    WireHttp.Answer nexus = call("POST", "/api/v1/nexus/tasks", new JsonObject().put("requestId", "r-cap")
      .put("system", "distributed_computing").put("action", "execute").put("task", task("compute", "echo", new JsonObject())).encode());
    assertThat(nexus.status()).isEqualTo(429);
    assertThat(nexus.json().getString("status")).isEqualTo("error");
    assertThat(nexus.json().getString("requestId")).isEqualTo("r-cap");
    assertThat(nexus.json().getJsonObject("error").getString("code")).isEqualTo("LIMIT_EXCEEDED");
    assertThat(call("POST", "/api/v1/tasks", task("compute", "echo", new JsonObject()).put("id", "waiter-3").encode()).status())
      .as("a submission that does not wait is not capped").isEqualTo(202);

    assertThat(waiting.get().status()).isEqualTo(200);
    assertThat(call("POST", "/api/v1/tasks?wait=5000", task("compute", "echo", new JsonObject()).put("id", "waiter-4").encode())
      .status()).as("the slot was given back").isEqualTo(200);
  }

  @Test
  @DisplayName("past http.websocket.maxSessions the upgrade is answered 429; once a socket closes there is room")
  void webSocketSessions() throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> call("GET", "/health/live", null).status() == 200);
    HttpClient client = TestHttp.builder().build();
    URI uri = URI.create(node.url.replaceFirst("^http", "ws") + "/api/v1/ws");
    List<FuzzSocket> open = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_SESSIONS; i++) {
        open.add(FuzzSocket.open(client, uri));
      }
      Throwable refused = catchThrowable(() -> FuzzSocket.open(client, uri));
      assertThat(refused).isInstanceOf(ExecutionException.class).cause().isInstanceOf(WebSocketHandshakeException.class);
      WebSocketHandshakeException handshake = (WebSocketHandshakeException) refused.getCause();
      assertThat(handshake.getResponse().statusCode()).isEqualTo(429);
      assertThat(handshake.getResponse().headers().firstValue("Retry-After")).hasValue("1");
      open.remove(0).close();
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
        open.add(FuzzSocket.open(client, uri));
        return true;
      });
      FuzzSocket socket = open.get(open.size() - 1);
      socket.text("{\"op\":\"ping\",\"ref\":\"again\"}");
      assertThat(socket.await(m -> m.contains("\"pong\""), Duration.ofSeconds(10))).isNotNull();
    } finally {
      open.forEach(FuzzSocket::close);
    }
  }
}
