package io.mastermind.worker;

import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.HeldTask;
import io.mastermind.protocol.JoinReply;
import io.mastermind.protocol.MessageType;
import io.mastermind.protocol.ResultAck;
import io.mastermind.protocol.TaskUpdate;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mastermind.worker.StandInLeader.deploy;
import static io.mastermind.worker.StandInLeader.echo;
import static io.mastermind.worker.StandInLeader.node;
import static io.mastermind.worker.StandInLeader.quiet;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
@DisplayName("WorkerVerticle joins, beats, answers its inbox and leaves as the v2 worker protocol says")
class WorkerMembershipTest extends WithStandInLeader {

  private static final String NODE = "worker-2";

  @Test
  @DisplayName("the first node_join carries the node config, its prefetch and epoch 0; a failed join is retried")
  void joinsAndRetries(Vertx vertx, VertxTestContext testContext) {
    AtomicInteger joins = new AtomicInteger();
    leader.onJoin = join -> joins.incrementAndGet() == 1 ? null : new JoinReply("leader", 1, List.of());
    deploy(vertx, node(NODE, 2, 2_048), quiet().setPrefetch(3))
      .compose(id -> leader.join(2))
      .onComplete(testContext.succeeding(second -> testContext.verify(() -> {
        assertThat(second.config().id()).isEqualTo(NODE);
        assertThat(second.config().cpuCores()).isEqualTo(2.0);
        assertThat(second.config().memoryMb()).isEqualTo(2_048);
        assertThat(second.config().functions()).containsKeys("echo", "sleep", "primes");
        assertThat(second.prefetch()).isEqualTo(3);
        assertThat(second.epoch()).isZero();
        assertThat(second.held()).isEmpty();
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("membership(): not joined (with the reason) until a join is answered, then joined to that leader; not joined again when heartbeats go unanswered")
  void membershipForReadiness(Vertx vertx, VertxTestContext testContext) {
    AtomicBoolean leaderUp = new AtomicBoolean();
    leader.onJoin = join -> leaderUp.get() ? new JoinReply("leader-1", 1, List.of()) : null;
    WorkerVerticle worker = new WorkerVerticle(node(NODE, 1, 1_024), quiet().setHeartbeatIntervalMs(50), StandInLeader.BUILTINS);
    vertx.deployVerticle(worker)
      .compose(id -> {
        testContext.verify(() -> {
          assertThat(worker.membership().joined()).isFalse();
          assertThat(worker.membership().reason()).startsWith("could not join a leader");
        });
        leaderUp.set(true);
        return until(vertx, () -> worker.membership().joined());
      })
      .compose(joined -> {
        testContext.verify(() -> {
          assertThat(worker.membership().leader()).isEqualTo("leader-1");
          assertThat(worker.membership().epoch()).isEqualTo(1);
          assertThat(worker.membership().reason()).isNull();
        });
        return leader.stop(); // the leader is gone: heartbeats find no handler
      })
      .compose(gone -> until(vertx, () -> !worker.membership().joined()))
      .onComplete(testContext.succeeding(notJoined -> testContext.verify(() -> {
        assertThat(worker.membership().reason()).startsWith("no leader answered the last 3 heartbeats");
        testContext.completeNow();
      })));
  }

  /** Completes once the condition holds, checked every 20 ms on the event loop. */
  private static io.vertx.core.Future<Void> until(Vertx vertx, java.util.function.BooleanSupplier condition) {
    Promise<Void> done = Promise.promise();
    vertx.setPeriodic(0, 20, id -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        done.tryComplete();
      }
    });
    return done.future();
  }

  @Test
  @DisplayName("a join answer from an older epoch (a deposed leader) cancels nothing; the newest epoch is announced")
  void staleJoinAnswerIgnored(Vertx vertx, VertxTestContext testContext) {
    leader.onJoin = join -> new JoinReply("new-leader", 5, List.of());
    deploy(vertx, node(NODE, 1, 1_024), quiet())
      .compose(id -> leader.assign(NODE, 5, StandInLeader.sleep("kept", 10_000)))
      .compose(answer -> leader.update("kept", TaskUpdate.RUNNING))
      .compose(running -> {
        leader.onJoin = join -> new JoinReply("old-leader", 4, List.of("kept"));
        leader.announce();
        return leader.join(2);
      })
      .compose(stale -> {
        leader.onJoin = join -> new JoinReply("new-leader", 5, List.of());
        leader.announce();
        return leader.join(3);
      })
      .onComplete(testContext.succeeding(rejoin -> testContext.verify(() -> {
        assertThat(rejoin.epoch()).isEqualTo(5);
        assertThat(rejoin.held()).containsExactly(new HeldTask("kept", 1, true, false));
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("heartbeats carry id, metrics and runningTasks; an answer known=false makes the worker join again")
  void heartbeatUnknownRejoins(Vertx vertx, VertxTestContext testContext) {
    leader.onHeartbeat = heartbeat -> false;
    deploy(vertx, node(NODE, 1, 1_024), quiet().setHeartbeatIntervalMs(50))
      .compose(id -> leader.join(2))
      .onComplete(testContext.succeeding(rejoin -> testContext.verify(() -> {
        JsonObject heartbeat = leader.seen().stream().filter(s -> s.type() == MessageType.RESOURCE_UPDATE)
          .findFirst().orElseThrow().payload();
        assertThat(heartbeat.getString("id")).isEqualTo(NODE);
        assertThat(heartbeat.getJsonObject("metrics").getJsonObject("cpu").containsKey("usage")).isTrue();
        assertThat(heartbeat.getJsonObject("metrics").getJsonObject("memory").containsKey("available")).isTrue();
        assertThat(heartbeat.getInteger("runningTasks")).isZero();
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("health_check is answered ok; other envelope types and malformed batches fail with INVALID_FIELD")
  void inboxAnswers(Vertx vertx, VertxTestContext testContext) {
    deploy(vertx, node(NODE, 1, 1_024), quiet())
      .compose(id -> leader.send(NODE, MessageType.HEALTH_CHECK, new JsonObject()))
      .compose(health -> {
        testContext.verify(() -> assertThat(health)
          .isEqualTo(new JsonObject().put("id", NODE).put("status", "ok").put("runningTasks", 0)));
        return leader.send(NODE, MessageType.RESULT_UPDATE, new JsonObject()).transform(ar -> {
          testContext.verify(() -> assertInvalid(ar.cause(), "worker does not take result_update"));
          return leader.send(NODE, MessageType.TASK_ASSIGNMENT, new JsonObject().put("epoch", 1)
            .put("tasks", List.of(new JsonObject().put("attempt", 1))));
        });
      })
      .onComplete(ar -> testContext.verify(() -> {
        assertInvalid(ar.cause(), "task is required");
        testContext.completeNow();
      }));
  }

  private static void assertInvalid(Throwable failure, String messagePart) {
    assertThat(failure).isInstanceOf(ReplyException.class).hasMessageContaining(messagePart);
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(ErrorCode.INVALID_FIELD.failureCode());
  }

  @Test
  @DisplayName("stopping sends the unacknowledged outcomes once more, then node_leave")
  void stopFlushesThenLeaves(Vertx vertx, VertxTestContext testContext) {
    leader.onResults = (batch, message) -> message.reply(new ResultAck(List.of(), List.of()).toJson());
    deploy(vertx, node(NODE, 1, 1_024), quiet().setOutcomeResendMs(60_000))
      .compose(id -> leader.assign(NODE, 1, echo("kept", 1)).compose(answer -> leader.outcome("kept"))
        .compose(outcome -> vertx.undeploy(id)))
      .compose(undeployed -> leader.when(() -> leader.seen().stream()
        .anyMatch(s -> s.type() == MessageType.NODE_LEAVE) ? leader.seen() : null))
      .onComplete(testContext.succeeding(seen -> testContext.verify(() -> {
        assertThat(leader.outcomesOf("kept")).hasSize(2);
        StandInLeader.Seen last = seen.get(seen.size() - 1);
        assertThat(last.type()).isEqualTo(MessageType.NODE_LEAVE);
        assertThat(last.payload()).isEqualTo(new JsonObject().put("id", NODE));
        assertThat(seen.get(seen.size() - 2).type()).as("the flush comes before the leave").isEqualTo(MessageType.RESULT_UPDATE);
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("a worker that is stopping refuses new assignments with UNAVAILABLE")
  void stoppingRefusesAssignments(Vertx vertx, VertxTestContext testContext) {
    // the leader holds the stop's flush unanswered, so the worker is caught while stopping
    leader.onResults = (batch, message) -> {
      if (batch.updates().stream().anyMatch(u -> u.taskId().equals("slow-ack")) && !leader.outcomesOf("slow-ack").isEmpty()) {
        return; // never answered: the stop waits for its flush timeout
      }
      message.reply(new ResultAck(List.of(), List.of()).toJson());
    };
    Promise<Void> undeployed = Promise.promise();
    deploy(vertx, node(NODE, 1, 1_024), quiet().setOutcomeResendMs(60_000))
      .compose(id -> leader.assign(NODE, 1, echo("slow-ack", 1)).compose(answer -> leader.outcome("slow-ack"))
        .map(outcome -> {
          vertx.undeploy(id).onComplete(undeployed);
          return id;
        }))
      .compose(id -> leader.when(() -> leader.outcomesOf("slow-ack").size() >= 2 ? true : null))
      .compose(flushing -> leader.assign(NODE, 1, echo("late", 1)))
      .onComplete(ar -> testContext.verify(() -> {
        assertThat(ar.cause()).isInstanceOf(ReplyException.class).hasMessageContaining("is stopping");
        assertThat(((ReplyException) ar.cause()).failureCode()).isEqualTo(ErrorCode.UNAVAILABLE.failureCode());
        // the stop ends once its flush timed out; the worker still leaves
        undeployed.future().onComplete(testContext.succeeding(v -> testContext.completeNow()));
      }));
  }
}
