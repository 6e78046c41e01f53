package io.mastermind.coordinator;

import io.mastermind.events.SharedJsonCodec;
import io.mastermind.coordinator.Placements.Placement;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.EventNames;
import io.mastermind.protocol.ResultAck;
import io.mastermind.protocol.ResultBatch;
import io.mastermind.protocol.TaskError;
import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskStatus;
import io.mastermind.protocol.TaskUpdate;
import io.mastermind.resources.ReservationBook;
import io.mastermind.scheduler.DeadlineQueue;
import io.mastermind.store.FlushWriter;
import io.mastermind.scheduler.RetryBackoff;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How tasks end: workers' {@code result_update} batches, terminal writes (durable before anyone hears
 * of them), retries with backoff, re-queues after a lost node (capped by {@code maxNodeLosses}), and the
 * {@code ?wait} waiters. Retry delays and wait deadlines are swept by the coordinator's one tick.
 */
final class Outcomes {

  private static final Logger LOG = LoggerFactory.getLogger(Outcomes.class);
  private static final long RECORD_OVERHEAD_BYTES = 512;

  /** Why a task goes back to the queue. */
  enum Requeue { RETRY, NODE_LOST, GIVEN_BACK }

  private record Waiter(String taskId, Message<?> message) {
  }

  private final LeaderState s;
  private final RetryBackoff backoff;
  private final DeadlineQueue<String> retries = new DeadlineQueue<>();
  private final DeadlineQueue<Waiter> waitDeadlines = new DeadlineQueue<>();
  private final Map<String, List<Waiter>> waiters = new HashMap<>();
  /** Terminal writes in flight, by task: the same tasks as {@code LeaderState.finishing}. */
  private final Map<String, Future<Void>> terminalWrites = new HashMap<>();
  private Dispatcher dispatcher;
  private long lastEviction;
  private static final long EVICTION_PERIOD_MS = 1_000;

  Outcomes(LeaderState state, RetryBackoff backoff) {
    this.s = state;
    this.backoff = backoff;
  }

