package io.mastermind.security;

import io.mastermind.cluster.ClusterOptions;
import io.mastermind.cluster.HazelcastConfigFactory;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.MessageType;
import io.mastermind.security.SecureChannel.Author;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Channels on three clustered Vert.x instances in one JVM (Hazelcast on loopback), so every message
 * crosses the wire through the codec: {@code leader} and {@code other} hold the cluster secret,
 * {@code worker} only the node key of w1.
 */
@DisplayName("SecureChannel between clustered nodes: signed traffic passes, and every kind of forgery is refused")
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecureChannelClusterTest {

  private static final String SECRET = "channel-test-secret-" + UUID.randomUUID();
  private static final DeliveryOptions FAST = new DeliveryOptions().setSendTimeout(5_000);

  private final String cluster = "mm-channel-" + UUID.randomUUID();
  private Vertx leader;
  private Vertx other;
  private Vertx worker;
  private ClusterSecurity leaderSecurity;
  private ClusterSecurity workerSecurity;

  @BeforeAll
  void startNodes() throws Exception {
    int seed = freePort();
    leader = clustered("c1", seed, seed);
    other = clustered("c2", freePort(), seed);
    worker = clustered("w1", freePort(), seed);
    leaderSecurity = ClusterSecurity.signing(EnvelopeSigner.master(SECRET), "c1", 30_000).install(leader);
    ClusterSecurity.signing(EnvelopeSigner.master(SECRET), "c2", 30_000).install(other);
    workerSecurity = ClusterSecurity.signing(EnvelopeSigner.node("w1", EnvelopeSigner.nodeKeyHex(SECRET, "w1")), "w1", 30_000)
      .install(worker);
  }

  @AfterAll
  void stopNodes() throws Exception {
    for (Vertx vertx : new Vertx[] {worker, other, leader}) {
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  private Vertx clustered(String id, int port, int seed) throws Exception {
    ClusterOptions options = new ClusterOptions().setEnabled(true).setName(cluster).setPort(port)
      .setJoin(port == seed ? List.of() : List.of("127.0.0.1:" + seed));
    VertxOptions vertxOptions = new VertxOptions();
    vertxOptions.getEventBusOptions().setHost("127.0.0.1").setClusterPublicHost("127.0.0.1");
    return Vertx.builder().with(vertxOptions)
      .withClusterManager(new HazelcastClusterManager(HazelcastConfigFactory.create(options, id, Set.of())))
      .buildClustered().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  private static Throwable failure(Future<?> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().handle((ok, err) -> err).get(15, TimeUnit.SECONDS);
  }

  private static Sealed sealed(String type, String sender, String receiver, String kid, long timestamp) {
    return new Sealed(type, sender, receiver, kid, new JsonObject().put("n", 1), timestamp,
      java.util.concurrent.ThreadLocalRandom.current().nextLong(), 0, null, Verdict.LOCAL);
  }

  @Test
  @DisplayName("a signed request reaches the other node VALID with its signer, and its signed answer comes back, headers included")
  void requestReply() throws Exception {
    String address = "test.request-reply";
    List<Opened> got = new CopyOnWriteArrayList<>();
    SecureChannel server = SecureChannel.of(other.eventBus(), "c2");
    MessageConsumer<Object> consumer = server.requests(address, m -> {
      got.add(m);
      m.reply(new JsonObject().put("echo", m.body().getInteger("x")), new DeliveryOptions().addHeader("existing", "true"));
    });
    await(consumer.completion());
    SecureChannel client = SecureChannel.of(worker.eventBus(), "w1");
    Opened answer = await(client.request(address, client.call(address, "c2", new JsonObject().put("x", 7)), FAST));
    assertThat(answer.verdict()).isEqualTo(Verdict.VALID);
    assertThat(answer.body()).isEqualTo(new JsonObject().put("echo", 7));
    assertThat(answer.headers().get("existing")).isEqualTo("true");
    assertThat(got).singleElement().satisfies(m -> {
      assertThat(m.verdict()).isEqualTo(Verdict.VALID);
      assertThat(m.kid()).isEqualTo("w1");
    });
    await(consumer.unregister());
  }

  @Test
  @DisplayName("an envelope signed by another node than its sender is WRONG_IDENTITY; one signed by its sender passes")
  void senderMustSign() throws Exception {
    String address = "test.sender-inbox";
    List<Opened> refused = new CopyOnWriteArrayList<>();
    MessageConsumer<Object> consumer = SecureChannel.of(leader.eventBus(), "c1").envelopes(address, Author.SENDER,
      Set.of(MessageType.NODE_LEAVE), m -> m.reply(new JsonObject().put("ok", true)), refused::add);
    await(consumer.completion());
    long before = leaderSecurity.refusedCount(Verdict.WRONG_IDENTITY);
    SecureChannel c2 = SecureChannel.of(other.eventBus(), "c2");
    assertThat(await(c2.request(address, c2.envelope(MessageType.NODE_LEAVE, "w1", "health", "w1", new JsonObject()), FAST))
      .body().getBoolean("ok")).as("the secret may sign as w1").isTrue();
    Throwable forged = failure(c2.request(address, c2.envelope(MessageType.NODE_LEAVE, "w1", "health", "w2", new JsonObject()), FAST));
    assertThat(ErrorCode.of(forged)).isEqualTo(ErrorCode.UNAUTHORIZED);
    Throwable wrongType = failure(c2.request(address, c2.envelope(MessageType.NODE_JOIN, "w1", "health", "w1", new JsonObject()), FAST));
    assertThat(ErrorCode.of(wrongType)).isEqualTo(ErrorCode.UNAUTHORIZED);
    assertThat(refused).extracting(Opened::verdict).containsExactly(Verdict.WRONG_IDENTITY, Verdict.WRONG_IDENTITY);
    assertThat(leaderSecurity.refusedCount(Verdict.WRONG_IDENTITY) - before).isEqualTo(2);
    await(consumer.unregister());
  }

  @Test
  @DisplayName("a node's inbox takes what is addressed to it and signed with its key, nothing signed for another node")
  void selfInbox() throws Exception {
    String address = "test.w1-inbox";
    MessageConsumer<Object> consumer = SecureChannel.of(worker.eventBus(), "w1").envelopes(address, Author.SELF,
      Set.of(MessageType.TASK_ASSIGNMENT), m -> m.reply(new JsonObject().put("accepted", 1)), null);
    await(consumer.completion());
    SecureChannel c1 = SecureChannel.of(leader.eventBus(), "c1");
    assertThat(await(c1.request(address, c1.envelope(MessageType.TASK_ASSIGNMENT, "c1", "w1", "w1", new JsonObject()), FAST))
      .body().getInteger("accepted")).isEqualTo(1);
    Throwable otherKey = failure(c1.request(address, c1.envelope(MessageType.TASK_ASSIGNMENT, "c1", "w1", "w2", new JsonObject()), FAST));
    assertThat(ErrorCode.of(otherKey)).as("signed with w2's key: w1's node key cannot check it").isEqualTo(ErrorCode.UNAUTHORIZED);
    Throwable misaddressed = failure(c1.request(address, c1.envelope(MessageType.TASK_ASSIGNMENT, "c1", "w2", "w1", new JsonObject()), FAST));
    assertThat(ErrorCode.of(misaddressed)).isEqualTo(ErrorCode.UNAUTHORIZED);
    assertThat(workerSecurity.refusedCount(Verdict.UNKNOWN_KEY)).isPositive();
    await(consumer.unregister());
  }

  @Test
  @DisplayName("the same signed message sent twice is REPLAYED the second time; one stamped outside the skew is STALE; plain JSON is UNSIGNED")
  void replayStaleUnsigned() throws Exception {
    String address = "test.replay";
    MessageConsumer<Object> consumer = SecureChannel.of(leader.eventBus(), "c1").requests(address,
      m -> m.reply(new JsonObject()));
    await(consumer.completion());
    long replayed = leaderSecurity.refusedCount(Verdict.REPLAYED);
    long stale = leaderSecurity.refusedCount(Verdict.STALE);
    long unsigned = leaderSecurity.refusedCount(Verdict.UNSIGNED);
    Sealed once = sealed(address, "c2", "c1", "c2", System.currentTimeMillis());
    await(other.eventBus().request(address, once, FAST));
    assertThat(ErrorCode.of(failure(other.eventBus().request(address, once, FAST)))).isEqualTo(ErrorCode.UNAUTHORIZED);
    Sealed old = sealed(address, "c2", "c1", "c2", System.currentTimeMillis() - 60_000);
    assertThat(ErrorCode.of(failure(other.eventBus().request(address, old, FAST)))).isEqualTo(ErrorCode.UNAUTHORIZED);
    assertThat(ErrorCode.of(failure(other.eventBus().request(address, new JsonObject(), FAST)))).isEqualTo(ErrorCode.UNAUTHORIZED);
    assertThat(leaderSecurity.refusedCount(Verdict.REPLAYED) - replayed).isEqualTo(1);
    assertThat(leaderSecurity.refusedCount(Verdict.STALE) - stale).isEqualTo(1);
    assertThat(leaderSecurity.refusedCount(Verdict.UNSIGNED) - unsigned).isEqualTo(1);
    await(consumer.unregister());
  }

  @Test
  @DisplayName("an answer that is unsigned, or signed for another request, is refused with RefusedAnswerException")
  void answersBoundToTheirRequest() throws Exception {
    String plain = "test.plain-answer";
    String stolen = "test.stolen-answer";
    SecureChannel c2 = SecureChannel.of(other.eventBus(), "c2");
    Sealed earlier = sealed(stolen, "c1", "c2", "c1", System.currentTimeMillis());
    MessageConsumer<Object> impostor = other.eventBus().consumer(plain, m -> m.reply(new JsonObject().put("fake", true)));
    MessageConsumer<Object> replayer = other.eventBus().consumer(stolen, m -> m.reply(c2.answer(earlier, new JsonObject(), null)));
    await(impostor.completion());
    await(replayer.completion());
    SecureChannel c1 = SecureChannel.of(leader.eventBus(), "c1");
    assertThat(failure(c1.request(plain, c1.call(plain, "c2", new JsonObject()), FAST))).isInstanceOf(RefusedAnswerException.class);
    assertThat(failure(c1.request(stolen, c1.call(stolen, "c2", new JsonObject()), FAST))).isInstanceOf(RefusedAnswerException.class);
    await(impostor.unregister());
    await(replayer.unregister());
  }

  @Test
  @DisplayName("a request signed for one address and delivered to another is refused")
  void boundToItsAddress() throws Exception {
    String cancel = "test.cancel";
    MessageConsumer<Object> consumer = SecureChannel.of(leader.eventBus(), "c1").requests(cancel, m -> m.reply(new JsonObject()));
    await(consumer.completion());
    SecureChannel c2 = SecureChannel.of(other.eventBus(), "c2");
    Object forGet = c2.call("test.get", "c1", new JsonObject().put("id", "t1"));
    assertThat(ErrorCode.of(failure(c2.request(cancel, forGet, FAST)))).isEqualTo(ErrorCode.UNAUTHORIZED);
    await(consumer.unregister());
  }
}
