package io.mastermind.worker;

import io.mastermind.protocol.Addresses;
import io.mastermind.events.SharedJsonCodec;
import io.mastermind.protocol.HeldTask;
import io.mastermind.protocol.MessageType;
import io.mastermind.protocol.ResultAck;
import io.mastermind.protocol.ResultBatch;
import io.mastermind.protocol.TaskUpdate;
import io.mastermind.security.SecureChannel;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A worker's reports on their way to the leader: {@code result_update} envelopes whose payload is a
 * {@link ResultBatch}, sent to {@link Addresses#COORDINATOR_INBOX}.
 *
 * <ul>
 *   <li>Batching: the first pending report arms a timer of {@code resultBatchDelayMs}; then everything
 *       pending leaves together ({@value #MAX_BATCH} per batch, at once when that many are pending),
 *       with at most {@value #MAX_IN_FLIGHT} requests in flight.</li>
 *   <li>Order: reports leave in the order they were offered, so one task's {@code running}, progress
 *       and outcome keep their order; progress waiting to leave is replaced by newer progress of the
 *       same attempt (latest wins) and is never resent.</li>
 *   <li>Outcomes are kept until the leader's {@link ResultAck} acknowledges or refuses them. Any other
 *       answer (not listed, a failed or timed-out request, no leader at all) sends the outcome again
 *       after {@code outcomeResendMs}, doubling per outcome up to {@link WorkerOptions#MAX_OUTCOME_RESEND_MS},
 *       for as long as the worker runs: giving up would leave the task running forever on the leader,
 *       while a worker that never reaches a leader is declared failed there and its tasks re-run.</li>
 * </ul>
 * Not thread-safe: used on the worker's event-loop context only.
 */
final class Outbox {

  static final int MAX_BATCH = 256;
  static final int MAX_IN_FLIGHT = 32;
  static final long SEND_TIMEOUT_MS = 1_500; // short: after a leader dies the bus may still route a request to it
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

  /** One report waiting to leave; a progress report may be replaced while it waits. */
  private static final class Pending {
    TaskUpdate update;
    final Outcome outcome;

    Pending(TaskUpdate update, Outcome outcome) {
      this.update = update;
      this.outcome = outcome;
    }
  }

  /** An outcome until the leader settles it: queued, in flight, or waiting for its resend time. */
  private static final class Outcome {
    final TaskUpdate update;
    long delayMs;
    long dueNanos;
    boolean queued;
    boolean inFlight;
    /** Acknowledged, refused, dropped or replaced: never sent again. */
    boolean settled;

    Outcome(TaskUpdate update, long delayMs) {
      this.update = update;
      this.delayMs = delayMs;
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final String nodeId;
  /** Batches are signed as this node (one signature per batch), and only the leader's signed answer settles them. */
  private final SecureChannel channel;
  private final long batchDelayMs;
  private final long resendMs;
  private final long resendMaxMs;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final Map<String, Pending> queuedProgress = new HashMap<>();
  private final Map<String, Outcome> outcomes = new LinkedHashMap<>();
  private int inFlight;
  private boolean flushArmed;
  private boolean endOfTurnArmed;
  /** The batch delay passed (or a full batch waited) while {@value #MAX_IN_FLIGHT} requests were out: send on the next answer. */
  private boolean flushDue;
  private long flushTimer = -1;
  private long resendTimer = -1;
  private long resendAtNanos;
  private boolean closed;

  Outbox(Vertx vertx, Context context, String nodeId, WorkerOptions options) {
    this.vertx = vertx;
    this.context = context;
    this.nodeId = nodeId;
    this.channel = SecureChannel.of(vertx.eventBus(), nodeId);
    this.batchDelayMs = options.getResultBatchDelayMs();
    this.resendMs = options.getOutcomeResendMs();
    this.resendMaxMs = Math.max(options.getOutcomeResendMs(), WorkerOptions.MAX_OUTCOME_RESEND_MS);
  }

  /** Queues a report; an outcome replaces any unsettled outcome of the same task. */
  void offer(TaskUpdate update) {
    if (closed) {
      return;
    }
    String taskId = update.taskId();
    if (TaskUpdate.PROGRESS.equals(update.status())) {
      Pending waiting = queuedProgress.get(taskId);
      if (waiting != null && waiting.update.attempt() == update.attempt()) {
        waiting.update = update;
        return;
      }
      Pending pending = new Pending(update, null);
      queuedProgress.put(taskId, pending);
      queue.add(pending);
    } else if (update.isOutcome()) {
      Outcome outcome = new Outcome(update, resendMs);
      Outcome previous = outcomes.put(taskId, outcome);
      if (previous != null) {
        previous.settled = true;
      }
      outcome.queued = true;
      queue.add(new Pending(update, outcome));
    } else {
      queue.add(new Pending(update, null));
    }
    scheduleFlush();
  }

  /**
   * Sends what is pending when the current event-loop turn ends rather than after the batch delay: the
   * caller offered a whole batch of outcomes at once (tasks run on the loop), so waiting gathers nothing.
   */
  void flushAtEndOfTurn() {
    if (closed || queue.isEmpty() || endOfTurnArmed) {
      return;
    }
    endOfTurnArmed = true;
    context.runOnContext(v -> {
      endOfTurnArmed = false;
      flush(); // sends nothing while MAX_IN_FLIGHT requests are out (then the next answer sends)
    });
  }

  /** The attempt whose outcome for {@code taskId} awaits its acknowledgement, or null. */
  Integer unsettledAttempt(String taskId) {
    Outcome outcome = outcomes.get(taskId);
    return outcome == null ? null : outcome.update.attempt();
  }

  /** Forgets every report of {@code taskId} not sent yet and its unsettled outcome; {@code attempt} < 0 for any attempt. */
  void drop(String taskId, int attempt) {
    Outcome outcome = outcomes.get(taskId);
    if (outcome != null && (attempt < 0 || outcome.update.attempt() == attempt)) {
      outcome.settled = true;
      outcomes.remove(taskId);
    }
    queue.removeIf(p -> p.update.taskId().equals(taskId) && (attempt < 0 || p.update.attempt() == attempt));
    Pending progress = queuedProgress.get(taskId);
    if (progress != null && (attempt < 0 || progress.update.attempt() == attempt)) {
      queuedProgress.remove(taskId);
    }
  }

  /** The finished tasks whose outcome is not settled yet, as a {@code node_join} lists them. */
  List<HeldTask> held() {
    List<HeldTask> held = new ArrayList<>(outcomes.size());
    outcomes.values().forEach(o -> held.add(new HeldTask(o.update.taskId(), o.update.attempt(),
      o.update.startedAt() != null, true)));
    return held;
  }

  /**
   * Stops batching and resending, and sends what is pending plus every unsettled outcome once.
   *
   * @return completes when those requests were answered or {@code timeoutMs} passed; never fails
   */
  Future<Void> close(long timeoutMs) {
    closed = true;
    cancelTimers();
    outcomes.values().forEach(o -> {
      if (!o.queued && !o.inFlight && !o.settled) {
        o.queued = true;
        queue.add(new Pending(o.update, o));
      }
    });
    List<Future<Void>> sent = new ArrayList<>();
    while (!queue.isEmpty()) {
      sent.add(sendBatch(timeoutMs));
    }
    return Future.all(sent).mapEmpty();
  }

  private void cancelTimers() {
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
    if (resendTimer >= 0) {
      vertx.cancelTimer(resendTimer);
      resendTimer = -1;
    }
  }

  private void scheduleFlush() {
    if (closed || queue.isEmpty()) {
      return;
    }
    if (queue.size() >= MAX_BATCH) {
      flush();
    } else if (!flushArmed && !flushDue) {
      flushArmed = true;
      if (batchDelayMs == 0) {
        context.runOnContext(v -> flush());
      } else {
        flushTimer = vertx.setTimer(batchDelayMs, t -> {
          flushTimer = -1;
          flush();
        });
      }
    }
  }

  private void flush() {
    flushArmed = false;
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
    while (!closed && !queue.isEmpty() && inFlight < MAX_IN_FLIGHT) {
      sendBatch(SEND_TIMEOUT_MS);
    }
    flushDue = !queue.isEmpty();
  }

  /** Sends up to {@value #MAX_BATCH} queued reports as one request; the future completes once it is settled. */
  private Future<Void> sendBatch(long timeoutMs) {
    List<TaskUpdate> updates = new ArrayList<>();
    List<Outcome> carried = new ArrayList<>();
    while (updates.size() < MAX_BATCH && !queue.isEmpty()) {
      Pending pending = queue.poll();
      if (pending.outcome != null) {
        if (pending.outcome.settled) {
          continue;
        }
        pending.outcome.queued = false;
        pending.outcome.inFlight = true;
        carried.add(pending.outcome);
      } else if (TaskUpdate.PROGRESS.equals(pending.update.status())) {
        queuedProgress.remove(pending.update.taskId(), pending);
      }
      updates.add(pending.update);
    }
    if (updates.isEmpty()) {
      return Future.succeededFuture();
    }
    inFlight++;
    Object envelope = channel.envelope(MessageType.RESULT_UPDATE, nodeId, "coordinator", nodeId,
      new ResultBatch(updates).toJson());
    return channel.request(Addresses.COORDINATOR_INBOX, envelope,
        SharedJsonCodec.delivery(timeoutMs)) // handed over: a leader in this JVM reads it uncopied
      .transform(reply -> {
        inFlight--;
        settle(carried, reply);
        if (flushDue) {
          flush();
        } else {
          scheduleFlush();
        }
        return Future.succeededFuture();
      });
  }

  private void settle(List<Outcome> carried, AsyncResult<? extends Message<JsonObject>> reply) {
    Set<String> settledIds = new HashSet<>();
    if (reply.succeeded()) {
      try {
        ResultAck ack = ResultAck.fromJson(reply.result().body());
        settledIds.addAll(ack.acked());
        settledIds.addAll(ack.refused());
      } catch (RuntimeException e) {
        LOG.warn("node " + nodeId + ": unreadable answer to result_update: " + e.getMessage());
      }
    } else if (!carried.isEmpty()) {
      LOG.debug("node " + nodeId + ": result_update with " + carried.size() + " outcomes not answered: "
        + reply.cause().getMessage());
    }
    long now = System.nanoTime();
    for (Outcome outcome : carried) {
      outcome.inFlight = false;
      if (outcome.settled) {
        continue;
      }
      if (settledIds.contains(outcome.update.taskId())) {
        outcome.settled = true;
        outcomes.remove(outcome.update.taskId(), outcome);
      } else {
        outcome.dueNanos = now + TimeUnit.MILLISECONDS.toNanos(outcome.delayMs);
        outcome.delayMs = Math.min(outcome.delayMs * 2, resendMaxMs);
        armResend(outcome.dueNanos);
      }
    }
  }

  /** One timer, set for the earliest outcome due again. */
  private void armResend(long dueNanos) {
    if (closed || resendTimer >= 0 && resendAtNanos <= dueNanos) {
      return;
    }
    if (resendTimer >= 0) {
      vertx.cancelTimer(resendTimer);
    }
    resendAtNanos = dueNanos;
    long delayMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(dueNanos - System.nanoTime() + 999_999));
    resendTimer = vertx.setTimer(delayMs, t -> {
      resendTimer = -1;
      resendDue();
    });
  }

  private void resendDue() {
    long now = System.nanoTime();
    long next = Long.MAX_VALUE;
    for (Outcome outcome : outcomes.values()) {
      if (outcome.queued || outcome.inFlight || outcome.settled) {
        continue;
      }
      if (outcome.dueNanos - now <= 0) {
        outcome.queued = true;
        queue.add(new Pending(outcome.update, outcome));
      } else if (next == Long.MAX_VALUE || outcome.dueNanos - next < 0) {
        next = outcome.dueNanos;
      }
    }
    if (next != Long.MAX_VALUE) {
      armResend(next);
    }
    scheduleFlush();
  }
}
