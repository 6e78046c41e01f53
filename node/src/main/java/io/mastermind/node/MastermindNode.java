package io.mastermind.node;

import com.hazelcast.core.HazelcastInstance;
import io.mastermind.cluster.ClusterOptions;
import io.mastermind.cluster.HazelcastClusterView;
import io.mastermind.cluster.HazelcastConfigFactory;
import io.mastermind.cluster.HazelcastTaskStore;
import io.mastermind.coordinator.CoordinatorClient;
import io.mastermind.coordinator.CoordinatorVerticle;
import io.mastermind.store.TransientTaskStore;
import io.mastermind.gateway.GatewayVerticle;
import io.mastermind.gateway.ManagementRoutes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mastermind.protocol.NodeState;
import io.mastermind.security.ClusterSecurity;
import io.mastermind.security.Verdict;
import io.mastermind.worker.HandlerRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import io.mastermind.tracing.OtelTaskTracing;
import io.mastermind.tracing.TaskTracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The composition root: one node with the roles its settings name, deployed in order (coordinator,
 * admin, worker, gateway, then the management port when set) in one short chain that fails loudly; the
 * coordinator, workers and gateway each on an event loop of its own ({@link EventLoopSteering}). Node authentication (the cluster
 * secret's signing, event-bus TLS) is set up on the new Vert.x before anything is deployed.
 */
public final class MastermindNode {

  private final Vertx vertx;
  private final NodeSettings settings;
  private final boolean ownsVertx;
  /** Null when standalone. */
  private final HazelcastInstance hazelcast;
  /** This process's cluster member id, null when standalone. */
  private final String memberId;
  private GatewayVerticle gateway;
  private NodeAdminVerticle admin;
  private ManagementVerticle management;
  /** The coordinator, workers and gateway each on an event loop of its own while there are enough. */
  private final EventLoopSteering steering;
  /** Run once Vert.x closed: the tracing SDK's shutdown, when the node built one. */
  private Supplier<Future<Void>> onClose = Future::succeededFuture;

  private MastermindNode(Vertx vertx, NodeSettings settings, boolean ownsVertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.settings = settings;
    this.ownsVertx = ownsVertx;
    this.hazelcast = hazelcast;
    this.memberId = hazelcast == null ? null : hazelcast.getCluster().getLocalMember().getUuid().toString();
    this.steering = new EventLoopSteering(vertx);
    installSecurity(vertx, settings);
  }

  /**
   * Signs and checks what this node says to others, when {@code cluster.secret} (or a node key) is set:
   * once per Vert.x, before any verticle looks for it; refused messages are counted on {@code /metrics}
   * as {@code mastermind_security_refused_messages_total{reason}}.
   */
  private static void installSecurity(Vertx vertx, NodeSettings settings) {
    ClusterSecurity security = settings.clusterOptions().security(settings.nodeId());
    if (!security.signing() || ClusterSecurity.of(vertx.eventBus()).signing()) {
      return;
    }
    security.install(vertx);
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry != null) {
      for (Verdict verdict : Verdict.values()) {
        if (!verdict.accepted()) {
          FunctionCounter.builder("mastermind.security.refused.messages", security, s -> s.refusedCount(verdict))
            .description("Messages between nodes refused by node authentication")
            .tag("reason", verdict.wireName())
            .register(registry);
        }
      }
    }
  }

  /**
   * A node on a Vert.x of its own, with Prometheus metrics: on the local event bus, or joined to the
   * Hazelcast cluster when the settings enable cluster mode.
   */
  public static Future<MastermindNode> startOwned(NodeSettings settings) {
    return startOwned(settings, vertx -> Future.succeededFuture());
  }

  /**
   * As {@link #startOwned(NodeSettings)}, running {@code beforeDeploy} on the new Vert.x before any role
   * is deployed: the embedded Java API registers its event consumer there so it sees the node's own
   * {@code node:join}.
   */
  public static Future<MastermindNode> startOwned(NodeSettings settings, Function<Vertx, Future<?>> beforeDeploy) {
    TracingOptions tracing = settings.tracingOptions();
    if (!tracing.isEnabled()) {
      return startOwned(settings, null, beforeDeploy);
    }
    OpenTelemetrySdk sdk = NodeTracing.sdk(tracing, settings);
    return startOwned(settings, sdk, beforeDeploy)
      .onSuccess(node -> node.onClose = () -> shutdown(sdk)) // flushes the spans still batched
      .onFailure(err -> sdk.shutdown());
  }

  /**
   * As {@link #startOwned(NodeSettings)}, tracing tasks with {@code openTelemetry} (which the caller owns
   * and shuts down; it should propagate W3C trace context), whatever the settings say about tracing.
   */
  public static Future<MastermindNode> startTraced(NodeSettings settings, OpenTelemetry openTelemetry) {
    return startOwned(settings, openTelemetry, vertx -> Future.succeededFuture());
  }

  private static Future<MastermindNode> startOwned(NodeSettings settings, OpenTelemetry openTelemetry,
                                                   Function<Vertx, Future<?>> beforeDeploy) {
    // JVM and process metrics on: Micrometer's binders (memory, GC, threads, class loading, processor,
    // uptime, and a few more) bound by Vert.x to the node's registry; HTTP metrics with bounded labels;
    // event-bus metrics only when metrics.eventBus asks for them (their cost: VertxMetricsSettings)
    VertxOptions options = new VertxOptions().setMetricsOptions(VertxMetricsSettings.options(settings.eventBusMetrics()));
    if (!settings.clustered()) {
      Vertx vertx = builder(options, openTelemetry).build();
      installSecurity(vertx, settings);
      installTracing(vertx, openTelemetry);
      return beforeDeploy.apply(vertx).compose(v -> new MastermindNode(vertx, settings, true, null).deploy())
        .onFailure(err -> vertx.close());
    }
    return startClustered(settings, options, openTelemetry, beforeDeploy);
  }

  /**
   * Tracing off: no tracer at all, so neither Vert.x nor the task code creates a span. On: Vert.x's
   * OpenTelemetry tracer spans HTTP requests and the event-bus messages sent inside them.
   */
  private static VertxBuilder builder(VertxOptions options, OpenTelemetry openTelemetry) {
    if (openTelemetry == null) {
      return Vertx.builder().with(options);
    }
    options.setTracingOptions(new OpenTelemetryOptions());
    return Vertx.builder().with(options).withTracer(new OpenTelemetryTracingFactory(openTelemetry));
  }

  /** The SDK's shutdown (its last export included), at most 5 s, as a future. */
  private static Future<Void> shutdown(OpenTelemetrySdk sdk) {
    Promise<Void> done = Promise.promise();
    CompletableResultCode result = sdk.shutdown();
    result.whenComplete(done::tryComplete);
    return done.future().timeout(5, TimeUnit.SECONDS).recover(err -> Future.succeededFuture());
  }

  private static void installTracing(Vertx vertx, OpenTelemetry openTelemetry) {
    if (openTelemetry != null) {
      TaskTracing.install(vertx, new OtelTaskTracing(openTelemetry));
    }
  }

  /** A clustered node on a Vert.x of its own; tests start several in one JVM. */
  public static Future<MastermindNode> startClustered(NodeSettings settings, VertxOptions options) {
    return startClustered(settings, options, null, vertx -> Future.succeededFuture());
  }

  /** A clustered node on a Vert.x of its own, tracing tasks with {@code openTelemetry}; tests start several in one JVM. */
  public static Future<MastermindNode> startClustered(NodeSettings settings, VertxOptions options, OpenTelemetry openTelemetry) {
    return startClustered(settings, options, openTelemetry, vertx -> Future.succeededFuture());
  }

  private static Future<MastermindNode> startClustered(NodeSettings settings, VertxOptions options, OpenTelemetry openTelemetry,
                                                       Function<Vertx, Future<?>> beforeDeploy) {
    ClusterOptions cluster = settings.clusterOptions();
    HazelcastClusterManager manager = new HazelcastClusterManager(
      HazelcastConfigFactory.create(cluster, settings.nodeId(), settings.roles()));
    options.getEventBusOptions().setHost(cluster.getHost()).setClusterPublicHost(cluster.getHost())
      .setPort(cluster.getEventBusPort());
    cluster.getTls().applyTo(options.getEventBusOptions()); // mutual TLS between nodes, when configured
    return builder(options, openTelemetry).withClusterManager(manager).buildClustered()
      .onSuccess(vertx -> {
        installSecurity(vertx, settings);
        installTracing(vertx, openTelemetry);
      })
      .compose(vertx -> beforeDeploy.apply(vertx)
        .compose(v -> new MastermindNode(vertx, settings, true, manager.getHazelcastInstance()).deploy())
        .onFailure(err -> vertx.close()));
  }

  /** A node on a Vert.x the caller owns (tests, embedding). */
  public static Future<MastermindNode> start(Vertx vertx, NodeSettings settings) {
    return new MastermindNode(vertx, settings, false, null).deploy();
  }

  private Future<MastermindNode> deploy() {
    io.mastermind.events.SharedJsonCodec.register(vertx.eventBus()); // every node decodes live events
    HandlerRegistry handlers = HandlerRegistry.load(Path.of(settings.workerOptions().getPluginsDir()));
    admin = new NodeAdminVerticle(settings.workerOptions(), handlers, settings.nodeId(), memberId, settings.roles())
      .steering(steering);
    // one registry per node, shown by the gateway's and the management port's /metrics: Vert.x's own
    // when it has Prometheus metrics on (with the JVM's), a registry of the node's own otherwise
    PrometheusMeterRegistry registry = ManagementRoutes.prometheusRegistry();
    HealthChecks health = NodeHealth.create(vertx, settings, hazelcast, () -> admin.worker(settings.nodeId()));
    Future<?> chain = Future.succeededFuture();
    if (settings.hasRole("coordinator")) {
      // the leader's task meters go to this node's registry while it leads
      CoordinatorVerticle coordinator = hazelcast == null
        ? new CoordinatorVerticle(settings.coordinatorOptions(), new TransientTaskStore(), settings.nodeId(), registry)
        : new CoordinatorVerticle(settings.coordinatorOptions(), new HazelcastTaskStore(vertx, hazelcast),
          new HazelcastClusterView(vertx, hazelcast, settings.nodeId()), settings.nodeId(), registry);
      chain = chain.compose(v -> steering.deploy(coordinator));
    }
    chain = chain.compose(v -> vertx.deployVerticle(admin));
    if (settings.hasRole("worker")) {
      chain = chain.compose(v -> admin.deployWorker(settings.nodeConfig()));
    }
    if (settings.hasRole("gateway")) {
      gateway = new GatewayVerticle(settings.gatewayOptions(), settings.bridgeOptions(), settings.nexusOptions(), health, registry);
      chain = chain.compose(v -> steering.deploy(gateway));
    }
    if (settings.managementOptions().isEnabled()) {
      management = new ManagementVerticle(settings.managementOptions(), health, registry);
      chain = chain.compose(v -> vertx.deployVerticle(management));
    }
    return chain.map(v -> this);
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The event loops of the coordinator, workers and gateway deployed here, in deployment order. */
  List<io.netty.channel.EventLoop> busyEventLoops() {
    return steering.busyLoops();
  }

  public NodeSettings settings() {
    return settings;
  }

  /** The gateway verticle, or null without the gateway role. */
  public GatewayVerticle gateway() {
    return gateway;
  }

  /** The gateway's URL, or null without the gateway role. */
  public String httpUrl() {
    return gateway == null ? null : gateway.url();
  }

  /** The management port's URL ({@code /metrics}, {@code /health*}), or null when it is off. */
  public String managementUrl() {
    return management == null ? null : management.url();
  }

  /**
   * Graceful stop: this node's worker takes no new task, gives back what it has not started, lets its
   * running tasks finish (at most the drain timeout), leaves, and then Vert.x closes.
   */
  public Future<Void> drainAndClose() {
    Future<Void> drained = settings.hasRole("worker") ? drainWorker() : Future.succeededFuture();
    return drained.recover(err -> Future.succeededFuture())
      .compose(v -> ownsVertx ? vertx.close() : Future.succeededFuture())
      .eventually(() -> onClose.get());
  }

  private Future<Void> drainWorker() {
    CoordinatorClient coordinator = new CoordinatorClient(vertx.eventBus(), 2_000);
    Promise<Void> left = Promise.promise();
    long deadline = System.currentTimeMillis() + settings.drainTimeoutMs();
    coordinator.drain(settings.nodeId()).onComplete(ar -> pollUntilLeft(coordinator, deadline, left));
    return left.future();
  }

  private void pollUntilLeft(CoordinatorClient coordinator, long deadline, Promise<Void> left) {
    coordinator.node(settings.nodeId()).onComplete(ar -> {
      // No coordinator answering means nobody can re-place work: stop waiting and just leave.
      boolean gone = ar.failed()
        || NodeState.LEFT.wireName().equals(ar.result().getString("state")) && !admin.hasWorker(settings.nodeId());
      if (gone || System.currentTimeMillis() >= deadline) {
        left.tryComplete();
      } else {
        vertx.setTimer(100, t -> pollUntilLeft(coordinator, deadline, left));
      }
    });
  }
}
