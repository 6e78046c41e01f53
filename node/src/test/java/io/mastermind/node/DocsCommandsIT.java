package io.mastermind.node;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands the documents show, run as a reader would: the curl session of docs/http-api.md against a
 * node started from the fat jar, and the README's "A cluster in one command" (scripts/local-cluster.sh,
 * then the README's CLI submit against it). Ports are free ones instead of 8080.
 */
@DisplayName("The documents' commands run as shown")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DocsCommandsIT {

  static final Path ROOT = NodeConfigTest.repoRoot();
  private static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z_]+)\"");
  private static final Pattern ERROR_CODE = Pattern.compile("^\\{\"error\":\\{\"code\":\"([A-Z_]+)\"");

  record Ran(int exit, String out) {
  }

  static Ran bash(Map<String, String> env, String command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(ROOT.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(command).isTrue();
    return new Ran(process.exitValue(), out);
  }

  /** A {@code $ curl} line of the section and the output line the document shows under it, if any. */
  record Shown(String command, String expected) {
  }

  static List<Shown> curlSession() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/http-api.md"));
    int start = doc.indexOf("## A session with curl");
    String section = doc.substring(start, doc.indexOf("\n## ", start + 5));
    List<String> lines = section.lines().toList();
    List<Shown> shown = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("$ curl ")) {
        String next = i + 1 < lines.size() ? lines.get(i + 1) : "";
        boolean output = !next.isBlank() && !next.startsWith("$ ") && !next.startsWith("```");
        shown.add(new Shown(lines.get(i).substring(2), output ? next : null));
      }
    }
    return shown;
  }

  @Test
  @DisplayName("docs/http-api.md's curl session: every command answers below 500, with the status or error code shown")
  void curlSessionRuns() throws Exception {
    List<Shown> session = curlSession();
    assertThat(session).hasSizeGreaterThan(20);
    int port = NodeProcess.freePort();
    NodeProcess node = NodeProcess.start("--node-id", "node-001", "--http-port", String.valueOf(port));
    try {
      node.awaitReady();
      for (Shown shown : session) {
        String command = shown.command().replaceAll("\\s{2,}#.*$", "") // the comment after the command
          .replace("localhost:8080", "127.0.0.1:" + port).replace("after=NEXT", "after=0");
        Ran ran = bash(Map.of(), command + " -w '\\n%{http_code}'");
        assertThat(ran.exit()).as(command + "\n" + ran.out()).isZero();
        String out = ran.out().strip();
        int code = Integer.parseInt(out.substring(out.lastIndexOf('\n') + 1).strip());
        String body = out.substring(0, out.lastIndexOf('\n'));
        assertThat(code).as(command + "\n" + body).isBetween(200, 499);
        String expected = shown.expected();
        if (expected == null) {
          continue;
        }
        Matcher status = STATUS.matcher(expected);
        Matcher error = ERROR_CODE.matcher(expected);
        if (status.find()) {
          assertThat(body).as(command).contains("\"status\":\"" + status.group(1) + "\"");
        } else if (error.find()) {
          assertThat(body).as(command).contains("\"code\":\"" + error.group(1) + "\"");
        } else if (expected.startsWith("HTTP/1.1 ")) {
          assertThat(body).as(command).startsWith(expected);
        } else if (expected.startsWith("…") && expected.contains("\"result\"")) {
          assertThat(body).as(command).contains("\"status\":\"succeeded\"");
        }
      }
    } finally {
      node.signal("TERM");
      node.awaitExit();
    }
  }

  @Test
  @DisplayName("README: scripts/local-cluster.sh starts three nodes, the README's CLI submit runs a task on them, stop ends them")
  void clusterInOneCommand() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme).contains("scripts/local-cluster.sh ", "scripts/local-cluster.sh stop");
    Matcher submit = Pattern.compile("\\(`(scripts/mastermind submit --wait --task '[^']+')`\\)").matcher(readme);
    assertThat(submit.find()).as("the README's submit command").isTrue();

    int http = NodeProcess.freePort();
    int base = freeRun(3);
    int management = freeRun(4);
    Map<String, String> env = Map.of("MM_HTTP_PORT", String.valueOf(http), "MM_CLUSTER_BASE", String.valueOf(base),
      "MM_MANAGEMENT_BASE", String.valueOf(management), "MM_CLUSTER_NAME", "docs-it-" + System.nanoTime(),
      "MASTERMIND_URL", "http://127.0.0.1:" + http);
    Path pidFile = ROOT.resolve("target/local-cluster/pids");
    List<Long> pids = new ArrayList<>();
    try {
      Ran started = bash(env, "scripts/local-cluster.sh");
      assertThat(started.exit()).as(started.out()).isZero();
      assertThat(started.out()).contains("node-1", "node-2", "node-3", "is up");
      Files.readAllLines(pidFile).forEach(pid -> pids.add(Long.parseLong(pid.trim())));
      assertThat(pids).hasSize(3);

      Ran ran = bash(env, submit.group(1));
      assertThat(ran.exit()).as(ran.out()).isZero();
      assertThat(ran.out()).containsPattern("(?m)^status +succeeded$").containsPattern("(?m)^node +node-[23]$");
    } finally {
      Ran stopped = bash(env, "scripts/local-cluster.sh stop");
      assertThat(stopped.exit()).as(stopped.out()).isZero();
      for (long pid : pids) {
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(60, TimeUnit.SECONDS).join());
      }
    }
  }

  /** The first of {@code count} consecutive free loopback ports, from a random start. */
  private static int freeRun(int count) throws IOException {
    Random random = new Random();
    for (int attempt = 0; attempt < 200; attempt++) {
      int first = 20_000 + random.nextInt(20_000);
      boolean free = true;
      for (int p = first; p < first + count && free; p++) {
        try (ServerSocket socket = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
          socket.setReuseAddress(true);
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free) {
        return first;
      }
    }
    throw new IOException("no " + count + " consecutive free ports");
  }
}
