package io.mastermind.node;

import io.mastermind.testsupport.TestHttp;
import io.mastermind.gateway.WebSocketOptions;
import io.mastermind.protocol.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real node for a test: its own Vert.x, every role, HTTP on a free loopback port, plus a real HTTP
 * client and a recorder of the live events it publishes.
 */
final class TestNode implements AutoCloseable {

  record Response(int status, JsonObject body, java.net.http.HttpHeaders headers) {
  }

  final Vertx vertx = Vertx.vertx();
  final MastermindNode node;
  final String url;
  final List<JsonObject> events = new CopyOnWriteArrayList<>();
  private final HttpClient http = TestHttp.builder().connectTimeout(Duration.ofSeconds(5)).build();

  /** @param overrides merged over the defaults (e.g. worker cpu, scheduler settings) */
  TestNode(JsonObject overrides) throws Exception {
    JsonObject settings = new JsonObject()
      .put("nodeId", "test-node")
      .put("http", new JsonObject().put("port", 0))
      .put("worker", new JsonObject().put("cpu", 4).put("memory", 4096))
      .put("scheduler", new JsonObject().put("retryBaseMs", 20).put("retryMaxMs", 100))
      .mergeIn(overrides, true);
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body())).completion()
      .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    node = MastermindNode.start(vertx, NodeSettings.of(null, settings))
      .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    url = node.httpUrl();
  }

  TestNode() throws Exception {
    this(new JsonObject());
  }

  /** A JSON POST (with {@code Content-Type: application/json}, which the API requires). */
  Response post(String path, String body) {
    return send(HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Response put(String path, String body) {
    return send(HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", "application/json")
      .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  Response get(String path) {
    return send(HttpRequest.newBuilder(URI.create(url + path)).GET());
  }

  Response delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(url + path)).DELETE());
  }

  Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      JsonObject body = text == null || text.isBlank() || !text.trim().startsWith("{") ? new JsonObject().put("text", text)
        : new JsonObject(text);
      return new Response(response.statusCode(), body, response.headers());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Where to open the WebSocket endpoint; {@code query} is appended to its path (e.g. {@code "?access_token=t"}). */
  WebSocketConnectOptions webSocket(String query) {
    URI uri = URI.create(url);
    return new WebSocketConnectOptions().setHost(uri.getHost()).setPort(uri.getPort())
      .setURI(WebSocketOptions.DEFAULT_PATH + query);
  }

  /** Submits and waits up to 20 s for the end. */
  JsonObject run(JsonObject task) {
    Response response = post("/api/v1/tasks?wait=20000", task.encode());
    if (response.status() != 200) {
      throw new AssertionError("expected the task to end, got " + response.status() + " " + response.body());
    }
    return response.body();
  }

  /** The ids of tasks in the order an event was seen for them. */
  List<String> taskIdsOf(String eventName) {
    return events.stream().filter(e -> eventName.equals(e.getString("event"))).map(e -> e.getString("taskId")).toList();
  }

  JsonObject workerNode() {
    return get("/api/v1/nodes/test-node").body();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static JsonObject task(String type, String function, JsonObject data) {
    return new JsonObject().put("type", type).put("payload", new JsonObject().put("function", function).put("data", data));
  }
}
