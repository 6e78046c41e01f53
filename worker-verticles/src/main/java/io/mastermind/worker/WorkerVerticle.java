package io.mastermind.worker;

import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.Envelope;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.MessageType;
import io.mastermind.protocol.NodeConfig;
import io.mastermind.protocol.TaskError;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.worker.metrics.NodeMetrics;
import io.mastermind.worker.spi.TaskFailure;
import io.mastermind.worker.spi.TaskHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One worker node: announces itself ({@code node_join}) with its capabilities, resources and
 * functions, sends {@code resource_update} heartbeats, and runs the tasks assigned to its inbox on a
 * bounded pool of task threads sized by its cpu cores, never on the event loop. Cancel and timeout
 * interrupt the task's thread; the outcome goes back to the coordinator as a {@code result_update}.
 */
public class WorkerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);
  private static final long OUTCOME_ACK_TIMEOUT_MS = 2_000;
  private static final long OUTCOME_RESEND_DELAY_MS = 500;
  /** About a minute of trying: longer than any leader change; after that the leader's recovery takes over. */
  private static final int OUTCOME_MAX_SENDS = 25;

  private final NodeConfig node;
  private final WorkerOptions options;
  private final HandlerRegistry handlers;
  private final Map<String, RunningTask> tasks = new HashMap<>();
  private ExecutorService executor;
  private EventBus bus;
  private MessageConsumer<JsonObject> inbox;
  private MessageConsumer<JsonObject> leaderChanges;
  /** The highest leader epoch seen; assignments from an older (deposed) leader are refused. */
  private long epoch;
  private long heartbeatTimer = -1;
  private boolean stopping;

  public WorkerVerticle(NodeConfig node, WorkerOptions options, HandlerRegistry handlers) {
    this.node = node.withFunctions(handlers.functions());
    this.options = options;
    this.handlers = handlers;
  }

  /** The config this worker announces, with the functions it serves. */
  public NodeConfig nodeConfig() {
    return node;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    executor = taskThreads(node.id(), (int) Math.max(1, Math.ceil(node.cpuCores())));
    inbox = bus.consumer(Addresses.nodeInbox(node.id()), this::onInbox);
    leaderChanges = bus.consumer(Addresses.COORDINATOR_LEADER, message -> join()
      .onFailure(err -> scheduleJoinRetry()));
    heartbeatTimer = vertx.setPeriodic(options.getHeartbeatIntervalMs(), id -> heartbeat());
    // Ready once the inbox is registered and a first join was tried; a missing coordinator is retried.
    return Future.all(inbox.completion(), leaderChanges.completion()).compose(v -> join().recover(err -> {
      scheduleJoinRetry();
      return Future.succeededFuture();
    }));
  }

  private static ExecutorService taskThreads(String nodeId, int threads) {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "mastermind-task-" + nodeId + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Announces this node with the tasks it runs, so a new leader (or the leader that declared this node
   * failed) can claim them back; it answers with those to stop because they were placed elsewhere.
   */
  private Future<Void> join() {
    JsonArray running = new JsonArray();
    tasks.values().forEach(task -> running.add(new JsonObject().put("taskId", task.spec.id())
      .put("attempt", task.attempt).put("started", task.isRunning())));
    JsonObject payload = node.toJson().put("running", running);
    return bus.<JsonObject>request(Addresses.COORDINATOR_INBOX, envelope(MessageType.NODE_JOIN, payload))
      .onSuccess(reply -> {
        JsonObject body = reply.body();
        epoch = Math.max(epoch, body.getLong("epoch", 0L));
        body.getJsonArray("cancel", new JsonArray()).forEach(id -> {
          RunningTask stale = tasks.remove(String.valueOf(id));
          if (stale != null && !stale.withdraw()) {
            stale.stop(false);
          }
        });
        LOG.debug("node " + node.id() + " joined leader " + body.getString("leader") + " epoch " + epoch);
      })
      .mapEmpty();
  }

  private void scheduleJoinRetry() {
    if (!stopping) {
      vertx.setTimer(options.getJoinRetryMs(), t -> join().onFailure(err -> scheduleJoinRetry()));
    }
  }

  private void heartbeat() {
    vertx.executeBlocking(NodeMetrics::sample, false).onSuccess(metrics -> {
      if (!stopping) {
        bus.<JsonObject>request(Addresses.COORDINATOR_INBOX, envelope(MessageType.RESOURCE_UPDATE,
              new JsonObject().put("id", node.id()).put("metrics", metrics).put("runningTasks", tasks.size())),
            new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(options.getHeartbeatIntervalMs()))
          .onSuccess(reply -> {
            if (!reply.body().getBoolean("known", true)) {
              join(); // the leader lost track of this node (failed while frozen, or a new leader): rejoin
            }
          });
      }
    });
  }

  private JsonObject envelope(MessageType type, JsonObject payload) {
    return Envelope.of(type, node.id(), "coordinator", payload).toJson();
  }

  // ---- inbox ----------------------------------------------------------------------------------

  private void onInbox(Message<JsonObject> message) {
    Envelope envelope = Envelope.fromJson(message.body());
    JsonObject payload = envelope.payload();
    if (envelope.type() == MessageType.HEALTH_CHECK) {
      message.reply(new JsonObject().put("id", node.id()).put("status", "ok").put("runningTasks", tasks.size()));
      return;
    }
    if (envelope.type() != MessageType.TASK_ASSIGNMENT) {
      message.fail(ErrorCode.INVALID_FIELD.failureCode(), "worker does not take " + envelope.type().wireName());
      return;
    }
    String action = payload.getString("action", "run");
    switch (action) {
      case "run" -> run(TaskSpec.fromJson(payload.getJsonObject("task")), payload.getInteger("attempt", 1),
        payload.getLong("epoch", 0L), message);
      case "cancel" -> message.reply(new JsonObject().put("known", cancel(payload.getString("taskId"))));
      case "revoke" -> message.reply(new JsonObject().put("revoked", revoke(payload.getString("taskId"))));
      default -> message.fail(ErrorCode.INVALID_FIELD.failureCode(), "unknown action " + action);
    }
  }

  private void run(TaskSpec spec, int attempt, long assignedEpoch, Message<JsonObject> message) {
    if (assignedEpoch < epoch) {
      message.fail(ErrorCode.CONFLICT.failureCode(), "assignment from epoch " + assignedEpoch
        + " refused: the leader's epoch is " + epoch);
      return;
    }
    epoch = assignedEpoch;
    if (stopping) {
      message.fail(ErrorCode.UNAVAILABLE.failureCode(), "node " + node.id() + " is stopping");
      return;
    }
    AtomicLong lastProgress = new AtomicLong();
    RunningTask task = new RunningTask(spec, attempt, fraction -> {
      long now = System.nanoTime();
      long last = lastProgress.get();
      if (fraction >= 1.0 || now - last >= TimeUnit.MILLISECONDS.toNanos(options.getProgressIntervalMs())) {
        lastProgress.set(now);
        report(spec.id(), attempt, "progress", new JsonObject().put("progress", fraction));
      }
    });
    RunningTask previous = tasks.put(spec.id(), task);
    if (previous != null) {
      previous.stop(false); // a newer attempt supersedes the old one
    }
    message.reply(new JsonObject().put("accepted", true));
    executor.execute(() -> execute(task));
  }

  /** Runs on a task thread. */
  private void execute(RunningTask task) {
    if (!task.begin()) {
      return;
    }
    String id = task.spec.id();
    context.runOnContext(v -> startTimeout(task));
    // the worker's clock says when the task really started and ended, not when the news arrived
    report(id, task.attempt, "running", new JsonObject().put("at", System.currentTimeMillis()));
    JsonObject outcome;
    try {
      TaskHandler handler = handlers.find(task.spec.function()).orElse(null);
      if (handler == null) {
        outcome = failure(ErrorCode.UNKNOWN_FUNCTION.name(), "node " + node.id() + " has no function "
          + task.spec.function(), false);
      } else {
        Object result = toJsonValue(handler.handle(task.spec.data(), task));
        outcome = task.isCancelled() ? stopped(task) : new JsonObject().put("status", "succeeded").put("result", result);
      }
    } catch (TaskFailure f) {
      outcome = task.isCancelled() ? stopped(task) : failure(f.code(), f.getMessage(), f.retryable());
    } catch (InterruptedException e) {
      outcome = task.isCancelled() ? stopped(task) : failure(ErrorCode.HANDLER_ERROR.name(), "interrupted", true);
    } catch (Throwable t) {
      outcome = task.isCancelled() ? stopped(task)
        : failure(ErrorCode.HANDLER_ERROR.name(), t.getMessage() == null ? t.toString() : t.getMessage(), true);
    } finally {
      task.end();
      Thread.interrupted(); // a pool thread goes back clean
    }
    outcome.put("at", System.currentTimeMillis());
    String status = outcome.getString("status");
    JsonObject finalOutcome = outcome;
    context.runOnContext(v -> {
      if (task.timeoutTimer >= 0) {
        vertx.cancelTimer(task.timeoutTimer);
      }
      tasks.remove(id, task);
      send(id, task.attempt, status, finalOutcome);
    });
  }

  private void startTimeout(RunningTask task) {
    Long timeout = task.spec.timeout();
    if (timeout != null && task.isRunning()) {
      task.timeoutTimer = vertx.setTimer(timeout, t -> task.stop(true));
    }
  }

  private static JsonObject stopped(RunningTask task) {
    return new JsonObject().put("status", task.timedOut() ? "timed_out" : "cancelled");
  }

  private static JsonObject failure(String code, String message, boolean retryable) {
    return new JsonObject().put("status", "failed").put("error", new TaskError(code, message).toJson())
      .put("retryable", retryable);
  }

  /** Handlers may answer with plain maps and lists; the event bus carries JSON types only. */
  private static Object toJsonValue(Object result) {
    if (result instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) map;
      return new JsonObject(m);
    }
    if (result instanceof List<?> list) {
      return new JsonArray(List.copyOf(list));
    }
    return result;
  }

  private boolean cancel(String taskId) {
    RunningTask task = tasks.get(taskId);
    if (task == null) {
      return false;
    }
    if (task.withdraw()) {
      tasks.remove(taskId, task);
      return false; // never started: nothing holds the slot
    }
    task.stop(false);
    return true;
  }

  private boolean revoke(String taskId) {
    RunningTask task = tasks.get(taskId);
    if (task == null || !task.withdraw()) {
      return false;
    }
    tasks.remove(taskId, task);
    send(taskId, task.attempt, "revoked", new JsonObject());
    return true;
  }

  /** From any thread: hops to this verticle's context so a task's reports leave in order. */
  private void report(String taskId, int attempt, String status, JsonObject fields) {
    context.runOnContext(v -> send(taskId, attempt, status, fields));
  }

  private void send(String taskId, int attempt, String status, JsonObject fields) {
    JsonObject payload = fields.copy().put("taskId", taskId).put("attempt", attempt).put("status", status)
      .put("node", node.id());
    JsonObject message = envelope(MessageType.RESULT_UPDATE, payload);
    if ("running".equals(status) || "progress".equals(status)) {
      bus.send(Addresses.COORDINATOR_INBOX, message);
    } else {
      deliverOutcome(message, 1);
    }
  }

  /**
   * How a task ended must reach the leader even if it is sent while leadership moves (the bus may
   * still route to the dead leader for a moment): resent until acknowledged, a bounded number of times.
   * The coordinator ignores a repeat, so a lost acknowledgement is harmless.
   */
  private void deliverOutcome(JsonObject message, int attempt) {
    bus.request(Addresses.COORDINATOR_INBOX, message,
        new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(OUTCOME_ACK_TIMEOUT_MS))
      .onFailure(err -> {
        if (attempt < OUTCOME_MAX_SENDS) {
          vertx.setTimer(OUTCOME_RESEND_DELAY_MS, t -> deliverOutcome(message, attempt + 1));
        } else {
          LOG.warn("node " + node.id() + " gave up reporting " + message.getJsonObject("payload").getString("taskId")
            + " after " + attempt + " sends: " + err.getMessage());
        }
      });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(heartbeatTimer);
    tasks.values().forEach(task -> task.stop(false));
    executor.shutdownNow();
    bus.send(Addresses.COORDINATOR_INBOX, envelope(MessageType.NODE_LEAVE, new JsonObject().put("id", node.id())));
    Promise<Void> done = Promise.promise();
    Future.all(inbox.unregister(), leaderChanges.unregister()).onComplete(ar -> done.complete());
    return done.future();
  }
}
