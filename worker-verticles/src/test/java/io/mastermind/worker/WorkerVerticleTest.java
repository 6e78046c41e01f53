package io.mastermind.worker;

import io.mastermind.protocol.Assignment;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.HeldTask;
import io.mastermind.protocol.JoinReply;
import io.mastermind.protocol.MessageType;
import io.mastermind.protocol.ResultAck;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.protocol.ResultBatch;
import io.mastermind.protocol.TaskUpdate;
import io.mastermind.worker.spi.TaskHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.Json;
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
import static io.mastermind.worker.StandInLeader.sleep;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
@DisplayName("WorkerVerticle runs assignment batches and reports to a stand-in leader in result batches")
class WorkerVerticleTest extends WithStandInLeader {

  private static final String NODE = "worker-1";

  @Test
  @DisplayName("20 echo tasks: every outcome arrives, in a few result_updates, with its start time and no running report")
  void batchOfEchoTasks(Vertx vertx, VertxTestContext testContext) {
    Assignment[] tasks = IntStream.range(0, 20).mapToObj(i -> echo("echo-" + i, new JsonObject().put("i", i)))
      .toArray(Assignment[]::new);
    // generous delays: on a loaded machine (or a cold JVM) even an echo may take a while
    WorkerOptions options = quiet().setResultBatchDelayMs(50).setRunningReportDelayMs(1_000);
    deploy(vertx, node(NODE, 4, 1_024), options)
      .compose(id -> leader.assign(NODE, 1, tasks))
      .compose(answer -> {
        testContext.verify(() -> assertThat(answer.getInteger("accepted")).isEqualTo(20));
        return leader.when(() -> leader.updates().size() >= 20 ? leader.updates() : null);
      })
      .onComplete(testContext.succeeding(updates -> testContext.verify(() -> {
        assertThat(updates).hasSize(20).allMatch(TaskUpdate::isOutcome, "is an outcome");
        for (int i = 0; i < 20; i++) {
          TaskUpdate outcome = leader.updatesOf("echo-" + i).get(0);
          assertThat(outcome.status()).isEqualTo(TaskUpdate.SUCCEEDED);
          assertThat(outcome.result()).isEqualTo(new JsonObject().put("i", i));
          assertThat(outcome.startedAt()).isNotNull().isLessThanOrEqualTo(outcome.at());
        }
        assertThat(leader.batches()).hasSizeLessThanOrEqualTo(5);
        testContext.completeNow();
      })));
  }

  /** Answers with the name of the thread it ran on; non-blocking or not, as told. */
  private static TaskHandler whereAmI(String function, boolean nonBlocking) {
    return new TaskHandler() {
      @Override
      public String function() {
        return function;
      }

      @Override
      public java.util.Set<String> types() {
        return java.util.Set.of("*");
      }

      @Override
      public Object handle(Object data, io.mastermind.worker.spi.TaskContext context) {
        return Thread.currentThread().getName();
      }

      @Override
      public boolean nonBlocking() {
        return nonBlocking;
      }
    };
  }

