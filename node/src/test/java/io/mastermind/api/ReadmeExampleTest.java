package io.mastermind.api;

import io.mastermind.node.EmbeddedSystems;
import io.mastermind.testsupport.GatewayNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The docs' "Java API" example (docs/java-client.md), compiled and run: the seed's "Basic Task
 * Distribution" and "Node Management" examples in Java; and the README's front-page client snippet.
 * The lines between the markers are the documents', word for word.
 */
@DisplayName("The README's and docs/java-client.md's Java examples run as written")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadmeExampleTest {

  static void example() {
    // README:begin
    // Basic Task Distribution
    DistributedSystem system = EmbeddedSystems.embedded(new JsonObject()
        .put("nodeId", "node-001")
        .put("http", new JsonObject().put("port", 0))              // the embedded gateway on any free port
        .put("nodes", new JsonObject().put("min", 1).put("max", 10).put("autoScale", false))
        .put("healthCheck", new JsonObject().put("interval", 1000).put("timeout", 3000).put("retries", 3)));

    system.on("node:health", health -> System.out.println("Node health: " + health.getString("nodeId")
        + " " + health.getJsonObject("data").getString("state")));
    system.on("*", event -> System.out.println("Event: " + event.getString("event")));

    system.initialize().await();

    JsonObject result = system.executeTask(new JsonObject()
        .put("type", "compute")
        .put("payload", new JsonObject()
            .put("function", "primes")
            .put("data", new JsonObject().put("upTo", 1_000_000)))
        .put("requirements", new JsonObject().put("cpu", 1).put("memory", 512))
        .put("priority", "high")).await();
    System.out.println("Task completed: " + result.getString("status") + " " + result.getJsonObject("result"));

    // Node Management
    JsonObject node = system.addNode(new JsonObject()
        .put("id", "node-003")
        .put("capabilities", new JsonArray().add("compute").add("ml_training"))
        .put("resources", new JsonObject()
            .put("cpu", new JsonObject().put("cores", 8).put("speed", 3.2))
            .put("memory", new JsonObject().put("total", 16384).put("available", 16384))
            .put("gpu", true))).await();
    System.out.println("Added " + node.getString("id") + ": " + node.getString("state"));

    system.removeNode("node-003").await();
    System.out.println("Removed node-003");

    system.close().await();
    // README:end
  }

  /** The README's "Use it from Java": a remote client on the application's Vert.x. */
  static void frontPage(Vertx vertx, String url, String token) {
    // FRONT:begin
    DistributedSystem system = DistributedSystem.remote(vertx, url, token, new DistributedSystemOptions()); // url: a gateway
    system.initialize()
      .compose(v -> system.submit(new JsonObject().put("type", "compute")
        .put("payload", new JsonObject().put("function", "primes").put("data", new JsonObject().put("upTo", 1000)))))
      .compose(TaskHandle::result)
      .onSuccess(record -> System.out.println(record.getString("status") + " " + record.getJsonObject("result")));
    // FRONT:end
  }

  @Test
  @DisplayName("the README's client snippet submits through a real gateway with a token and prints the result")
  void frontPageRuns() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (GatewayNode gateway = new GatewayNode(new JsonObject().put("nodeId", "front-page")
      .put("apiTokens", new JsonArray().add("front-page-t0ken-0123456789")))) {
      Vertx vertx = Vertx.vertx();
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        frontPage(vertx, gateway.url, "front-page-t0ken-0123456789");
        await().atMost(Duration.ofSeconds(20)).until(() -> captured.toString(StandardCharsets.UTF_8).contains("succeeded"));
      } finally {
        System.setOut(original);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("succeeded {\"count\":168}");
  }

  @Test
  @DisplayName("it prints the task's result, the events, and adds then removes a node")
  void runs() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      example();
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    original.print(out);
    assertThat(out).contains("Task completed: succeeded {\"count\":78498}", "Added node-003: healthy", "Removed node-003",
      "Event: node:join", "Event: task:submitted");
  }

  @Test
  @DisplayName("docs/java-client.md and the README show exactly this code")
  void documentsShowIt() throws Exception {
    List<String> source = trimmedLines(Files.readString(Path.of("src/test/java/io/mastermind/api/ReadmeExampleTest.java")));
    List<String> example = source.subList(source.indexOf("// README:begin") + 1, source.indexOf("// README:end"));
    List<String> javaClient = trimmedLines(Files.readString(Path.of("../docs/java-client.md")));
    assertThat(example).hasSizeGreaterThan(20);
    assertThat(Collections.indexOfSubList(javaClient, example)).as("docs/java-client.md shows the code of ReadmeExampleTest.example()")
      .isNotNegative();
    List<String> front = source.subList(source.indexOf("// FRONT:begin") + 1, source.indexOf("// FRONT:end"));
    List<String> readme = trimmedLines(Files.readString(Path.of("../README.md")));
    assertThat(front).hasSizeGreaterThan(4);
    assertThat(Collections.indexOfSubList(readme, front)).as("README.md shows the code of ReadmeExampleTest.frontPage()")
      .isNotNegative();
  }

  private static List<String> trimmedLines(String text) {
    return text.lines().map(String::trim).filter(line -> !line.isEmpty()).toList();
  }
}
