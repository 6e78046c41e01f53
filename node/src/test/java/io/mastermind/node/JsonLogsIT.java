package io.mastermind.node;

import io.mastermind.testsupport.TestHttp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code logging.format: json}: the node process logs JSON lines carrying its node id and, about one task, the task id. */
@DisplayName("logging.format json: every log line of the node process is JSON with the node id, a task's line has the task id")
@Timeout(120)
class JsonLogsIT {

  private NodeProcess node;

  @AfterEach
  void kill() {
    if (node != null) {
      node.destroyIfAlive();
    }
  }

  private static HttpResponse<String> send(String method, String url, String body) throws Exception {
    return TestHttp.builder().build().send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
      .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void jsonLines(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("node.json");
    Files.writeString(conf, new JsonObject().put("logging", new JsonObject().put("format", "json")).encode());
    int port = NodeProcess.freePort();
    node = NodeProcess.start("--conf", conf.toString(), "--node-id", "json-1", "--http-port", String.valueOf(port));
    node.awaitReady();
    String base = "http://127.0.0.1:" + port;

    // a task failing by its handler is logged at debug, about that task
    HttpResponse<String> level = send("PUT", base + "/api/v1/log-level", "{\"level\":\"debug\"}");
    assertThat(level.statusCode()).as(level.body()).isEqualTo(200);
    HttpResponse<String> failed = send("POST", base + "/api/v1/tasks?wait=10000",
      "{\"type\":\"compute\",\"payload\":{\"function\":\"fail\",\"data\":{\"message\":\"boom\"}}}");
    String taskId = new JsonObject(failed.body()).getString("id");
    assertThat(taskId).as(failed.body()).isNotNull();
    await().atMost(Duration.ofSeconds(30)).until(() -> node.lines.stream().anyMatch(l -> l.contains(taskId) && l.contains("boom")));

    node.signal("TERM");
    assertThat(node.awaitExit()).as(node.output()).isZero();

    // the "Mastermind node ... ready/draining/stopped" lines are the command's own, on stdout, not log lines
    List<String> logLines = node.lines.stream().filter(l -> !l.startsWith("Mastermind node ")).toList();
    assertThat(logLines).as(node.output()).isNotEmpty();
    for (String line : logLines) {
      JsonObject json;
      try {
        json = new JsonObject(line);
      } catch (RuntimeException e) {
        throw new AssertionError("not a JSON line: " + line, e);
      }
      assertThat(json.getLong("timestamp")).as(line).isPositive();
      assertThat(json.getString("level")).as(line).isNotBlank();
      assertThat(json.getString("loggerName")).as(line).isNotBlank();
      assertThat(json.containsKey("formattedMessage")).as(line).isTrue();
      assertThat(json.getJsonObject("context").getJsonObject("properties").getString("nodeId")).as(line).isEqualTo("json-1");
    }
    assertThat(logLines).as(node.output()).anySatisfy(line -> {
      JsonObject json = new JsonObject(line);
      assertThat(json.getJsonObject("mdc", new JsonObject()).getString("taskId")).isEqualTo(taskId);
      assertThat(json.getString("formattedMessage")).contains(taskId, "boom");
    });
  }
}
