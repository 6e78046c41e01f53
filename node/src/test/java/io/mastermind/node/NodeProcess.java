package io.mastermind.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The node fat jar running as a separate JVM, as a user starts it, with every line it prints.
 * Signals go through kill(1): Process.destroy() would also close our end of its output.
 */
final class NodeProcess {

  final Process process;
  final List<String> lines = new CopyOnWriteArrayList<>();
  final CompletableFuture<String> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> outputClosed = new CompletableFuture<>();

  private NodeProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::readOutput, "node-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  static NodeProcess start(String... args) throws IOException {
    return start(java.util.Map.of(), args);
  }

  /** As {@link #start(String...)}, with these environment variables added. */
  static NodeProcess start(java.util.Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("java", "-Xmx512m",
      "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "-jar", System.getProperty("mastermind.jar"), "node"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    return new NodeProcess(builder.start());
  }

  private void readOutput() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        if (line.contains(" ready ")) {
          ready.complete(line);
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
    ready.completeExceptionally(new IllegalStateException("exited without a ready line: " + lines));
    outputClosed.complete(null);
  }

  String awaitReady() throws Exception {
    return ready.get(90, TimeUnit.SECONDS);
  }

  /** Waits for the exit and for every line it printed; the exit code. */
  int awaitExit() throws Exception {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("process " + process.pid() + " did not exit; output: " + lines);
    }
    outputClosed.get(10, TimeUnit.SECONDS);
    return process.exitValue();
  }

  void signal(String name) throws Exception {
    new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
  }

  void killHard() throws Exception {
    signal("KILL");
    process.waitFor(30, TimeUnit.SECONDS);
  }

  void destroyIfAlive() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  String output() {
    return String.join("\n", lines);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
