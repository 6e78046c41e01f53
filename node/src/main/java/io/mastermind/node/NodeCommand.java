package io.mastermind.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code mastermind node}: starts a node and keeps it running until SIGTERM or SIGINT, which drain it.
 * Flags override the config file, which overrides the defaults.
 */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Start a node (all roles by default).")
final class NodeCommand implements Callable<Integer> {

  static final int EXIT_BAD_CONFIG = 2;
  static final int EXIT_START_FAILED = 1;

  @Option(names = "--conf", paramLabel = "FILE",
    description = "Config file, YAML (.yaml, .yml) or JSON (default: $MASTERMIND_HOME/conf/node.json, or node.yaml, when present)")
  Path conf;

  @Spec
  CommandSpec spec;

  @Option(names = "--print-config", description = "Print the effective config (secrets masked) as JSON and exit")
  boolean printConfig;

  @Option(names = "--node-id", paramLabel = "ID", description = "This node's id (default: generated)")
  String nodeId;

  @Option(names = "--roles", split = ",", paramLabel = "ROLE", description = "coordinator,gateway,worker (default: all)")
  List<String> roles;

  @Option(names = "--http-host", paramLabel = "HOST", description = "Gateway bind address (default 127.0.0.1)")
  String httpHost;

  @Option(names = "--http-port", paramLabel = "N", description = "Gateway port (default 8080; 0 picks a free one)")
  Integer httpPort;

  @Option(names = "--management-port", paramLabel = "N",
    description = "Serve /metrics and /health* on this port (default: off; 0 picks a free one)")
  Integer managementPort;

  @Option(names = "--management-host", paramLabel = "HOST", description = "Management port bind address (default 127.0.0.1)")
  String managementHost;

  @Option(names = "--cluster", description = "Join or form a Hazelcast cluster")
  boolean cluster;

  @Option(names = "--cluster-host", paramLabel = "HOST", description = "Cluster bind address (default 127.0.0.1)")
  String clusterHost;

  @Option(names = "--cluster-port", paramLabel = "N", description = "Cluster port (default 5701)")
  Integer clusterPort;

  @Option(names = "--join", split = ",", paramLabel = "HOST:PORT", description = "Cluster members to contact")
  List<String> join;

  @Option(names = "--capabilities", split = ",", paramLabel = "TAG", description = "Capability tags of this node's worker")
  List<String> capabilities;

  @Option(names = "--cpu", paramLabel = "CORES", description = "Cores this worker offers (default: this machine's)")
  Double cpu;

  @Option(names = "--memory", paramLabel = "MB", description = "Memory this worker offers (default: this machine's)")
  Long memory;

  @Option(names = "--gpu", description = "This worker has a gpu")
  boolean gpu;

  @Option(names = "--log-format", paramLabel = "FORMAT", description = "Console log lines: text (default) or json")
  String logFormat;

  @Option(names = "--otlp-endpoint", paramLabel = "URL",
    description = "Trace tasks with OpenTelemetry, sending spans to this OTLP/HTTP URL, e.g. http://127.0.0.1:4318/v1/traces (default: off)")
  String otlpEndpoint;

  @Option(names = "--strategy", paramLabel = "NAME", description = "least-loaded, round-robin, best-fit or power-of-two")
  String strategy;

