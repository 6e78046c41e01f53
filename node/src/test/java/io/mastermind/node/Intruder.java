package io.mastermind.node;

import io.mastermind.cluster.ClusterOptions;
import io.mastermind.cluster.HazelcastConfigFactory;
import io.mastermind.security.ClusterSecurity;
import io.mastermind.security.Sealed;
import io.mastermind.security.Verdict;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A cluster member in the test JVM that joins the nodes' Hazelcast cluster and event bus as anyone
 * could who reaches the cluster port and knows the cluster name, and then sends what it likes: plain
 * JSON, or sealed messages signed with whatever key it holds (a wrong secret, or a node key of its own).
 */
final class Intruder implements AutoCloseable {

  final Vertx vertx;

  private Intruder(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Joins via the seed; {@code security} (a signing one) signs the sealed messages it sends. */
  static Intruder join(String clusterName, int seedPort, String id, ClusterSecurity security) throws Exception {
    ClusterOptions options = new ClusterOptions().setEnabled(true).setName(clusterName).setPort(NodeProcess.freePort())
      .setJoin(List.of("127.0.0.1:" + seedPort));
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastConfigFactory.create(options, id, Set.of("worker")));
    VertxOptions vertxOptions = new VertxOptions();
    vertxOptions.getEventBusOptions().setHost("127.0.0.1").setClusterPublicHost("127.0.0.1");
    Vertx vertx = Vertx.builder().with(vertxOptions).withClusterManager(manager).buildClustered()
      .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    security.install(vertx);
    return new Intruder(vertx);
  }

  /** A sealed message as the codec will sign it with {@code kid}'s key, if this member holds it. */
  static Sealed sealed(String type, String sender, String receiver, String kid, JsonObject payload) {
    return new Sealed(type, sender, receiver, kid, payload, System.currentTimeMillis(), ThreadLocalRandom.current().nextLong(),
      0, null, Verdict.LOCAL);
  }

  /** A control-plane envelope as plain JSON, as every node sent before node authentication. */
  static JsonObject plain(String type, String sender, String receiver, JsonObject payload) {
    return new JsonObject().put("type", type).put("sender", sender).put("receiver", receiver).put("payload", payload)
      .put("timestamp", System.currentTimeMillis());
  }

  /** Request-reply; the answer or the failure, whichever comes (never throws). */
  Future<Message<Object>> request(String address, Object body) {
    return vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(5_000));
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
