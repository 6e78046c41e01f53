package io.mastermind.bench;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import io.mastermind.cluster.ClusterOptions;
import io.mastermind.cluster.HazelcastConfigFactory;
import io.mastermind.coordinator.CoordinatorClient;
import io.mastermind.node.MastermindNode;
import io.mastermind.node.NodeSettings;
import io.mastermind.protocol.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.Serializable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput, side by side in one run on loopback, each between two cluster members with 256 requests
 * in flight: the raw clustered Vert.x event bus (request-reply), Hazelcast's IExecutorService (no-op
 * tasks), and Mastermind (echo tasks, submit to completion, coordinator on one member and worker on
 * the other). Run by {@code scripts/bench.sh throughput}; prints a markdown table.
 */
public final class ThroughputBench {

  private static final int WINDOW = 256;

  /** One measured run: completed operations over the measuring window, and latencies in µs. */
  private record Result(String name, long operations, double seconds, long[] latenciesMicros) {
    double perSecond() {
      return operations / seconds;
    }

    long percentile(double p) {
      if (latenciesMicros.length == 0) {
        return 0;
      }
      long[] sorted = latenciesMicros.clone();
      Arrays.sort(sorted);
      return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }
  }

  /** A Hazelcast task that does nothing: the executor's own cost. */
  public static final class Noop implements Callable<Integer>, Serializable {
    @Override
    public Integer call() {
      return 1;
    }
  }