  void bind(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  // ---- worker reports -------------------------------------------------------------------------

  /**
   * Applies a worker's batch in order and answers once every outcome in it is durable (acked), stale
   * (refused) or could not be stored (neither: the worker sends it again).
   */
  void onResults(String sender, ResultBatch batch, Message<?> message) {
    List<String> refused = new ArrayList<>();
    Map<String, Future<Void>> writes = new HashMap<>();
    List<io.mastermind.controlplane.ControlMessages.Reservation> released = new ArrayList<>();
    for (TaskUpdate u : batch.updates()) {
      if (u.isOutcome() && dispatcher.confirmStopped(sender, u.taskId(), u.attempt())) {
        writes.put(u.taskId(), Future.succeededFuture());
        continue;
      }
      TaskRecord inFlight = s.finishing.get(u.taskId());
      TaskRecord record = s.book.get(u.taskId());
      if (u.isOutcome() && isSameAttemptEnded(inFlight != null ? inFlight : record, sender, u)) {
        writes.put(u.taskId(), inFlight != null ? finishing(u.taskId()) : Future.succeededFuture()); // a resend
        continue;
      }
      Placement placement = s.placements.get(u.taskId());
      if (placement == null && u.isOutcome() && record != null && inFlight == null) {
        placement = dispatcher.claimEnded(sender, u.taskId(), u.attempt(), u.startedAt() != null);
        record = s.book.get(u.taskId());
      }
      if (placement == null || record == null || !placement.nodeId().equals(sender) || placement.attempt() != u.attempt()) {
        if (u.isOutcome()) {
          if (LOG.isDebugEnabled()) {
            try (MDC.MDCCloseable ignored = MDC.putCloseable("taskId", u.taskId())) {
              LOG.debug("stale result_update for {} attempt {} from {} refused", u.taskId(), u.attempt(), sender);
            }
          }
          refused.add(u.taskId());
        }
        continue;
      }
      switch (u.status()) {
        case TaskUpdate.RUNNING -> started(record, placement, u.at());
        case TaskUpdate.PROGRESS -> {
          double progress = u.progress() == null ? 0.0 : u.progress();
          if (!placement.started()) { // progress means it started: task:started goes first
            record = started(record, placement, u.at());
            placement = s.placements.get(u.taskId());
          }
          s.book.put(record.withProgress(progress));
          s.events.publish(EventNames.TASK_PROGRESS, u.taskId(), new JsonObject().put("progress", progress)
            .put("node", sender));
        }
        default -> {
          TaskRecord running = placement.started() ? record
            : started(record, placement, u.startedAt() == null ? u.at() : u.startedAt());
          s.placements.remove(u.taskId());
          released.add(dispatcher.freed(u.taskId(), sender, u.attempt()));
          Future<Void> write = end(running, placement, u);
          writes.put(u.taskId(), write);
        }
      }
    }
    dispatcher.release(released);
    List<String> ids = new ArrayList<>(writes.keySet());
    List<Future<Void>> pending = ids.stream().map(writes::get).toList();
    Future.join(pending).onComplete(ar -> {
      List<String> acked = new ArrayList<>(ids.size());
      for (int i = 0; i < ids.size(); i++) {
        if (pending.get(i).succeeded()) {
          acked.add(ids.get(i));
        }
      }
      message.reply(new ResultAck(acked, refused).toJson());
    });
  }

  private static boolean isSameAttemptEnded(TaskRecord record, String sender, TaskUpdate u) {
    return record != null && record.status().isTerminal() && record.attempts() == u.attempt()
      && sender.equals(record.node());
  }

  /** The terminal write in flight for a task: a resent outcome is answered when it lands. */
  private Future<Void> finishing(String taskId) {
    return terminalWrites.get(taskId);
  }

  private TaskRecord started(TaskRecord record, Placement placement, long at) {
    TaskRecord running = record.running(at);
    s.book.put(running);
    s.placements.put(record.id(), placement.asStarted());
    s.events.publish(EventNames.TASK_STARTED, record.id(), new JsonObject().put("node", placement.nodeId())
      .put("attempt", placement.attempt()));
    return running;
  }

  /** An outcome of the placed attempt: its terminal record, a retry, or a re-queue. */
  private Future<Void> end(TaskRecord running, Placement placement, TaskUpdate u) {
    Future<Void> write = switch (u.status()) {
      case TaskUpdate.SUCCEEDED -> finish(running.succeeded(u.result(), u.at()));
      case TaskUpdate.TIMED_OUT -> finish(running.ended(TaskStatus.TIMED_OUT, TaskError.of(ErrorCode.TIMEOUT,
        "no result within " + running.spec().timeout() + " ms"), u.at()));
      case TaskUpdate.FAILED -> failed(running, u.error() == null ? TaskError.of(ErrorCode.HANDLER_ERROR, "failed") : u.error(),
        u.retryable(), u.at());
      // stopped by its node (shutting down, or told to drop it): it runs again, using no retry
      default -> requeue(running, TaskError.of(ErrorCode.NODE_LOST, "stopped by node " + placement.nodeId()), Requeue.GIVEN_BACK);
    };
    return write.onFailure(err -> {
      // not stored: the worker will send the outcome again, so the placement must still be there
      if (s.book.get(running.id()) != null && !s.book.get(running.id()).status().isTerminal()) {
        s.placements.put(running.id(), placement.asStarted());
      }
    });
  }

  private Future<Void> failed(TaskRecord record, TaskError error, boolean retryable, long now) {
    if (!retryable || record.retries() >= record.spec().maxRetries()) {
      return finish(record.ended(TaskStatus.FAILED, error, now)).onSuccess(v ->
        s.events.publish(EventNames.ALERT, record.id(), new JsonObject().put("severity", "warning")
          .put("kind", "task_failed").put("attempts", record.attempts()).put("error", error.toJson())));
    }
    return requeue(record, error, Requeue.RETRY);
  }

  // ---- transitions ----------------------------------------------------------------------------

  /**
   * Ends a task: the terminal record is stored first; only then is it visible, published and answered
   * to waiters. Fails (changing nothing) when it cannot be stored.
   */
  Future<Void> finish(TaskRecord terminal) {
    String id = terminal.id();
    s.finishing.put(id, terminal);
    s.queue.remove(id);
    retries.cancel(id);
    Future<Void> written = s.commit.put(terminal)
      .onComplete(ar -> {
        s.finishing.remove(id, terminal);
        terminalWrites.remove(id);
      })
      .onSuccess(v -> {
        byte[] stored = s.commit.encoded(terminal); // the bytes just stored, when the store kept them
        if (stored == null) {
          stored = FlushWriter.encode(terminal);
        }
        long bytes = RECORD_OVERHEAD_BYTES + stored.length;
        long now = System.currentTimeMillis();
        s.book.put(terminal, bytes, now, stored);
        s.counters.finished(terminal.status());
        s.metrics.ended(terminal);
        s.tracing.finished(id, terminal.status().wireName());
        // the record as its waiters and end event carry it, with its text cut from the stored bytes
        JsonObject json = FlushWriter.statusJson(terminal, stored);
        publishEnd(terminal, json, stored.length <= s.options.getMaxEventResultBytes() ? 0 : resultBytes(terminal.result()));
        answerWaiters(id, json);
        for (String evicted : s.book.evict(s.options.getRetainedTasks(), s.options.getRetainedBytes(),
          s.options.getRetainedForMs(), now)) {
          s.commit.remove(evicted);
        }
      })
      .onFailure(err -> {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("taskId", id)) {
          LOG.warn("task {} could not be stored as {}: {}", id, terminal.status().wireName(), err.getMessage());
        }
      });
    if (!written.isComplete()) {
      terminalWrites.put(id, written);
    }
    return written;
  }