  @Test
  @DisplayName("a non-blocking handler runs on the worker's event loop, any other on a task thread; both report the same way")
  void nonBlockingHandlersRunOnTheEventLoop(Vertx vertx, VertxTestContext testContext) {
    HandlerRegistry handlers = new HandlerRegistry(java.util.List.of(whereAmI("inline", true), whereAmI("threaded", false)));
    WorkerOptions options = quiet().setResultBatchDelayMs(10);
    vertx.deployVerticle(new WorkerVerticle(node(NODE, 2, 1_024), options, handlers))
      .compose(id -> leader.assign(NODE, 1,
        StandInLeader.task("in-1", 1, "compute", "inline", null, 1, 0),
        StandInLeader.task("th-1", 1, "compute", "threaded", null, 1, 0)))
      .compose(answer -> leader.when(() -> leader.updates().stream().filter(TaskUpdate::isOutcome).count() >= 2 ? leader.updates() : null))
      .onComplete(testContext.succeeding(updates -> testContext.verify(() -> {
        TaskUpdate inline = leader.updatesOf("in-1").stream().filter(TaskUpdate::isOutcome).findFirst().orElseThrow();
        TaskUpdate threaded = leader.updatesOf("th-1").stream().filter(TaskUpdate::isOutcome).findFirst().orElseThrow();
        assertThat(inline.status()).isEqualTo(TaskUpdate.SUCCEEDED);
        assertThat(threaded.status()).isEqualTo(TaskUpdate.SUCCEEDED);
        assertThat((String) inline.result()).startsWith("vert.x-eventloop-thread");
        assertThat((String) threaded.result()).startsWith("mastermind-task-" + NODE);
        assertThat(inline.startedAt()).isNotNull();
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("a batch of non-blocking tasks runs in one turn: all outcomes leave in one result_update, without the batch delay, progress first")
  void nonBlockingBatchLeavesTogether(Vertx vertx, VertxTestContext testContext) {
    TaskHandler halfway = new TaskHandler() {
      @Override
      public String function() {
        return "halfway";
      }

      @Override
      public java.util.Set<String> types() {
        return java.util.Set.of("*");
      }

      @Override
      public Object handle(Object data, io.mastermind.worker.spi.TaskContext context) {
        context.reportProgress(0.5);
        return "done";
      }

      @Override
      public boolean nonBlocking() {
        return true;
      }
    };
    HandlerRegistry handlers = new HandlerRegistry(java.util.List.of(halfway));
    WorkerOptions options = quiet().setResultBatchDelayMs(60_000); // only the end of the turn can send them
    Assignment[] tasks = new Assignment[20];
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] = StandInLeader.task("nb-" + i, 1, "compute", "halfway", null, 1, 0); // 1 core each, 2 cores: 2 slots
    }
    vertx.deployVerticle(new WorkerVerticle(node(NODE, 2, 1_024), options, handlers))
      .compose(id -> leader.assign(NODE, 1, tasks))
      .compose(answer -> leader.when(() -> leader.updates().stream().filter(TaskUpdate::isOutcome).count() >= tasks.length
        ? leader.batches() : null))
      .onComplete(testContext.succeeding(batches -> testContext.verify(() -> {
        List<ResultBatch> withOutcomes = batches.stream().filter(b -> b.updates().stream().anyMatch(TaskUpdate::isOutcome)).toList();
        assertThat(withOutcomes).hasSize(1);
        assertThat(withOutcomes.get(0).updates().stream().filter(TaskUpdate::isOutcome).count()).isEqualTo(tasks.length);
        for (int i = 0; i < tasks.length; i++) {
          assertThat(leader.updatesOf("nb-" + i)).extracting(TaskUpdate::status)
            .containsExactly(TaskUpdate.PROGRESS, TaskUpdate.SUCCEEDED);
        }
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("a 300 ms sleep is reported running (at its start time), then succeeded with the same start time")
  void longTaskReportsRunningFirst(Vertx vertx, VertxTestContext testContext) {
    deploy(vertx, node(NODE, 1, 1_024), quiet())
      .compose(id -> leader.assign(NODE, 1, sleep("nap", 300)))
      .compose(answer -> leader.outcome("nap"))
      .onComplete(testContext.succeeding(outcome -> testContext.verify(() -> {
        List<TaskUpdate> updates = leader.updatesOf("nap");
        TaskUpdate running = updates.get(0);
        assertThat(running.status()).isEqualTo(TaskUpdate.RUNNING);
        assertThat(running.startedAt()).isNotNull().isEqualTo(running.at());
        assertThat(updates.subList(1, updates.size() - 1)).extracting(TaskUpdate::status).containsOnly(TaskUpdate.PROGRESS);
        assertThat(updates.get(updates.size() - 1)).isEqualTo(outcome);
        assertThat(outcome.status()).isEqualTo(TaskUpdate.SUCCEEDED);
        assertThat(outcome.result()).isEqualTo(new JsonObject().put("sleptMs", 300));
        assertThat(outcome.startedAt()).isEqualTo(running.startedAt());
        assertThat(outcome.at() - outcome.startedAt()).isGreaterThanOrEqualTo(300);
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("a task past its timeout ends timed_out; a function the node lacks fails UNKNOWN_FUNCTION, not retryable")
  void timeoutAndUnknownFunction(Vertx vertx, VertxTestContext testContext) {
    JsonObject timed = new JsonObject().put("id", "slow").put("type", "io_bound").put("timeout", 100)
      .put("payload", new JsonObject().put("function", "sleep").put("data", new JsonObject().put("ms", 10_000)));
    deploy(vertx, node(NODE, 2, 1_024), quiet())
      .compose(id -> leader.assign(NODE, 1, new Assignment(TaskSpec.fromJson(timed), 1),
        StandInLeader.task("nope", 1, "compute", "no-such-function", 1, 1, 0)))
      .compose(answer -> Future.all(leader.outcome("slow"), leader.outcome("nope")))
      .onComplete(testContext.succeeding(both -> testContext.verify(() -> {
        TaskUpdate timedOut = both.resultAt(0);
        assertThat(timedOut.status()).isEqualTo(TaskUpdate.TIMED_OUT);
        assertThat(timedOut.at() - timedOut.startedAt()).isGreaterThanOrEqualTo(100).isLessThan(10_000);
        TaskUpdate unknown = both.resultAt(1);
        assertThat(unknown.status()).isEqualTo(TaskUpdate.FAILED);
        assertThat(unknown.error().code()).isEqualTo(ErrorCode.UNKNOWN_FUNCTION.name());
        assertThat(unknown.retryable()).isFalse();
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("a 1-cpu node given two 1-cpu sleeps runs them one after the other")
  void cpuGateSerialises(Vertx vertx, VertxTestContext testContext) {
    deploy(vertx, node(NODE, 1, 1_024), quiet())
      .compose(id -> leader.assign(NODE, 1, sleep("first", 150), sleep("second", 150)))
      .compose(answer -> Future.all(leader.outcome("first"), leader.outcome("second")))
      .onComplete(testContext.succeeding(both -> testContext.verify(() -> {
        TaskUpdate first = both.resultAt(0);
        TaskUpdate second = both.resultAt(1);
        assertThat(first.status()).isEqualTo(TaskUpdate.SUCCEEDED);
        assertThat(second.status()).isEqualTo(TaskUpdate.SUCCEEDED);
        assertThat(second.startedAt()).isGreaterThanOrEqualTo(first.at());
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("memory gates too: two 600 MB tasks on a 1000 MB, 2-cpu node run in turn, two 400 MB ones together")
  void memoryGate(Vertx vertx, VertxTestContext testContext) {
    deploy(vertx, node(NODE, 2, 1_000), quiet())
      .compose(id -> leader.assign(NODE, 1, sleep("a", 1, 150, 1, 600), sleep("b", 1, 150, 1, 600),
        sleep("c", 1, 300, 1, 400), sleep("d", 1, 300, 1, 400)))
      .compose(answer -> Future.all(List.of(leader.outcome("a"), leader.outcome("b"), leader.outcome("c"),
        leader.outcome("d"))))
      .onComplete(testContext.succeeding(all -> testContext.verify(() -> {
        TaskUpdate a = all.resultAt(0);
        TaskUpdate b = all.resultAt(1);
        TaskUpdate c = all.resultAt(2);
        TaskUpdate d = all.resultAt(3);
        assertThat(b.startedAt()).as("b waits for a's memory").isGreaterThanOrEqualTo(a.at());
        assertThat(d.startedAt()).as("c and d fit together").isLessThan(c.at());
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("an outcome is resent, with growing pauses, until acknowledged; then the worker no longer holds it")
  void outcomeResentUntilAcknowledged(Vertx vertx, VertxTestContext testContext) {
    List<Long> receipts = new CopyOnWriteArrayList<>();
    leader.onResults = (batch, message) -> {
      if (batch.updates().stream().noneMatch(u -> u.taskId().equals("r") && u.isOutcome())) {
        message.reply(StandInLeader.ackAll(batch).toJson());
        return;
      }
      receipts.add(System.nanoTime());
      switch (receipts.size()) {
        case 1 -> message.fail(ErrorCode.UNAVAILABLE.failureCode(), "store not reachable");
        case 2 -> message.reply(new ResultAck(List.of(), List.of()).toJson());
        default -> message.reply(StandInLeader.ackAll(batch).toJson());
      }
    };
    deploy(vertx, node(NODE, 1, 1_024), quiet().setOutcomeResendMs(50))
      .compose(id -> leader.assign(NODE, 1, echo("r", "hello")))
      .compose(answer -> leader.when(() -> leader.outcomesOf("r").size() >= 3 ? true : null))
      .compose(acked -> {
        leader.announce();
        return leader.join(2);
      })
      .onComplete(testContext.succeeding(rejoin -> testContext.verify(() -> {
        assertThat(rejoin.held()).isEmpty();
        assertThat(receipts).hasSize(3);
        assertThat(receipts.get(1) - receipts.get(0)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(receipts.get(2) - receipts.get(1)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(leader.outcomesOf("r")).extracting(TaskUpdate::status).containsOnly(TaskUpdate.SUCCEEDED);
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("an outcome the leader refuses is dropped: sent once, no longer held")
  void refusedOutcomeIsDropped(Vertx vertx, VertxTestContext testContext) {
    leader.onResults = (batch, message) -> message.reply(new ResultAck(List.of(), List.of("stale")).toJson());
    deploy(vertx, node(NODE, 1, 1_024), quiet().setOutcomeResendMs(50))
      .compose(id -> leader.assign(NODE, 1, echo("stale", 1)))
      .compose(answer -> leader.outcome("stale"))
      .compose(outcome -> {
        leader.announce();
        return leader.join(2);
      })
      .onComplete(testContext.succeeding(rejoin -> testContext.verify(() -> {
        assertThat(rejoin.held()).isEmpty();
        assertThat(leader.outcomesOf("stale")).hasSize(1);
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("a batch from an epoch older than the highest seen is refused with CONFLICT; newer epochs are taken")
  void staleEpochRefused(Vertx vertx, VertxTestContext testContext) {
    leader.onJoin = join -> new JoinReply("leader", 3, List.of());
    deploy(vertx, node(NODE, 1, 1_024), quiet())
      .compose(id -> leader.assign(NODE, 2, echo("old", 1)).transform(refused -> {
        testContext.verify(() -> assertConflict(refused.cause(), "assignment from epoch 2 refused: the leader's epoch is 3"));
        return leader.assign(NODE, 4, echo("new", 1));
      }))
      .compose(accepted -> leader.assign(NODE, 3, echo("older", 1)).transform(refused -> {
        testContext.verify(() -> assertConflict(refused.cause(), "assignment from epoch 3 refused: the leader's epoch is 4"));
        return leader.outcome("new");
      }))
      .onComplete(testContext.succeeding(outcome -> testContext.verify(() -> {
        assertThat(outcome.status()).isEqualTo(TaskUpdate.SUCCEEDED);
        assertThat(leader.updatesOf("old")).isEmpty();
        assertThat(leader.updatesOf("older")).isEmpty();
        testContext.completeNow();
      })));
  }

  private static void assertConflict(Throwable failure, String message) {
    assertThat(failure).isInstanceOf(ReplyException.class).hasMessage(message);
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(ErrorCode.CONFLICT.failureCode());
  }

  @Test
  @DisplayName("task_cancel withdraws a waiting task silently (known=false) and stops a running one (known=true, then cancelled)")
  void cancelWaitingAndRunning(Vertx vertx, VertxTestContext testContext) {
    deploy(vertx, node(NODE, 1, 1_024), quiet())
      .compose(id -> leader.assign(NODE, 1, sleep("running", 10_000), sleep("waiting", 10_000), echo("after", 1)))
      .compose(answer -> leader.update("running", TaskUpdate.RUNNING))
      .compose(running -> Future.all(List.of(cancel("waiting", 1), cancel("running", 2), cancel("nobody", 1))))
      .compose(answers -> {
        testContext.verify(() -> assertThat(answers.<JsonObject>list()).extracting(a -> a.getBoolean("known"))
          .containsExactly(false, false, false));
        return cancel("running", 1);
      })
      .compose(answer -> {
        testContext.verify(() -> assertThat(answer.getBoolean("known")).isTrue());
        return Future.all(leader.outcome("running"), leader.outcome("after"));
      })
      .onComplete(testContext.succeeding(both -> testContext.verify(() -> {
        TaskUpdate cancelled = both.resultAt(0);
        TaskUpdate after = both.resultAt(1);
        assertThat(cancelled.status()).isEqualTo(TaskUpdate.CANCELLED);
        assertThat(cancelled.startedAt()).isNotNull();
        assertThat(after.status()).isEqualTo(TaskUpdate.SUCCEEDED);
        assertThat(after.startedAt()).isGreaterThanOrEqualTo(cancelled.at());
        assertThat(leader.updatesOf("waiting")).as("a withdrawn task reports nothing").isEmpty();
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("task_revoke gives back a waiting task (revoked=true, never run) but not a running or unknown one")
  void revoke(Vertx vertx, VertxTestContext testContext) {
    deploy(vertx, node(NODE, 1, 1_024), quiet())
      .compose(id -> leader.assign(NODE, 1, sleep("running", 10_000), sleep("waiting", 10_000)))
      .compose(answer -> leader.update("running", TaskUpdate.RUNNING))
      .compose(running -> Future.all(List.of(revoke("waiting"), revoke("running"), revoke("nobody"))))
      .compose(answers -> {
        testContext.verify(() -> assertThat(answers.<JsonObject>list()).extracting(a -> a.getBoolean("revoked"))
          .containsExactly(true, false, false));
        return cancel("running", 1);
      })
      .compose(answer -> leader.outcome("running"))
      .compose(cancelled -> {
        leader.announce();
        return leader.join(2);
      })
      .onComplete(testContext.succeeding(rejoin -> testContext.verify(() -> {
        assertThat(rejoin.held()).isEmpty();
        assertThat(leader.updatesOf("waiting")).isEmpty();
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("a result above maxResultBytes fails the task with RESULT_TOO_LARGE, not retryable")
  void resultTooLarge(Vertx vertx, VertxTestContext testContext) {
    JsonObject big = new JsonObject().put("text", "x".repeat(200));
    int bytes = Json.encodeToBuffer(big).length();
    deploy(vertx, node(NODE, 1, 1_024), quiet().setMaxResultBytes(100))
      .compose(id -> leader.assign(NODE, 1, echo("big", big), echo("small", "ok")))
      .compose(answer -> Future.all(leader.outcome("big"), leader.outcome("small")))
      .onComplete(testContext.succeeding(both -> testContext.verify(() -> {
        TaskUpdate failed = both.resultAt(0);
        assertThat(failed.status()).isEqualTo(TaskUpdate.FAILED);
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.result()).isNull();
        assertThat(failed.error().code()).isEqualTo(ErrorCode.RESULT_TOO_LARGE.name());
        assertThat(failed.error().message())
          .isEqualTo("result is " + bytes + " bytes, above the limit of 100 (worker.maxResultBytes)");
        assertThat(((TaskUpdate) both.resultAt(1)).result()).isEqualTo("ok");
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("a rejoin lists waiting, running and finished-but-unacknowledged tasks; those the JoinReply cancels are dropped")
  void rejoinListsHeldTasks(Vertx vertx, VertxTestContext testContext) {
    leader.onResults = (batch, message) -> message.reply(new ResultAck(List.of(), List.of()).toJson());
    deploy(vertx, node(NODE, 1, 1_024), quiet().setOutcomeResendMs(60_000))
      .compose(id -> leader.assign(NODE, 1, echo("done", 1), sleep("busy", 10_000), sleep("queued", 10_000)))
      .compose(answer -> Future.all(leader.outcome("done"), leader.update("busy", TaskUpdate.RUNNING)))
      .compose(seen -> {
        leader.announce();
        return leader.join(2);
      })
      .compose(rejoin -> {
        testContext.verify(() -> assertThat(rejoin.held()).containsExactlyInAnyOrder(
          new HeldTask("done", 1, true, true), new HeldTask("busy", 1, true, false),
          new HeldTask("queued", 1, false, false)));
        leader.onJoin = join -> new JoinReply("leader", 1, List.of("done", "busy", "queued"));
        leader.announce();
        return leader.join(3);
      })
      .compose(cancelling -> {
        leader.onJoin = join -> new JoinReply("leader", 1, List.of());
        leader.announce();
        return leader.join(4);
      })
      .compose(rejoin -> {
        testContext.verify(() -> assertThat(rejoin.held()).isEmpty());
        leader.onResults = (batch, message) -> message.reply(StandInLeader.ackAll(batch).toJson());
        return leader.assign(NODE, 1, echo("next", 1)).compose(answer -> leader.outcome("next"));
      })
      .onComplete(testContext.succeeding(next -> testContext.verify(() -> {
        // "next" could start only once busy's thread returned: an outcome of busy would have come first
        assertThat(leader.updatesOf("busy")).extracting(TaskUpdate::status).containsOnly(TaskUpdate.RUNNING);
        assertThat(leader.updatesOf("queued")).isEmpty();
        assertThat(leader.outcomesOf("done")).hasSize(1);
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("a newer attempt supersedes the one held, which then reports nothing; a repeated attempt runs once")
  void newerAttemptSupersedes(Vertx vertx, VertxTestContext testContext) {
    deploy(vertx, node(NODE, 1, 1_024), quiet())
      .compose(id -> leader.assign(NODE, 1, sleep("x", 1, 10_000, 1, 0)))
      .compose(answer -> leader.update("x", TaskUpdate.RUNNING))
      .compose(running -> leader.assign(NODE, 2, sleep("x", 2, 20, 1, 0), sleep("x", 2, 20, 1, 0), echo("y", 1)))
      .compose(answer -> {
        testContext.verify(() -> assertThat(answer.getInteger("accepted")).isEqualTo(3));
        return leader.outcome("y");
      })
      .onComplete(testContext.succeeding(y -> testContext.verify(() -> {
        List<TaskUpdate> outcomes = leader.outcomesOf("x");
        assertThat(outcomes).hasSize(1);
        assertThat(outcomes.get(0).attempt()).isEqualTo(2);
        assertThat(outcomes.get(0).status()).isEqualTo(TaskUpdate.SUCCEEDED);
        testContext.completeNow();
      })));
  }

  private Future<JsonObject> cancel(String taskId, int attempt) {
    return leader.send(NODE, MessageType.TASK_CANCEL, new JsonObject().put("taskId", taskId).put("attempt", attempt));
  }

  private Future<JsonObject> revoke(String taskId) {
    return leader.send(NODE, MessageType.TASK_REVOKE, new JsonObject().put("taskId", taskId).put("attempt", 1));
  }
}
