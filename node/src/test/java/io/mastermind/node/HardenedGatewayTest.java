package io.mastermind.node;

import io.mastermind.testsupport.TestHttp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.mastermind.node.TestNode.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cases of issue 8's hardened gateway, one by one, against a real node: each is a JSON 4xx naming
 * what is wrong, and changes nothing.
 */
@DisplayName("The hardened gateway answers bad input with a JSON 4xx and changes nothing")
@Timeout(60)
class HardenedGatewayTest {

  static final long MAX_TIMEOUT_MS = 5_000;
  static TestNode node;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    node = new TestNode(new JsonObject()
      .put("http", new JsonObject().put("port", 0).put("limits", new JsonObject().put("maxJsonDepth", 8).put("maxStringLength", 1024)))
      .put("scheduler", new JsonObject().put("maxTimeoutMs", MAX_TIMEOUT_MS)));
    port = URI.create(node.url).getPort();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static int taskCount() {
    return node.get("/api/v1/tasks?limit=1000").body().getInteger("count");
  }

  private static JsonObject error(WireHttp.Answer answer) {
    JsonObject json = answer.json();
    assertThat(json).as(answer.status() + " " + answer.text()).isNotNull();
    return json.getJsonObject("error");
  }

  private static JsonObject error(TestNode.Response response, int status, String code) {
    assertThat(response.status()).as(response.body().encode()).isEqualTo(status);
    JsonObject error = response.body().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
    return error;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/api/v1/tasks/a%u0041b", "/api/v1/tasks/%ZZ", "/api/v1/tasks/%", "/eventbus/%G0", "/health%"})
  @DisplayName("a bad percent-escape in the path is 400 BAD_REQUEST in the JSON error shape, not plain text")
  void badEscape(String path) throws Exception {
    WireHttp.Answer answer = WireHttp.send(port, WireHttp.request("GET", path, null, null), 5_000);
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.header("content-type")).isEqualTo("application/json");
    assertThat(error(answer).getString("code")).isEqualTo("BAD_REQUEST");
  }