  /** {@code json} is the terminal record, shared with the waiters: published as it is unless truncated. */
  private void publishEnd(TaskRecord terminal, JsonObject json, long resultBytes) {
    JsonObject data = json;
    if (resultBytes > s.options.getMaxEventResultBytes()) {
      data = json.copy();
      data.remove("result");
      data.put("resultTruncated", true);
    }
    s.events.publish(EventNames.forTerminal(terminal.status()), terminal.id(), data);
  }

  private static long resultBytes(Object result) {
    if (result == null) {
      return 0;
    }
    if (result instanceof String text) {
      return text.length() + 2L;
    }
    if (result instanceof Number || result instanceof Boolean) {
      return 16;
    }
    return Json.encode(result).length();
  }

  /**
   * Back to the queue, stored first for a retry (its count must survive a takeover); a lost node's
   * tasks are queued at once (failover speed) and stored alongside. Past {@code maxNodeLosses} a lost
   * task fails with {@code NODE_LOST} instead; repeated losses wait a backoff before running again.
   */
  Future<Void> requeue(TaskRecord record, TaskError error, Requeue why) {
    TaskRecord queued = switch (why) {
      case RETRY -> record.requeued(true, error);
      case NODE_LOST -> record.lostNode(error);
      case GIVEN_BACK -> record.requeued(false, error);
    };
    if (why == Requeue.NODE_LOST && queued.nodeLosses() > s.options.getMaxNodeLosses()) {
      TaskError lost = TaskError.of(ErrorCode.NODE_LOST, error.message() + " (lost " + queued.nodeLosses()
        + " times, scheduler.maxNodeLosses is " + s.options.getMaxNodeLosses() + ")");
      return finish(record.ended(TaskStatus.FAILED, lost, System.currentTimeMillis())).onSuccess(v ->
        s.events.publish(EventNames.ALERT, record.id(), new JsonObject().put("severity", "warning")
          .put("kind", "task_failed").put("attempts", record.attempts()).put("error", lost.toJson())));
    }
    long delay = switch (why) {
      case RETRY -> backoff.delayMs(queued.retries());
      case NODE_LOST -> queued.nodeLosses() <= 1 ? 0 : backoff.delayMs(queued.nodeLosses() - 1);
      case GIVEN_BACK -> 0;
    };
    if (delay > 0) {
      queued = queued.withReason((why == Requeue.RETRY ? "retry " + queued.retries() + " of " + record.spec().maxRetries()
        : "lost " + queued.nodeLosses() + " nodes") + ", runs again in " + delay + " ms");
    }
    s.book.put(queued);
    Future<Void> stored = s.commit.put(queued);
    if (why == Requeue.NODE_LOST) {
      s.counters.requeuedAfterNodeLoss();
    }
    if (why == Requeue.RETRY) {
      s.counters.retried();
      s.events.publish(EventNames.TASK_RETRYING, queued.id(), new JsonObject().put("retry", queued.retries())
        .put("maxRetries", record.spec().maxRetries()).put("delayMs", delay).put("error", error.toJson()));
    }
    if (delay > 0) {
      retries.add(queued.id(), System.currentTimeMillis() + delay);
    } else {
      s.enqueue(queued, System.currentTimeMillis());
      dispatcher.requestPass();
    }
    return stored;
  }

