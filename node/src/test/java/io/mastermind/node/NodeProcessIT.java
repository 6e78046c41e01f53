package io.mastermind.node;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The fat jar as a user runs it: a separate JVM, its ready line, its exit codes, SIGTERM drain. */
@DisplayName("The node fat jar starts, serves, refuses bad config and a busy port, and drains on SIGTERM")
@Timeout(120)
class NodeProcessIT {

  private final List<Process> started = new ArrayList<>();

  /** A started node process with its output lines. */
  private record NodeProcess(Process process, List<String> lines, CompletableFuture<String> ready,
                             CompletableFuture<Void> outputClosed) {

    /** Waits for the exit and for every line it printed. */
    int awaitExit() throws Exception {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      outputClosed.get(10, TimeUnit.SECONDS);
      return process.exitValue();
    }
  }

  @AfterEach
  void killLeftovers() {
    started.forEach(Process::destroyForcibly);
  }

  private NodeProcess start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("java", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "-jar", System.getProperty("mastermind.jar"), "node"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    started.add(process);
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<String> ready = new CompletableFuture<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          lines.add(line);
          if (line.contains("ready")) {
            ready.complete(line);
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
      ready.completeExceptionally(new IllegalStateException("exited without a ready line: " + lines));
      closed.complete(null);
    });
    reader.setDaemon(true);
    reader.start();
    return new NodeProcess(process, lines, ready, closed);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static HttpResponse<String> post(String url, String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
      .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("a standalone node prints a ready line with its id and URL and runs a task")
  void readyAndServes() throws Exception {
    int port = freePort();
    NodeProcess node = start("--node-id", "proc-1", "--http-port", String.valueOf(port), "--cpu", "2", "--memory", "512");
    String ready = node.ready().get(60, TimeUnit.SECONDS);
    assertThat(ready).contains("ready", "proc-1", "http://127.0.0.1:" + port);

    HttpResponse<String> response = post("http://127.0.0.1:" + port + "/api/v1/tasks?wait=10000",
      "{\"type\":\"compute\",\"payload\":{\"function\":\"primes\",\"data\":{\"upTo\":100000}}}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getJsonObject("result").getInteger("count")).isEqualTo(9592);
  }

  @Test
  @DisplayName("SIGTERM lets a running task finish, then the node leaves and exits 0")
  void sigtermDrains() throws Exception {
    int port = freePort();
    NodeProcess node = start("--node-id", "proc-2", "--http-port", String.valueOf(port));
    node.ready().get(60, TimeUnit.SECONDS);
    HttpResponse<String> accepted = post("http://127.0.0.1:" + port + "/api/v1/tasks?wait=300",
      "{\"type\":\"io_bound\",\"payload\":{\"function\":\"sleep\",\"data\":{\"ms\":1500}}}");
    assertThat(new JsonObject(accepted.body()).getString("status")).isEqualTo("running");
    long termAt = System.nanoTime();

    // kill(1) rather than Process.destroy(), which would also close our end of its output
    new ProcessBuilder("kill", "-TERM", String.valueOf(node.process().pid())).inheritIO().start().waitFor();
    int exit = node.awaitExit();
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - termAt);

    assertThat(exit).as(String.join("\n", node.lines())).isZero();
    assertThat(node.lines()).as("exit " + exit + " after " + tookMs + " ms").anyMatch(l -> l.contains("draining")).anyMatch(l -> l.contains("stopped"));
    assertThat(tookMs).as("the drain waited for the running sleep").isGreaterThanOrEqualTo(900);
  }

  @Test
  @DisplayName("a bad config exits 2 with a clear message")
  void badConfig() throws Exception {
    NodeProcess node = start("--roles", "overlord");
    assertThat(node.awaitExit()).isEqualTo(2);
    assertThat(String.join("\n", node.lines())).contains("bad config", "overlord");
  }

  @Test
  @DisplayName("a busy HTTP port exits 1 saying so")
  void busyPort() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      NodeProcess node = start("--http-port", String.valueOf(busy.getLocalPort()));
      assertThat(node.awaitExit()).isEqualTo(1);
      assertThat(String.join("\n", node.lines())).contains("address already in use");
    }
  }
}