  @Test
  @DisplayName("GET /api/v1/tasks with a multipart body is answered as a GET (it was a 500); HEAD with invalid UTF-8 escapes and a body is a 4xx")
  void bodiesOnMethodsWithout() throws Exception {
    byte[] multipart = "--xx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--xx--\r\n".getBytes(StandardCharsets.UTF_8);
    WireHttp.Answer get = WireHttp.send(port, WireHttp.request("GET", "/api/v1/tasks", "multipart/form-data; boundary=xx", multipart), 5_000);
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.json().getJsonArray("tasks")).isNotNull();
    WireHttp.Answer head = WireHttp.send(port, WireHttp.request("HEAD", "/api/v1/tasks/x%C0%AF%FFy", "application/json",
      "{\"a\":1}".getBytes(StandardCharsets.UTF_8)), 5_000);
    assertThat(head.status()).isBetween(400, 499);
  }

  @Test
  @DisplayName("a request Netty cannot parse gets the JSON error shape too, and the connection is closed")
  void invalidRequest() throws Exception {
    WireHttp.Answer answer = WireHttp.send(port, "GARBAGE\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 5_000);
    assertThat(answer.status()).isEqualTo(400);
    assertThat(error(answer).getString("code")).isEqualTo("BAD_REQUEST");
    WireHttp.Answer tooLong = WireHttp.send(port, ("GET /" + "a".repeat(6000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
      .getBytes(StandardCharsets.ISO_8859_1), 5_000);
    assertThat(tooLong.status()).isEqualTo(414);
    assertThat(error(tooLong).getString("code")).isEqualTo("BAD_REQUEST");
  }

  @ParameterizedTest(name = "Content-Type: {0}")
  @ValueSource(strings = {"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp"})
  @DisplayName("a POST under /api/ that is not application/json is 415 UNSUPPORTED_MEDIA_TYPE and queues nothing (a cross-site form cannot submit)")
  void jsonRequired(String contentType) {
    int before = taskCount();
    HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(node.url + "/api/v1/tasks"))
      .POST(HttpRequest.BodyPublishers.ofString(task("compute", "echo", new JsonObject()).encode()));
    if (!contentType.isEmpty()) {
      post.header("Content-Type", contentType);
    }
    error(node.send(post), 415, "UNSUPPORTED_MEDIA_TYPE");
    assertThat(taskCount()).isEqualTo(before);
    HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(node.url + "/api/v1/log-level"))
      .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("{\"level\":\"debug\"}"));
    error(node.send(put), 415, "UNSUPPORTED_MEDIA_TYPE");
    assertThat(node.post("/api/v1/tasks?wait=5000", task("compute", "echo", new JsonObject()).encode()).status())
      .as("application/json still works").isEqualTo(200);
  }

  @Test
  @DisplayName("JSON deeper than http.limits.maxJsonDepth, strings past maxStringLength, 1e400 and integers past a long are 400")
  void jsonBounds() {
    int before = taskCount();
    String deep = "[".repeat(9) + "]".repeat(9);
    JsonObject tooDeep = error(node.post("/api/v1/tasks", "{\"type\":\"compute\",\"payload\":{\"function\":\"echo\",\"data\":"
      + deep + "}}"), 400, "INVALID_JSON");
    assertThat(tooDeep.getString("message")).contains("http.limits.maxJsonDepth");
    JsonObject longString = error(node.post("/api/v1/tasks", task("compute", "echo",
      new JsonObject().put("text", "x".repeat(1025))).encode()), 400, "INVALID_FIELD");
    assertThat(longString.getString("field")).isEqualTo("payload.data.text");
    JsonObject infinite = error(node.post("/api/v1/tasks",
      "{\"type\":\"compute\",\"payload\":{\"function\":\"echo\",\"data\":{\"x\":1e400}}}"), 400, "INVALID_FIELD");
    assertThat(infinite.getString("field")).isEqualTo("payload.data.x");
    JsonObject huge = error(node.post("/api/v1/tasks",
      "{\"type\":\"compute\",\"payload\":{\"function\":\"echo\",\"data\":[1, 123456789012345678901234567890]}}"), 400, "INVALID_FIELD");
    assertThat(huge.getString("field")).isEqualTo("payload.data[1]");
    error(node.post("/api/v1/tasks", "{\"type\":"), 400, "INVALID_JSON");
    assertThat(taskCount()).isEqualTo(before);
    String withinBounds = task("compute", "echo", new JsonObject().put("text", "é".repeat(1024))
      .put("deep", new JsonArray("[[[[[1]]]]]"))).encode();
    assertThat(node.post("/api/v1/tasks", withinBounds).status()).as("at the bounds is fine").isEqualTo(202);
  }

  @Test
  @DisplayName("a body that is not valid UTF-8 is 400 INVALID_JSON, not accepted with replacement characters")
  void invalidUtf8Body() throws Exception {
    int before = taskCount();
    byte[] prefix = "{\"type\":\"compute\",\"payload\":{\"function\":\"echo\",\"data\":\"a".getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[prefix.length + 4];
    System.arraycopy(prefix, 0, body, 0, prefix.length);
    body[prefix.length] = (byte) 0xC3;
    body[prefix.length + 1] = 0x28;
    body[prefix.length + 2] = '"';
    body[prefix.length + 3] = '}';
    byte[] closed = new byte[body.length + 1];
    System.arraycopy(body, 0, closed, 0, body.length);
    closed[body.length] = '}';
    WireHttp.Answer answer = WireHttp.send(port, WireHttp.request("POST", "/api/v1/tasks", "application/json", closed), 5_000);
    assertThat(answer.status()).isEqualTo(400);
    assertThat(error(answer).getString("code")).isEqualTo("INVALID_JSON");
    assertThat(error(answer).getString("message")).contains("UTF-8");
    assertThat(taskCount()).isEqualTo(before);
  }

  @Test
  @DisplayName("requirements.cpu below 0.01 (1e-9 used to bypass the ledger) is 400 naming the field")
  void minimumCpu() {
    int before = taskCount();
    JsonObject tiny = task("compute", "echo", new JsonObject()).put("requirements", new JsonObject().put("cpu", 1e-9));
    assertThat(error(node.post("/api/v1/tasks", tiny.encode()), 400, "INVALID_FIELD").getString("field")).isEqualTo("requirements.cpu");
    assertThat(taskCount()).isEqualTo(before);
  }

  @Test
  @DisplayName("ids, function names and node ids past their bounds are 400 naming the field")
  void idBounds() {
    assertThat(error(node.get("/api/v1/tasks/" + "t".repeat(129)), 400, "INVALID_FIELD").getString("field")).isEqualTo("id");
    assertThat(error(node.delete("/api/v1/tasks/" + "t".repeat(129)), 400, "INVALID_FIELD").getString("field")).isEqualTo("id");
    assertThat(error(node.get("/api/v1/nodes/" + "n".repeat(65)), 400, "INVALID_FIELD").getString("field")).isEqualTo("id");
    assertThat(error(node.post("/api/v1/tasks", task("compute", "f".repeat(129), new JsonObject()).encode()), 400, "INVALID_FIELD")
      .getString("field")).isEqualTo("payload.function");
  }

  @Test
  @DisplayName("POST /api/v1/nodes with more cores than this host has, or a bad id or capability, is 400 and adds no node")
  void nodeBounds() {
    int nodes = node.get("/api/v1/nodes").body().getJsonArray("nodes").size();
    int cores = Runtime.getRuntime().availableProcessors() + 1;
    JsonObject tooMany = new JsonObject().put("id", "too-many-cores").put("resources", new JsonObject().put("cpu", cores).put("memory", 64));
    assertThat(error(node.post("/api/v1/nodes", tooMany.encode()), 400, "INVALID_FIELD").getString("field")).isEqualTo("resources.cpu");
    JsonObject badId = tooMany.copy().put("id", "a b").put("resources", new JsonObject().put("cpu", 1).put("memory", 64));
    assertThat(error(node.post("/api/v1/nodes", badId.encode()), 400, "INVALID_FIELD").getString("field")).isEqualTo("id");
    JsonObject badCapability = badId.copy().put("id", "ok-id").put("capabilities", new JsonArray().add("c".repeat(65)));
    assertThat(error(node.post("/api/v1/nodes", badCapability.encode()), 400, "INVALID_FIELD").getString("field"))
      .isEqualTo("capabilities[0]");
    assertThat(node.get("/api/v1/nodes").body().getJsonArray("nodes")).hasSize(nodes);
  }

  @Test
  @DisplayName("scheduler.maxTimeoutMs: a task without a timeout gets it; a longer timeout is 400 naming the key, and nothing is created")
  void maxTimeout() {
    JsonObject record = node.run(task("compute", "echo", new JsonObject()).put("id", "max-timeout-default"));
    assertThat(record.getLong("timeout")).isEqualTo(MAX_TIMEOUT_MS);
    int before = taskCount();
    JsonObject tooLong = task("compute", "echo", new JsonObject()).put("id", "max-timeout-over").put("timeout", MAX_TIMEOUT_MS + 1);
    JsonObject error = error(node.post("/api/v1/tasks", tooLong.encode()), 400, "INVALID_FIELD");
    assertThat(error.getString("message")).contains("timeout", "scheduler.maxTimeoutMs");
    assertThat(node.get("/api/v1/tasks/max-timeout-over").status()).isEqualTo(404);
    assertThat(taskCount()).isEqualTo(before);
  }

  @Test
  @DisplayName("a WebSocket ref longer than http.websocket.maxRefLength gets an error frame naming ref; the socket stays open")
  void longRef() throws Exception {
    URI uri = URI.create(node.url.replaceFirst("^http", "ws") + "/api/v1/ws");
    try (FuzzSocket socket = FuzzSocket.open(TestHttp.builder().build(), uri)) {
      socket.text("{\"op\":\"ping\",\"ref\":\"" + "r".repeat(129) + "\"}");
      JsonObject error = new JsonObject(socket.await(m -> m.contains("\"error\""), Duration.ofSeconds(10)));
      assertThat(error.getValue("ref")).as("the long ref is not echoed").isNull();
      assertThat(error.getJsonObject("error").getString("field")).isEqualTo("ref");
      assertThat(error.getJsonObject("error").getString("message")).contains("http.websocket.maxRefLength");
      socket.text("{\"op\":\"ping\",\"ref\":\"" + "r".repeat(128) + "\"}");
      assertThat(socket.await(m -> m.contains("\"pong\""), Duration.ofSeconds(10))).isNotNull();
    }
  }
}