  // ---- waiters and the tick -------------------------------------------------------------------

  /** Answers with the record once the task ended, or as it is after {@code waitMs}. */
  void await(TaskRecord record, long waitMs, Message<?> message) {
    if (record.status().isTerminal() || waitMs <= 0) {
      message.reply(record.toJson());
      return;
    }
    Waiter waiter = new Waiter(record.id(), message);
    waiters.computeIfAbsent(record.id(), k -> new ArrayList<>(1)).add(waiter);
    waitDeadlines.add(waiter, System.currentTimeMillis() + waitMs);
  }

  private void answerWaiters(String id, JsonObject json) {
    List<Waiter> list = waiters.remove(id);
    if (list != null) {
      for (Waiter w : list) {
        waitDeadlines.cancel(w);
        w.message().reply(json, SharedJsonCodec.DELIVERY); // read-only for every receiver
      }
    }
  }

  int waiterCount() {
    return waitDeadlines.size();
  }

  /** The coordinator's periodic sweep: retries that are due join the queue; expired waits are answered. */
  void tick(long now) {
    if (now - lastEviction >= EVICTION_PERIOD_MS) { // records age out even when no task ends
      lastEviction = now;
      s.book.evict(s.options.getRetainedTasks(), s.options.getRetainedBytes(), s.options.getRetainedForMs(), now)
        .forEach(s.commit::remove);
    }
    boolean queued = false;
    for (String id : retries.expired(now)) {
      TaskRecord current = s.book.get(id);
      if (current != null && current.status() == TaskStatus.QUEUED && !s.finishing.containsKey(id)) {
        s.book.put(current.withReason(null));
        s.enqueue(current, now);
        queued = true;
      }
    }
    if (queued) {
      dispatcher.requestPass();
    }
    for (Waiter w : waitDeadlines.expired(now)) {
      List<Waiter> list = waiters.get(w.taskId());
      if (list != null && list.remove(w)) {
        if (list.isEmpty()) {
          waiters.remove(w.taskId());
        }
        TaskRecord current = s.book.get(w.taskId());
        w.message().reply(current == null ? new JsonObject().put("id", w.taskId()) : current.toJson());
      }
    }
  }

  boolean retryPending(String id) {
    return retries.contains(id);
  }

  void clear() {
    terminalWrites.clear();
    retries.clear();
    waitDeadlines.clear();
    waiters.clear();
  }
}
