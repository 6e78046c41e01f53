package io.mastermind.coordinator;

import io.mastermind.protocol.EventNames;
import io.mastermind.protocol.HeldTask;
import io.mastermind.protocol.ResultAck;
import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.store.InMemoryTaskStore;
import io.mastermind.store.StoreBatch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.mastermind.coordinator.LeaderFixtures.client;
import static io.mastermind.coordinator.LeaderFixtures.echo;
import static io.mastermind.coordinator.LeaderFixtures.eventually;
import static io.mastermind.coordinator.LeaderFixtures.options;
import static io.mastermind.coordinator.LeaderFixtures.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/** After a takeover: a worker that held tasks of the old leader gets them claimed back, whatever reaches the new leader first. */
@ExtendWith(VertxExtension.class)
class CoordinatorRejoinTest {

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @DisplayName("an outcome resent to the new leader before its node's join is acked, the task ends once at attempt 1, and the join that follows changes nothing")
  void outcomeBeforeJoinIsClaimed(Vertx vertx, VertxTestContext test) {
    CoordinatorClient client = client(vertx);
    StandInWorker worker = new StandInWorker(vertx, "w1", 2, 0);
    EventLog events = new EventLog(vertx);
    InMemoryTaskStore store = new InMemoryTaskStore();
    long now = System.currentTimeMillis();
    // what the old leader stored: r-1 placed on w1 (attempt 1) and started there
    TaskRecord running = TaskRecord.queued(TaskSpec.fromJson(echo("r-1")), now - 1_000).scheduled("w1").running(now - 500);
    CoordinatorOptions options = options().setRejoinGraceMs(60_000); // only the join may end the wait

    Future.all(events.ready(), worker.ready())
      .compose(v -> store.write(new StoreBatch(7, List.of(running), Set.of())))
      .compose(v -> vertx.deployVerticle(new CoordinatorVerticle(options, store, new StandInClusterView(Set.of("w1")), "c1")))
      .compose(id -> worker.report(succeeded("r-1", 1, now - 500, now, "ok")))
      .compose(ack -> {
        test.verify(() -> assertThat(ack).isEqualTo(new ResultAck(List.of("r-1"), List.of())));
        return worker.join(List.of(new HeldTask("r-1", 1, true, true)), 7);
      })
      .compose(reply -> eventually(vertx, () -> client.get("r-1"), r -> "succeeded".equals(r.getString("status")), 5_000))
      .compose(record -> {
        test.verify(() -> {
          assertThat(record.getInteger("attempts")).isEqualTo(1);
          assertThat(record.getString("result")).isEqualTo("ok");
        });
        return events.seen(EventNames.TASK_COMPLETED, "r-1");
      })
      .onComplete(test.succeeding(seen -> test.verify(() -> {
        assertThat(events.namesOf("r-1")).containsOnlyOnce(EventNames.TASK_COMPLETED);
        assertThat(events.namesOf("r-1")).doesNotContain(EventNames.TASK_SCHEDULED);
        test.completeNow();
      })));
  }
}