  @Override
  public Integer call() {
    NodeSettings settings;
    try {
      settings = NodeSettings.fromSources(NodeConfigSources.read(confFile()), overrides());
    } catch (IllegalArgumentException | ClassCastException | IOException | io.vertx.core.json.DecodeException e) {
      spec.commandLine().getErr().println("mastermind: bad config: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return EXIT_BAD_CONFIG;
    }
    if (printConfig) {
      spec.commandLine().getOut().println(settings.toMaskedJson().encodePrettily());
      spec.commandLine().getOut().flush();
      return 0;
    }
    LogFormat.apply(settings.logFormat(), settings.nodeId());
    MastermindNode node;
    try {
      node = MastermindNode.startOwned(settings).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      System.err.println("mastermind: node failed to start: " + describe(e.getCause(), settings));
      return EXIT_START_FAILED;
    } catch (Exception e) {
      System.err.println("mastermind: node failed to start: " + e);
      return EXIT_START_FAILED;
    }
    String url = node.httpUrl();
    System.out.println("Mastermind node " + settings.nodeId() + " ready (roles: " + String.join(",", settings.roles()) + ")"
      + (url == null ? "" : " " + url)
      + (node.managementUrl() == null ? "" : " management " + node.managementUrl())
      + (settings.clusterOptions().isEnabled() && settings.clusterOptions().isSigning()
        ? " (cluster messages signed)" : ""));
    System.out.flush();
    awaitSignalThenDrain(node);
    return 0;
  }

  /** Blocks the main thread; SIGTERM or SIGINT drains the node and ends the process with 0. */
  private static void awaitSignalThenDrain(MastermindNode node) {
    CountDownLatch stopped = new CountDownLatch(1);
    CompletableFuture<Void> draining = new CompletableFuture<>();
    Runnable drain = () -> {
      if (draining.complete(null)) {
        System.out.println("Mastermind node " + node.settings().nodeId() + " draining");
        node.drainAndClose().onComplete(ar -> stopped.countDown());
      }
    };
    Signal.handle(new Signal("TERM"), s -> drain.run());
    Signal.handle(new Signal("INT"), s -> drain.run());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.out.println("Mastermind node " + node.settings().nodeId() + " stopped");
    System.exit(0);
  }

  private static String describe(Throwable cause, NodeSettings settings) {
    if (cause instanceof ManagementVerticle.ManagementBindException) {
      return cause.getMessage();
    }
    if (cause instanceof BindException || (cause != null && String.valueOf(cause.getMessage()).contains("Address already in use"))) {
      var http = settings.gatewayOptions();
      return "cannot listen on " + http.getHost() + ":" + http.getPort() + " (address already in use); choose another --http-port";
    }
    return String.valueOf(cause);
  }

  /** {@code --conf}, else the first of node.json, node.yaml, node.yml under $MASTERMIND_HOME/conf, else none. */
  private Path confFile() {
    if (conf != null) {
      return conf;
    }
    String home = System.getProperty("mastermind.home", System.getenv("MASTERMIND_HOME"));
    if (home == null) {
      return null;
    }
    return Stream.of("node.json", "node.yaml", "node.yml").map(name -> Path.of(home, "conf", name))
      .filter(Files::isRegularFile).findFirst().orElse(null);
  }

  JsonObject overrides() {
    JsonObject o = new JsonObject();
    if (nodeId != null) {
      o.put("nodeId", nodeId);
    }
    if (roles != null) {
      o.put("roles", new JsonArray(List.copyOf(roles)));
    }
    JsonObject http = new JsonObject();
    if (httpHost != null) {
      http.put("host", httpHost);
    }
    if (httpPort != null) {
      http.put("port", httpPort);
    }
    o.put("http", http);
    JsonObject management = new JsonObject();
    if (managementHost != null) {
      management.put("host", managementHost);
    }
    if (managementPort != null) {
      management.put("port", managementPort);
    }
    o.put("management", management);
    if (logFormat != null) {
      o.put("logging", new JsonObject().put("format", logFormat));
    }
    if (otlpEndpoint != null) {
      o.put("tracing", new JsonObject().put("otlpEndpoint", otlpEndpoint));
    }
    JsonObject worker = new JsonObject();
    if (capabilities != null) {
      worker.put("capabilities", new JsonArray(List.copyOf(capabilities)));
    }
    if (cpu != null) {
      worker.put("cpu", cpu);
    }
    if (memory != null) {
      worker.put("memory", memory);
    }
    if (gpu) {
      worker.put("gpu", true);
    }
    o.put("worker", worker);
    if (strategy != null) {
      o.put("scheduler", new JsonObject().put("strategy", strategy));
    }
    JsonObject clusterJson = new JsonObject();
    if (cluster) {
      clusterJson.put("enabled", true);
    }
    if (clusterHost != null) {
      clusterJson.put("host", clusterHost);
    }
    if (clusterPort != null) {
      clusterJson.put("port", clusterPort);
    }
    if (join != null) {
      clusterJson.put("join", new JsonArray(List.copyOf(join)));
    }
    o.put("cluster", clusterJson);
    return o;
  }
}
