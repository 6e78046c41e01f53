package io.mastermind.cli;

import io.mastermind.coordinator.CoordinatorClient;
import io.mastermind.node.Main;
import io.mastermind.testsupport.GatewayNode;
import io.mastermind.testsupport.WsStandIn;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DisplayName("The CLI client (submit, status, cancel, tasks, nodes, cluster, log-level, watch) against a real gateway, run in-process")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CliCommandsTest {

  static final String TOKEN = "cli-t0ken";
  static GatewayNode gateway;

  record Run(int exit, String out, String err) {
    JsonObject json() {
      return new JsonObject(out.trim());
    }
  }

  @BeforeAll
  static void start() throws Exception {
    gateway = new GatewayNode(new JsonObject().put("nodeId", "cli-node").put("apiTokens", new JsonArray().add(TOKEN)));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  /** {@code mastermind ARGS --json --url <gateway> --token <token>} in this JVM, with stdout and stderr captured. */
  static Run mastermindAt(String url, String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.add("--json");
    return run(url, all);
  }

  /** As {@link #mastermindAt} without {@code --json}: what a user sees. */
  static Run text(String... args) {
    return run(gateway.url, new ArrayList<>(Arrays.asList(args)));
  }

  private static Run run(String url, List<String> all) {
    all.addAll(List.of("--url", url));
    if (!all.contains("--token")) {
      all.addAll(List.of("--token", TOKEN));
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  static Run mastermind(String... args) {
    return mastermindAt(gateway.url, args);
  }

  static String sleepTask(long ms) {
    return new JsonObject().put("type", "io_bound").put("payload", new JsonObject().put("function", "sleep")
      .put("data", new JsonObject().put("ms", ms))).encode();
  }

  /** Every percentage the progress bar drew. */
  static List<Integer> percentages(String err) {
    Matcher m = Pattern.compile("\\] +(\\d+)% ").matcher(err);
    List<Integer> result = new ArrayList<>();
    while (m.find()) {
      result.add(Integer.parseInt(m.group(1)));
    }
    return result;
  }

  @Test
  @DisplayName("submit --task prints the accepted status record")
  void submit() {
    Run run = mastermind("submit", "--task", "{\"id\":\"cli-1\",\"type\":\"compute\",\"payload\":{\"function\":\"primes\",\"data\":{\"upTo\":100}}}");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.json().getString("id")).isEqualTo("cli-1");
    assertThat(run.json().getString("status")).isIn("queued", "scheduled", "running", "succeeded");
    assertThat(run.out()).contains("\n  \"id\" : \"cli-1\"");   // pretty-printed
  }

  @Test
  @DisplayName("submit reads the task from --file, and from stdin with '-'")
  void submitFromFileAndStdin(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("task.json");
    Files.writeString(file, "{\"id\":\"cli-file\",\"type\":\"compute\",\"payload\":{\"function\":\"echo\",\"data\":1}}");
    Run fromFile = mastermind("submit", "--file", file.toString());
    assertThat(fromFile.exit()).as(fromFile.err()).isZero();
    assertThat(fromFile.json().getString("id")).isEqualTo("cli-file");

    InputStream original = SubmitCommand.stdin;
    SubmitCommand.stdin = new ByteArrayInputStream(
      "{\"id\":\"cli-stdin\",\"type\":\"compute\",\"payload\":{\"function\":\"echo\",\"data\":2}}".getBytes(StandardCharsets.UTF_8));
    try {
      Run fromStdin = mastermind("submit", "-", "--wait");
      assertThat(fromStdin.exit()).as(fromStdin.err()).isZero();
      assertThat(fromStdin.json().getString("id")).isEqualTo("cli-stdin");
      assertThat(fromStdin.json().getInteger("result")).isEqualTo(2);
    } finally {
      SubmitCommand.stdin = original;
    }
  }

  @Test
  @DisplayName("submit --wait follows a task to its end with a progress bar that reaches 100% (poll fallback today)")
  void submitWaitWithProgressBar() {
    Run run = mastermind("submit", "--wait", "--poll-interval-ms", "50", "--task", sleepTask(1_200));
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.json().getString("status")).isEqualTo("succeeded");
    assertThat(run.json().getJsonObject("result").getInteger("sleptMs")).isEqualTo(1_200);
    List<Integer> drawn = percentages(run.err());
    assertThat(drawn).isSorted().contains(100).anyMatch(p -> p > 0 && p < 100);
    assertThat(run.err()).contains("[##############################] 100% succeeded").endsWith("\n");
  }

  @Test
  @DisplayName("submit --wait --poll draws the bar from GET /api/v1/tasks/{id}'s progress")
  void submitWaitPolling() {
    Run run = mastermind("submit", "--wait", "--poll", "--poll-interval-ms", "50", "--task", sleepTask(800));
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(percentages(run.err())).contains(100).anyMatch(p -> p > 0 && p < 100);
  }

  @Test
  @DisplayName("submit --wait over the SPEC 6 WebSocket (stand-in) draws the bar from task:progress events")
  void submitWaitOverWebSocket() throws Exception {
    try (WsStandIn standIn = new WsStandIn(gateway, TOKEN)) {
      Run run = mastermindAt(standIn.url, "submit", "--wait", "--task", sleepTask(800));
      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.json().getString("status")).isEqualTo("succeeded");
      assertThat(percentages(run.err())).contains(100).anyMatch(p -> p > 0 && p < 100);
    }
  }

  @Test
  @DisplayName("submit --wait of a task that fails prints its record and exits 3")
  void submitWaitFailed() {
    Run run = mastermind("submit", "--wait", "--task",
      "{\"type\":\"compute\",\"payload\":{\"function\":\"fail\",\"data\":{\"message\":\"bad luck\"}}}");
    assertThat(run.exit()).isEqualTo(ClientOptions.EXIT_TASK_NOT_SUCCEEDED);
    assertThat(run.json().getString("status")).isEqualTo("failed");
    assertThat(run.json().getJsonObject("error").getString("message")).isEqualTo("bad luck");
  }

  @Test
  @DisplayName("status prints the record; cancel cancels a running task; nodes lists the nodes")
  void statusCancelNodes() {
    String id = mastermind("submit", "--task", new JsonObject(sleepTask(60_000)).put("id", "cli-long").encode())
      .json().getString("id");
    await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(mastermind("status", id).json().getString("status")));

    Run status = mastermind("status", id);
    assertThat(status.exit()).isZero();
    assertThat(status.json().getString("node")).isEqualTo("cli-node");

    Run cancel = mastermind("cancel", id);
    assertThat(cancel.exit()).as(cancel.err()).isZero();
    assertThat(cancel.json().getString("status")).isEqualTo("cancelled");

    Run again = mastermind("cancel", id);
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.out()).isEmpty();
    assertThat(again.err()).contains("ALREADY_FINISHED");

    Run nodes = mastermind("nodes");
    assertThat(nodes.exit()).isZero();
    assertThat(nodes.json().getJsonArray("nodes").stream().map(n -> ((JsonObject) n).getString("id"))).contains("cli-node");
  }

  @Test
  @DisplayName("4xx answers, an unreachable gateway and bad input exit non-zero with the error message")
  void errors() throws Exception {
    Run unknown = mastermind("status", "no-such-task");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).isEqualTo("mastermind status: NOT_FOUND: no task no-such-task\n");

    Run invalid = mastermind("submit", "--task", "{\"type\":\"compute\",\"payload\":{\"function\":\"primes\",\"data\":{\"upTo\":-5}}}");
    assertThat(invalid.exit()).isEqualTo(1);
    assertThat(invalid.err()).contains("INVALID_FIELD", "(field payload.data.upTo)");

    Run noToken = mastermind("nodes", "--token", "");
    assertThat(noToken.exit()).isEqualTo(1);
    assertThat(noToken.err()).contains("UNAUTHORIZED");

    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Run unreachable = mastermindAt("http://127.0.0.1:" + port, "nodes");
    assertThat(unreachable.exit()).isEqualTo(1);
    assertThat(unreachable.err()).contains("cannot reach the gateway at http://127.0.0.1:" + port);

    Run notJson = mastermind("submit", "--task", "{nope");
    assertThat(notJson.exit()).isEqualTo(2);
    assertThat(notJson.err()).contains("not a JSON object");

    Run noTask = mastermind("submit");
    assertThat(noTask.exit()).isEqualTo(2);
  }

  @Test
  @DisplayName("watch exits 1 with a clear message when the gateway has no WebSocket")
  void watchWithoutWebSocket() throws Exception {
    try (WsStandIn withoutWs = WsStandIn.withoutWebSocket(gateway)) {
      Run run = mastermindAt(withoutWs.url, "watch");
      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.err()).contains("watch needs the gateway's WebSocket /api/v1/ws", "HTTP 404");
    }
  }

  @Test
  @DisplayName("watch --json prints matching live events, one JSON object per line")
  void watch() throws Exception {
    // tasks of earlier tests still moving would put their events first: wait until none is
    CoordinatorClient coordinator = new CoordinatorClient(gateway.vertx.eventBus(), 5_000);
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      JsonObject tasks = coordinator.cluster().await(5, TimeUnit.SECONDS).getJsonObject("tasks");
      return tasks.getInteger("queued") + tasks.getInteger("scheduled") + tasks.getInteger("running") == 0;
    });
    try (WsStandIn standIn = new WsStandIn(gateway, TOKEN)) {
      CompletableFuture<Run> watching = CompletableFuture.supplyAsync(() -> mastermindAt(standIn.url, "watch", "task:*", "--count", "3"));
      await().atMost(Duration.ofSeconds(10)).until(() -> standIn.subscriptions() == 1);
      assertThat(mastermind("submit", "--wait", "--task", "{\"type\":\"compute\",\"payload\":{\"function\":\"echo\"}}").exit()).isZero();
      Run run = watching.get(20, TimeUnit.SECONDS);
      assertThat(run.exit()).as(run.err()).isZero();
      List<String> lines = run.out().lines().toList();
      assertThat(lines).hasSize(3);
      assertThat(lines).allSatisfy(line -> assertThat(new JsonObject(line).getString("event")).startsWith("task:"));
      assertThat(new JsonObject(lines.get(0)).getString("event")).isEqualTo("task:submitted");
    }
  }

  @Test
  @DisplayName("without --json: status as aligned fields, tasks and nodes as tables, cluster as a summary; tasks pages with --after")
  void tables() {
    for (int i = 0; i < 3; i++) {
      assertThat(mastermind("submit", "--wait", "--task", "{\"id\":\"tbl-" + i + "\",\"type\":\"compute\",\"payload\":{\"function\":\"echo\"}}").exit()).isZero();
    }
    Run status = text("status", "tbl-0");
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out()).startsWith("FIELD").containsPattern("(?m)^id +tbl-0$").containsPattern("(?m)^status +succeeded$")
      .containsPattern("(?m)^submittedAt +\\d{4}-\\d\\d-\\d\\dT");

    Run tasks = text("tasks", "--status", "succeeded", "--limit", "2");
    assertThat(tasks.exit()).as(tasks.err()).isZero();
    List<String> lines = tasks.out().lines().toList();
    assertThat(lines.get(0)).startsWith("ID").contains("TYPE", "FUNCTION", "STATUS", "NODE");
    assertThat(lines).hasSize(4).last().asString().startsWith("more: mastermind tasks --after ");
    String cursor = lines.get(3).substring("more: mastermind tasks --after ".length());
    Run next = mastermind("tasks", "--status", "succeeded", "--limit", "2", "--after", cursor);
    assertThat(next.exit()).as(next.err()).isZero();
    List<String> firstPage = lines.subList(1, 3).stream().map(l -> l.split(" +")[0]).toList();
    assertThat(next.json().getJsonArray("tasks").stream().map(t -> ((JsonObject) t).getString("id"))).doesNotContainAnyElementsOf(firstPage);

    Run nodes = text("nodes");
    assertThat(nodes.exit()).isZero();
    assertThat(nodes.out()).startsWith("ID").containsPattern("(?m)^cli-node +healthy +");

    Run cluster = text("cluster");
    assertThat(cluster.exit()).as(cluster.err()).isZero();
    assertThat(cluster.out()).containsPattern("(?m)^leader +cli-node$").containsPattern("(?m)^tasks\\.succeeded +\\d+$")
      .containsPattern("(?m)^nodes\\.healthy +1$");
    assertThat(mastermind("cluster").json().getJsonObject("leader").getString("nodeId")).isEqualTo("cli-node");
  }

  @Test
  @DisplayName("control characters a task carries are not written to the terminal")
  void noControlCharacters() {
    assertThat(mastermind("submit", "--wait", "--task",
      "{\"id\":\"ctl\",\"type\":\"compute\",\"payload\":{\"function\":\"echo\",\"data\":\"\\u001b[31mred\\r\"}}").exit()).isZero();
    Run status = text("status", "ctl");
    assertThat(status.exit()).isZero();
    assertThat(status.out()).contains("red").doesNotContain("\u001b").doesNotContain("\r");
  }

  @Test
  @DisplayName("log-level sets the level (and refuses an unknown one); --version comes from the build; generate-completion prints a bash script")
  void logLevelVersionCompletion() {
    Run set = text("log-level", "debug");
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out()).containsPattern("(?m)^level +debug$");
    assertThat(text("log-level", "info").exit()).isZero();
    Run bad = text("log-level", "loud");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("INVALID_FIELD");

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    assertThat(commandLine.execute("--version")).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith("mastermind ").doesNotContain("${").doesNotContain("unknown");

    StringWriter script = new StringWriter();
    CommandLine completion = Main.commandLine();
    StringWriter completionErr = new StringWriter();
    completion.setOut(new PrintWriter(script, true));
    completion.setErr(new PrintWriter(completionErr, true));
    assertThat(completion.execute("generate-completion")).as(completionErr.toString()).isZero();
    assertThat(script.toString()).contains("complete -F").contains("tasks").contains("drain");
  }

  @Test
  @DisplayName("nodes drain ID removes a node added over the API")
  void drainAndEnvUrl() {
    Run added = mastermindViaHttpAddNode();
    assertThat(added.exit()).as(added.err()).isZero();
    Run drain = text("nodes", "drain", "cli-extra");
    assertThat(drain.exit()).as(drain.err()).isZero();
    assertThat(drain.out()).containsPattern("(?m)^id +cli-extra$");
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      Run node = mastermind("nodes");
      return node.json().getJsonArray("nodes").stream().map(n -> (JsonObject) n)
        .filter(n -> "cli-extra".equals(n.getString("id"))).allMatch(n -> "left".equals(n.getString("state")));
    });
    Run unknown = text("nodes", "drain", "no-such-node");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("NOT_FOUND");

  }

  /** POST /api/v1/nodes (addNode) through the JDK client: the CLI has no add command. */
  private static Run mastermindViaHttpAddNode() {
    try {
      var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.url + "/api/v1/nodes"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
          "{\"id\":\"cli-extra\",\"capabilities\":[\"extra\"],\"resources\":{\"cpu\":{\"cores\":1},\"memory\":{\"total\":256}}}")).build();
      var response = io.mastermind.testsupport.TestHttp.builder().build().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
      return new Run(response.statusCode() < 300 ? 0 : 1, response.body(), response.statusCode() < 300 ? "" : response.body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  @DisplayName("--ws-path reaches a gateway serving its WebSocket elsewhere; the default path is refused there, naming it")
  void webSocketPath() throws Exception {
    try (GatewayNode custom = new GatewayNode(new JsonObject().put("nodeId", "cli-ws-node").put("apiTokens", new JsonArray().add(TOKEN))
      .put("http", new JsonObject().put("port", 0).put("websocket", new JsonObject().put("path", "/custom/ws"))))) {
      Run defaultPath = mastermindAt(custom.url, "watch", "--count", "1");
      assertThat(defaultPath.exit()).isEqualTo(1);
      assertThat(defaultPath.err()).contains("watch needs the gateway's WebSocket /api/v1/ws");

      CompletableFuture<Run> watching = CompletableFuture.supplyAsync(
        () -> mastermindAt(custom.url, "watch", "--ws-path", "/custom/ws", "task:submitted", "--count", "1"));
      // submit until the watcher, once subscribed, has seen one: no guess at when it subscribed
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
        mastermindAt(custom.url, "submit", "--task", "{\"type\":\"compute\",\"payload\":{\"function\":\"echo\"}}");
        return watching.isDone();
      });
      Run watched = watching.get(10, TimeUnit.SECONDS);
      assertThat(watched.exit()).as(watched.err()).isZero();
      assertThat(new JsonObject(watched.out().trim()).getString("event")).isEqualTo("task:submitted");

      Run relative = mastermindAt(custom.url, "watch", "--ws-path", "custom/ws");
      assertThat(relative.exit()).isEqualTo(2);
      assertThat(relative.err()).contains("--ws-path must be an absolute path");
    }
  }
}
