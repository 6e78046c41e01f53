package io.mastermind.worker;

import io.mastermind.protocol.Assignment;
import io.mastermind.protocol.HeldTask;
import io.mastermind.protocol.ResultBatch;
import io.mastermind.protocol.TaskUpdate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.mastermind.worker.StandInLeader.deploy;
import static io.mastermind.worker.StandInLeader.echo;
import static io.mastermind.worker.StandInLeader.node;
import static io.mastermind.worker.StandInLeader.quiet;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
@DisplayName("WorkerVerticle's reports travel in full batches, a bounded number at a time, with progress coalesced")
class WorkerReportsTest extends WithStandInLeader {

  private static final String NODE = "worker-3";

  @Test
  @DisplayName("256 pending reports leave at once, without waiting for the batch delay")
  void fullBatchLeavesAtOnce(Vertx vertx, VertxTestContext testContext) {
    Assignment[] tasks = IntStream.range(0, 2 * Outbox.MAX_BATCH).mapToObj(i -> echo("e" + i, i)).toArray(Assignment[]::new);
    WorkerOptions options = quiet().setResultBatchDelayMs(60_000).setRunningReportDelayMs(60_000);
    deploy(vertx, node(NODE, 2, 1_024), options)
      .compose(id -> leader.assign(NODE, 1, tasks))
      .compose(answer -> leader.when(() -> leader.updates().size() >= tasks.length ? leader.batches() : null))
      .onComplete(testContext.succeeding(batches -> testContext.verify(() -> {
        assertThat(batches).extracting(b -> b.updates().size()).containsExactly(Outbox.MAX_BATCH, Outbox.MAX_BATCH);
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("no more than MAX_IN_FLIGHT result_updates are in flight: the next full batch leaves when an answer comes")
  void boundedInFlight(Vertx vertx, VertxTestContext testContext) {
    int total = (Outbox.MAX_IN_FLIGHT + 2) * Outbox.MAX_BATCH;
    List<Message<JsonObject>> unanswered = new CopyOnWriteArrayList<>();
    leader.onResults = (batch, message) -> unanswered.add(message);
    Assignment[] tasks = IntStream.range(0, total).mapToObj(i -> echo("e" + i, i)).toArray(Assignment[]::new);
    WorkerOptions options = quiet().setResultBatchDelayMs(60_000).setRunningReportDelayMs(60_000)
      .setOutcomeResendMs(60_000);
    deploy(vertx, node(NODE, 2, 1_024), options)
      .compose(id -> leader.assign(NODE, 1, tasks))
      .compose(answer -> rejoinUntilHolding(total, 2))
      .compose(allFinished -> {
        testContext.verify(() -> assertThat(leader.batches()).hasSize(Outbox.MAX_IN_FLIGHT));
        Message<JsonObject> first = unanswered.get(0);
        first.reply(StandInLeader.ackAll(ResultBatch.fromJson(first.body().getJsonObject("payload"))).toJson());
        return leader.when(() -> leader.batches().size() > Outbox.MAX_IN_FLIGHT ? leader.batches() : null);
      })
      .onComplete(testContext.succeeding(batches -> testContext.verify(() -> {
        assertThat(batches).hasSize(Outbox.MAX_IN_FLIGHT + 1).allMatch(b -> b.updates().size() == Outbox.MAX_BATCH);
        testContext.completeNow();
      })));
  }

  /** Asks the worker to rejoin until it lists {@code count} held tasks, all finished: every outcome is in its outbox. */
  private Future<Void> rejoinUntilHolding(int count, int join) {
    leader.announce();
    return leader.join(join).compose(rejoin -> rejoin.held().size() == count && rejoin.held().stream().allMatch(HeldTask::finished)
      ? Future.succeededFuture() : rejoinUntilHolding(count, join + 1));
  }

  @Test
  @DisplayName("progress is coalesced: at most one progress per task in a batch, the latest, after running and before the outcome")
  void progressIsCoalesced(Vertx vertx, VertxTestContext testContext) {
    int epochs = 50_000;
    JsonObject data = new JsonObject().put("x", List.of(List.of(1.0), List.of(2.0), List.of(3.0)))
      .put("y", List.of(2.0, 4.0, 6.0)).put("epochs", epochs).put("learningRate", 0.01);
    WorkerOptions options = quiet().setProgressIntervalMs(0).setRunningReportDelayMs(0).setResultBatchDelayMs(20);
    deploy(vertx, node(NODE, 1, 1_024), options)
      .compose(id -> leader.assign(NODE, 1, StandInLeader.task("fit", 1, "ml_training", "linear-regression", data, 1, 0)))
      .compose(answer -> leader.outcome("fit"))
      .onComplete(testContext.succeeding(outcome -> testContext.verify(() -> {
        assertThat(outcome.status()).isEqualTo(TaskUpdate.SUCCEEDED);
        for (ResultBatch batch : leader.batches()) {
          assertThat(batch.updates().stream().filter(u -> u.status().equals(TaskUpdate.PROGRESS))).hasSizeLessThanOrEqualTo(1);
        }
        List<TaskUpdate> updates = leader.updatesOf("fit");
        assertThat(updates.get(0).status()).isEqualTo(TaskUpdate.RUNNING);
        assertThat(updates.get(updates.size() - 1)).isEqualTo(outcome);
        List<Double> progress = updates.stream().filter(u -> u.status().equals(TaskUpdate.PROGRESS))
          .map(TaskUpdate::progress).toList();
        assertThat(progress).isSorted().hasSizeLessThan(epochs).last().isEqualTo(1.0);
        testContext.completeNow();
      })));
  }
}
