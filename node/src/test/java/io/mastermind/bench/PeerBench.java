package io.mastermind.bench;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import io.mastermind.cluster.ClusterOptions;
import io.mastermind.cluster.HazelcastConfigFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.Serializable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The baselines of {@code scripts/bench.sh throughput}, between two separate JVMs on loopback, each a
 * clustered Vert.x with the Hazelcast cluster manager configured as a Mastermind node's (one interface,
 * 127.0.0.1; multicast and auto-detection off; TCP/IP join; phone-home off; a unique cluster name):
 * <ul>
 *   <li>{@code member}: the passive JVM. Answers {@code bench.echo} requests and runs the no-op tasks.</li>
 *   <li>{@code driver}: joins the member, then measures, each after its own warm-up, with a fixed window
 *   in flight: (peer) Hazelcast {@code IExecutorService.submitToMember} of a no-op {@code Callable} to the
 *   member, completion seen by an asynchronous callback; (raw) clustered event-bus request-reply to the
 *   member's consumer. Prints one {@code RESULT} line per measurement.</li>
 * </ul>
 * <pre>
 * PeerBench member --cluster NAME --port P [--join 127.0.0.1:S]
 * PeerBench driver --cluster NAME --port P --join 127.0.0.1:S [--warmup 5] [--seconds 10] [--window 256]
 *                  [--what peer,raw]
 * </pre>
 */
public final class PeerBench {

  static final String ECHO = "bench.echo";
  static final String EXECUTOR = "bench.peer";

  /** A task that does nothing: what Hazelcast's executor itself costs per task. */
  public static final class Noop implements Callable<Integer>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer call() {
      return 1;
    }
  }

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "";
    String cluster = BenchSupport.arg(args, "--cluster", null);
    int port = BenchSupport.intArg(args, "--port", 0);
    String join = BenchSupport.arg(args, "--join", null);
    if (!mode.equals("member") && !mode.equals("driver") || cluster == null || port == 0) {
      System.err.println("usage: PeerBench member|driver --cluster NAME --port P [--join HOST:PORT] ...");
      System.exit(2);
    }
    HazelcastClusterManager manager = manager(cluster, mode + "-" + port, port, join);
    Vertx vertx = clustered(manager);
    if (mode.equals("member")) {
      vertx.eventBus().<JsonObject>consumer(ECHO, m -> m.reply(m.body())).completion()
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      System.out.println("bench member ready on 127.0.0.1:" + port);
      System.out.flush();
      // runs until the script ends it
      new CountDownLatch(1).await();
      return;
    }
    int warmup = BenchSupport.intArg(args, "--warmup", 5);
    int seconds = BenchSupport.intArg(args, "--seconds", 10);
    int window = BenchSupport.intArg(args, "--window", 256);
    String what = BenchSupport.arg(args, "--what", "peer,raw");
    HazelcastInstance hz = manager.getHazelcastInstance();
    Member other = awaitOther(hz);
    if (what.contains("peer")) {
      IExecutorService executor = hz.getExecutorService(EXECUTOR);
      Noop noop = new Noop();
      BenchSupport.Measured peer = BenchSupport.closedLoop("peer (Hazelcast IExecutorService no-op)", window, warmup,
        seconds, Runnable::run, done -> executor.submitToMember(noop, other, new ExecutionCallback<Integer>() {
          @Override
          public void onResponse(Integer response) {
            done.accept(true);
          }

          @Override
          public void onFailure(Throwable t) {
            done.accept(false);
          }
        }));
      BenchSupport.result(peer.toJson("peer"));
    }
    if (what.contains("raw")) {
      awaitEcho(vertx);
      JsonObject payload = new JsonObject().put("hello", "world").put("n", 42);
      DeliveryOptions options = new DeliveryOptions().setSendTimeout(30_000);
      BenchSupport.Measured raw = BenchSupport.closedLoop("raw (clustered event bus request-reply)", window, warmup,
        seconds, r -> vertx.runOnContext(v -> r.run()),
        done -> vertx.eventBus().request(ECHO, payload, options).onComplete(ar -> done.accept(ar.succeeded())));
      BenchSupport.result(raw.toJson("raw"));
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.exit(0);
  }

  /** The other member, once it is in this member's view (at most 60 s). */
  private static Member awaitOther(HazelcastInstance hz) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (Member m : hz.getCluster().getMembers()) {
        if (!m.localMember()) {
          return m;
        }
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new IllegalStateException("the other member never joined");
  }

  /** Until the member's echo consumer is reachable (its registration has propagated), at most 60 s. */
  private static void awaitEcho(Vertx vertx) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        vertx.eventBus().request(ECHO, new JsonObject(), new DeliveryOptions().setSendTimeout(2_000))
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        last = e;
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
    throw new IllegalStateException("the member's " + ECHO + " consumer never answered", last);
  }

  private static HazelcastClusterManager manager(String cluster, String id, int port, String join) {
    ClusterOptions options = new ClusterOptions().setName(cluster).setHost("127.0.0.1").setPort(port)
      .setJoin(join == null ? List.of() : List.of(join));
    return new HazelcastClusterManager(HazelcastConfigFactory.create(options, id, Set.of("bench")));
  }

  private static Vertx clustered(HazelcastClusterManager manager) throws Exception {
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost("127.0.0.1").setClusterPublicHost("127.0.0.1");
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered()
      .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private PeerBench() {
  }
}
