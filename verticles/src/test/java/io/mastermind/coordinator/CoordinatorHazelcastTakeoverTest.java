package io.mastermind.coordinator;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.mastermind.cluster.ClusterOptions;
import io.mastermind.cluster.HazelcastConfigFactory;
import io.mastermind.cluster.HazelcastTaskStore;
import io.mastermind.protocol.Event;
import io.mastermind.protocol.EventNames;
import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskSpec;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.mastermind.coordinator.LeaderFixtures.client;
import static io.mastermind.coordinator.LeaderFixtures.deploy;
import static io.mastermind.coordinator.LeaderFixtures.echo;
import static org.assertj.core.api.Assertions.assertThat;

/** A record the store cannot read is skipped and reported; it never keeps a coordinator from leading. */
@ExtendWith(VertxExtension.class)
class CoordinatorHazelcastTakeoverTest {

  private static final String GARBAGE_KEY = "flush-1";

  private HazelcastInstance hazelcast;

  @AfterEach
  void shutdownHazelcast() {
    if (hazelcast != null) {
      hazelcast.shutdown();
    }
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  @DisplayName("with a garbage flush in the Hazelcast task map, load reports it apart, and the coordinator still leads and alerts undecodable_records")
  void undecodableRecordDoesNotBlockTakeover(Vertx vertx, VertxTestContext test) throws IOException {
    ClusterOptions cluster = new ClusterOptions().setName("leader-test-" + UUID.randomUUID())
      .setHost("127.0.0.1").setPort(freePort());
    hazelcast = Hazelcast.newHazelcastInstance(HazelcastConfigFactory.create(cluster, "c1", Set.of("coordinator")));
    IMap<Long, String> flushes = hazelcast.getMap(HazelcastConfigFactory.TASK_BATCHES_MAP);
    TaskRecord valid = TaskRecord.queued(TaskSpec.fromJson(echo("valid-1")), System.currentTimeMillis());
    flushes.put(1L, "{not a flush of task records");
    flushes.put(3L << 40, new io.vertx.core.json.JsonObject().put("epoch", 3)
      .put("records", new io.vertx.core.json.JsonArray().add(valid.toStoreJson())).encode());

    HazelcastTaskStore store = new HazelcastTaskStore(vertx, hazelcast);
    CoordinatorClient client = client(vertx);
    EventLog events = new EventLog(vertx);

    store.load()
      .compose(stored -> {
        test.verify(() -> {
          assertThat(stored.undecodable()).containsExactly(GARBAGE_KEY);
          assertThat(stored.records()).extracting(TaskRecord::id).containsExactly("valid-1");
          assertThat(stored.highestEpoch()).isEqualTo(3);
        });
        return events.ready();
      })
      .compose(v -> deploy(vertx, store))
      .compose(id -> client.cluster())
      .compose(summary -> {
        test.verify(() -> assertThat(summary.getJsonObject("leader").getLong("epoch")).isGreaterThanOrEqualTo(4));
        return client.get("valid-1");
      })
      .compose(record -> {
        test.verify(() -> {
          assertThat(record.getString("id")).isEqualTo("valid-1");
          assertThat(record.getString("status")).isEqualTo("queued");
        });
        return events.until(list -> list.stream().anyMatch(CoordinatorHazelcastTakeoverTest::isUndecodableAlert));
      })
      .compose(list -> {
        Event alert = list.stream().filter(CoordinatorHazelcastTakeoverTest::isUndecodableAlert).findFirst().orElseThrow();
        test.verify(() -> {
          assertThat(alert.data().getInteger("count")).isEqualTo(1);
          assertThat(alert.data().getJsonArray("ids").getList()).containsExactly(GARBAGE_KEY);
        });
        return vertx.executeBlocking(() -> {
          hazelcast.shutdown();
          return null;
        });
      })
      .onComplete(test.succeedingThenComplete());
  }

  private static boolean isUndecodableAlert(Event e) {
    return EventNames.ALERT.equals(e.event()) && "undecodable_records".equals(e.data().getString("kind"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