  public static void main(String[] args) throws Exception {
    int warmup = intArg(args, "--warmup", 5);
    int seconds = intArg(args, "--seconds", 10);
    String cluster = "bench-" + UUID.randomUUID();
    System.out.printf("# warm-up %d s, measure %d s, %d in flight, loopback, %d cores%n%n", warmup, seconds, WINDOW,
      Runtime.getRuntime().availableProcessors());

    // Two plain clustered Vert.x members for the raw event bus and Hazelcast executor baselines.
    int seed = freePort();
    HazelcastClusterManager m1 = manager(cluster + "-raw", "raw-1", seed, seed);
    HazelcastClusterManager m2 = manager(cluster + "-raw", "raw-2", freePort(), seed);
    Vertx v1 = clustered(m1);
    Vertx v2 = clustered(m2);
    v2.eventBus().<JsonObject>consumer("bench.echo", m -> m.reply(m.body())).completion()
      .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    JsonObject payload = new JsonObject().put("hello", "world");
    Result raw = measure("Vert.x clustered event bus, request-reply", warmup, seconds, () ->
      v1.eventBus().request("bench.echo", payload).mapEmpty());

    HazelcastInstance hz1 = m1.getHazelcastInstance();
    Member other = hz1.getCluster().getMembers().stream().filter(m -> !m.localMember()).findFirst().orElseThrow();
    IExecutorService executor = hz1.getExecutorService("bench");
    Result hazelcast = measure("Hazelcast IExecutorService, no-op task", warmup, seconds, () -> {
      io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
      executor.submitToMember(new Noop(), other, new com.hazelcast.core.ExecutionCallback<Integer>() {
        @Override
        public void onResponse(Integer response) {
          done.complete();
        }

        @Override
        public void onFailure(Throwable t) {
          done.fail(t);
        }
      });
      return done.future();
    });
    v1.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    v2.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    // Mastermind: coordinator on one member, a worker on the other.
    int seed2 = freePort();
    MastermindNode coordinator = node(cluster, "bench-c", List.of("coordinator"), seed2, seed2);
    MastermindNode worker = node(cluster, "bench-w", List.of("worker"), freePort(), seed2);
    Vertx vc = coordinator.vertx();
    Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    vc.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> {
      if ("task:completed".equals(m.body().getString("event"))) {
        CompletableFuture<Void> done = pending.remove(m.body().getString("taskId"));
        if (done != null) {
          done.complete(null);
        }
      }
    }).completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    CoordinatorClient client = new CoordinatorClient(vc.eventBus(), 30_000);
    awaitWorker(vc, client);
    AtomicLong ids = new AtomicLong();
    JsonObject echo = new JsonObject().put("type", "compute").put("requirements", new JsonObject().put("cpu", 0.01))
      .put("payload", new JsonObject().put("function", "echo").put("data", payload));
    Result mastermind = measure("Mastermind echo task, submit to completed", warmup, seconds, () -> {
      String id = "bench-" + ids.incrementAndGet();
      CompletableFuture<Void> done = new CompletableFuture<>();
      pending.put(id, done);
      return client.submit(echo.copy().put("id", id)).compose(s -> Future.fromCompletionStage(done));
    });
    worker.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    coordinator.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    System.out.println("| what (between two members, loopback) | ops/s | p50 µs | p99 µs |");
    System.out.println("|---|---:|---:|---:|");
    for (Result r : List.of(raw, hazelcast, mastermind)) {
      System.out.printf("| %s | %,.0f | %,d | %,d |%n", r.name(), r.perSecond(), r.percentile(0.5), r.percentile(0.99));
    }
    System.exit(0);
  }

  /** Keeps {@link #WINDOW} operations in flight; counts and times those completing in the measuring window. */
  private static Result measure(String name, int warmupSeconds, int seconds,
                                java.util.function.Supplier<Future<Void>> operation) throws Exception {
    Semaphore slots = new Semaphore(WINDOW);
    long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
    long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
    AtomicLong count = new AtomicLong();
    long[] latencies = new long[2_000_000];
    AtomicLong recorded = new AtomicLong();
    while (System.nanoTime() < end) {
      if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        continue;
      }
      long start = System.nanoTime();
      operation.get().onComplete(ar -> {
        long now = System.nanoTime();
        slots.release();
        if (ar.succeeded() && start >= warmEnd && now <= end) {
          count.incrementAndGet();
          long i = recorded.getAndIncrement();
          if (i < latencies.length) {
            latencies[(int) i] = (now - start) / 1_000;
          }
        }
      });
    }
    slots.tryAcquire(WINDOW, 30, TimeUnit.SECONDS);
    long n = Math.min(recorded.get(), latencies.length);
    Result result = new Result(name, count.get(), seconds, Arrays.copyOf(latencies, (int) n));
    System.out.printf("%s: %,.0f ops/s%n", name, result.perSecond());
    return result;
  }

  private static HazelcastClusterManager manager(String cluster, String id, int port, int seed) {
    ClusterOptions options = new ClusterOptions().setName(cluster).setPort(port)
      .setJoin(port == seed ? List.of() : List.of("127.0.0.1:" + seed));
    return new HazelcastClusterManager(HazelcastConfigFactory.create(options, id, Set.of("bench")));
  }

  private static Vertx clustered(HazelcastClusterManager manager) throws Exception {
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost("127.0.0.1").setClusterPublicHost("127.0.0.1");
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered()
      .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static MastermindNode node(String cluster, String id, List<String> roles, int port, int seed) throws Exception {
    JsonObject settings = new JsonObject().put("nodeId", id).put("clusterName", cluster + "-mm")
      .put("roles", new JsonArray(roles))
      .put("cluster", new JsonObject().put("enabled", true).put("port", port)
        .put("join", new JsonArray(port == seed ? List.of() : List.of("127.0.0.1:" + seed))))
      .put("worker", new JsonObject().put("cpu", 64).put("memory", 1024));
    return MastermindNode.startClustered(NodeSettings.of(null, settings), new VertxOptions())
      .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** Completes once a worker has joined the leader (polled on a Vert.x timer, at most 30 s). */
  private static void awaitWorker(Vertx vertx, CoordinatorClient client) throws Exception {
    io.vertx.core.Promise<Void> joined = io.vertx.core.Promise.promise();
    long deadline = System.currentTimeMillis() + 30_000;
    vertx.setPeriodic(100, timer -> client.cluster().onSuccess(cluster -> {
      if (cluster.getJsonObject("nodes").getInteger("healthy", 0) > 0 && joined.tryComplete()) {
        vertx.cancelTimer(timer);
      } else if (System.currentTimeMillis() > deadline && joined.tryFail("no worker joined")) {
        vertx.cancelTimer(timer);
      }
    }));
    joined.future().toCompletionStage().toCompletableFuture().get(40, TimeUnit.SECONDS);
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }

  private ThroughputBench() {
  }
}
