package io.mastermind.coordinator;

import io.mastermind.balancer.LoadBalancer;
import io.mastermind.cluster.ClusterView;
import io.mastermind.cluster.StandaloneClusterView;
import io.mastermind.health.NodeHealthPolicy.Health;
import io.mastermind.health.NodeHealthPolicy;
import io.mastermind.balancer.NodeSnapshot;
import io.mastermind.balancer.PlacementRequest;
import io.mastermind.events.EventPublisher;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.Envelope;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.EventNames;
import io.mastermind.protocol.MessageType;
import io.mastermind.protocol.NodeConfig;
import io.mastermind.protocol.NodeState;
import io.mastermind.protocol.TaskError;
import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.protocol.TaskStatus;
import io.mastermind.protocol.TaskType;
import io.mastermind.protocol.ValidationException;
import io.mastermind.resources.ResourceLedger;
import io.mastermind.resources.Resources;
import io.mastermind.scheduler.RetryBackoff;
import io.mastermind.scheduler.TaskQueue;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The leading coordinator: owns the task state machine (SPEC section 3), the queue, the ledger and
 * placement. Every piece of state here is touched only from this verticle's event loop; the policies
 * it drives ({@link TaskQueue}, {@link LoadBalancer}, {@link ResourceLedger}, {@link RetryBackoff})
 * are plain classes.
 *
 * <p>A task's life: submit ({@code queued}) &rarr; a scheduling pass reserves resources on a node and
 * sends a {@code task_assignment} ({@code scheduled}) &rarr; the worker reports {@code running},
 * progress and the outcome in {@code result_update}s &rarr; the reservation is released and the task
 * ends, or is queued again after a backoff when a retry is left.
 */
public class CoordinatorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorVerticle.class);

  /** Where an assigned task is: the node, its reservation and which attempt the node is running. */
  private record Placement(String nodeId, String reservationId, int attempt, boolean started) {
    Placement asStarted() {
      return new Placement(nodeId, reservationId, attempt, true);
    }
  }

  private final CoordinatorOptions options;
  private final TaskStore store;
  private final ClusterView cluster;
  private final String nodeId;
  /** Tasks a previous leader placed, waiting for their node to rejoin and say it still runs them. */
  private final Map<String, TaskRecord> awaitingRejoin = new HashMap<>();
  private final List<Long> timers = new ArrayList<>();
  private NodeHealthPolicy health;
  private boolean leading;

  private final ResourceLedger ledger = new ResourceLedger();
  private final NodeRegistry nodes = new NodeRegistry(ledger);
  private final Map<String, TaskRecord> records = new LinkedHashMap<>();
  private final Deque<String> finishedOrder = new ArrayDeque<>();
  private final Map<String, Placement> placements = new HashMap<>();
  /** Cancelled or finished tasks whose worker has not yet given their slot back. */
  private final Map<String, Placement> releasing = new HashMap<>();
  private final Map<String, Long> retryTimers = new HashMap<>();
  private final TaskWaiters waiters = new TaskWaiters();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private TaskQueue<PlacementRequest> queue;
  private LoadBalancer balancer;
  private RetryBackoff backoff;
  private EventPublisher events;
  private EventBus bus;
  private long epoch;
  private boolean passScheduled;

  /** The standalone coordinator: it leads from the start. */
  public CoordinatorVerticle(CoordinatorOptions options, TaskStore store, String nodeId) {
    this(options, store, new StandaloneClusterView(), nodeId);
  }

  /** A coordinator that leads only while {@code cluster} says so and stands by otherwise. */
  public CoordinatorVerticle(CoordinatorOptions options, TaskStore store, ClusterView cluster, String nodeId) {
    this.options = options;
    this.store = store;
    this.cluster = cluster;
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    events = new EventPublisher(bus, nodeId);
    balancer = new LoadBalancer(LoadBalancer.strategy(options.getStrategy()));
    backoff = options.retryBackoff();
    return cluster.start(new ClusterView.Listener() {
      @Override
      public void leadership(boolean lead) {
        if (lead) {
          lead();
        } else {
          stepDown();
        }
      }

      @Override
      public void nodeLost(String lostNodeId) {
        if (leading) {
          health.markFailed(lostNodeId, System.currentTimeMillis());
          onNodeFailed(lostNodeId, "left the cluster membership");
        }
      }
    });
  }

  // ---- leadership -----------------------------------------------------------------------------

  /**
   * Takes over: a new epoch, the queue and records rebuilt from the store, then the coordinator
   * addresses are consumed here. Tasks the old leader had placed wait {@code rejoinGraceMs} for their
   * node to rejoin and claim them; the rest run again elsewhere.
   */
  private void lead() {
    if (leading) {
      return;
    }
    leading = true;
    queue = new TaskQueue<>(options.getAgingIntervalMs());
    health = new NodeHealthPolicy(options.getHealthIntervalMs(), options.getHealthTimeoutMs(),
      options.getHealthRetries(), NodeHealthPolicy.DEFAULT_SUSPECT_PHI);
    cluster.nextEpoch()
      .compose(next -> {
        epoch = next;
        return store.all();
      })
      .compose(stored -> {
        rebuild(stored);
        return registerConsumers();
      })
      .onSuccess(v -> {
        LOG.info("coordinator " + nodeId + " leads with epoch " + epoch + ", " + records.size() + " tasks recovered");
        events.publish(EventNames.CLUSTER_LEADER, null, new JsonObject().put("leader", nodeId).put("epoch", epoch));
        bus.publish(Addresses.COORDINATOR_LEADER, new JsonObject().put("leader", nodeId).put("epoch", epoch));
        timers.add(vertx.setTimer(options.getRejoinGraceMs(), t -> requeueUnclaimed()));
        long tick = Math.max(20, Math.min(options.getHealthIntervalMs() / 10, 200));
        timers.add(vertx.setPeriodic(tick, t -> checkHealth()));
        schedulePass();
      })
      .onFailure(err -> {
        LOG.error("coordinator " + nodeId + " could not take over", err);
        stepDown();
      });
  }

  private void rebuild(List<TaskRecord> stored) {
    List<TaskRecord> ordered = new ArrayList<>(stored);
    ordered.sort(java.util.Comparator.comparingLong(TaskRecord::submittedAt));
    for (TaskRecord record : ordered) {
      records.put(record.id(), record);
      switch (record.status()) {
        case QUEUED -> queue.add(record.id(), record.spec().priority().rank(), System.currentTimeMillis(),
          placementOf(record.spec()));
        case SCHEDULED, RUNNING -> awaitingRejoin.put(record.id(), record);
        default -> finishedOrder.addLast(record.id());
      }
    }
  }

  /** Tasks no rejoining node claimed were lost with their node: they run again, without using a retry. */
  private void requeueUnclaimed() {
    List<TaskRecord> unclaimed = new ArrayList<>(awaitingRejoin.values());
    awaitingRejoin.clear();
    for (TaskRecord record : unclaimed) {
      requeue(record, false, TaskError.of(ErrorCode.NODE_LOST, "node " + record.node() + " did not rejoin the new leader"));
    }
  }

  private void stepDown() {
    if (!leading) {
      return;
    }
    leading = false;
    timers.forEach(vertx::cancelTimer);
    timers.clear();
    retryTimers.values().forEach(vertx::cancelTimer);
    retryTimers.clear();
    consumers.forEach(MessageConsumer::unregister);
    consumers.clear();
    records.clear();
    finishedOrder.clear();
    placements.clear();
    releasing.clear();
    awaitingRejoin.clear();
    nodes.clear();
    LOG.info("coordinator " + nodeId + " stands by");
  }

  private Future<?> registerConsumers() {
    consume(Addresses.COORDINATOR_SUBMIT, this::onSubmit);
    consume(Addresses.COORDINATOR_AWAIT, this::onAwait);
    consume(Addresses.COORDINATOR_GET, this::onGet);
    consume(Addresses.COORDINATOR_LIST, this::onList);
    consume(Addresses.COORDINATOR_CANCEL, this::onCancel);
    consume(Addresses.COORDINATOR_NODES, this::onNodes);
    consume(Addresses.COORDINATOR_DRAIN, this::onDrain);
    consume(Addresses.COORDINATOR_CLUSTER, this::onCluster);
    consume(Addresses.COORDINATOR_INBOX, this::onEnvelope);
    List<Future<?>> ready = consumers.stream().<Future<?>>map(MessageConsumer::completion).toList();
    return Future.all(ready);
  }

  private void consume(String address, Consumer<Message<JsonObject>> handler) {
    consumers.add(bus.<JsonObject>consumer(address, message -> {
      try {
        handler.accept(message);
      } catch (ValidationException e) {
        message.fail(ErrorCode.INVALID_FIELD.failureCode(), e.getMessage());
      } catch (RuntimeException e) {
        LOG.error("coordinator failed on " + address, e);
        message.fail(ErrorCode.INTERNAL.failureCode(), String.valueOf(e.getMessage()));
      }
    }));
  }

  // ---- submission ---------------------------------------------------------------------------

  private void onSubmit(Message<JsonObject> message) {
    TaskSpec spec = TaskSpec.fromJson(message.body().getJsonObject("task")).withGeneratedId();
    TaskRecord existing = records.get(spec.id());
    if (existing != null) {
      if (existing.spec().toJson().equals(spec.toJson())) {
        message.reply(existing.toJson(), new DeliveryOptions().addHeader("existing", "true"));
      } else {
        fail(message, ErrorCode.CONFLICT, "task " + spec.id() + " exists with a different body");
      }
      return;
    }
    PlacementRequest request = placementOf(spec);
    String refusal = refusal(spec, request);
    if (refusal != null) {
      fail(message, refusal.startsWith("function") ? ErrorCode.UNKNOWN_FUNCTION : ErrorCode.UNSATISFIABLE, refusal);
      return;
    }
    if (queue.size() >= options.getMaxQueuedTasks()) { // admission (SPEC 10): refused, nothing created
      fail(message, ErrorCode.QUEUE_FULL, "queue is full: " + queue.size() + " tasks queued (scheduler.maxQueuedTasks)");
      return;
    }
    TaskRecord record = TaskRecord.queued(spec, System.currentTimeMillis());
    if (nodes.memberSnapshots().isEmpty()) {
      record = record.withReason("no worker node has joined yet");
    }
    records.put(spec.id(), record);
    queue.add(spec.id(), spec.priority().rank(), record.submittedAt(), request);
    TaskRecord accepted = record;
    // Accepted means stored: the answer waits for the (replicated) write, so a leader dying now loses nothing.
    store.put(record).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("task " + accepted.id() + " could not be stored: " + ar.cause().getMessage());
      }
      events.publish(EventNames.TASK_SUBMITTED, accepted.id(), accepted.toJson());
      message.reply(accepted.toJson());
    });
    schedulePass();
  }

  /** Why no member could ever run the task, or null when one could (or none has joined yet). */
  private String refusal(TaskSpec spec, PlacementRequest request) {
    List<NodeSnapshot> members = nodes.memberSnapshots();
    if (members.isEmpty()) {
      return null;
    }
    String type = spec.type().wireName();
    if (members.stream().noneMatch(n -> n.serves(spec.function(), type))) {
      return "function '" + spec.function() + "' is not served for type " + type + " by any node";
    }
    if (!LoadBalancer.canEverPlace(members, request)) {
      Resources r = request.resources();
      return "no node has capability " + type + (r.gpu() > 0 ? " with a gpu" : "") + " and " + r.cpu()
        + " cores and " + r.memory() + " MB";
    }
    return null;
  }

  private static PlacementRequest placementOf(TaskSpec spec) {
    return new PlacementRequest(spec.type().wireName(), spec.function(),
      new Resources(spec.requirements().cpu(), spec.requirements().memory(), spec.requirements().gpu() ? 1 : 0));
  }

  // ---- queries --------------------------------------------------------------------------------

  private void onGet(Message<JsonObject> message) {
    TaskRecord record = records.get(message.body().getString("id"));
    if (record == null) {
      fail(message, ErrorCode.NOT_FOUND, "no task " + message.body().getString("id"));
    } else {
      message.reply(record.toJson());
    }
  }

  private void onAwait(Message<JsonObject> message) {
    String id = message.body().getString("id");
    TaskRecord record = records.get(id);
    if (record == null) {
      fail(message, ErrorCode.NOT_FOUND, "no task " + id);
      return;
    }
    long waitMs = message.body().getLong("waitMs", 0L);
    if (record.status().isTerminal() || waitMs <= 0) {
      message.reply(record.toJson());
      return;
    }
    long timer = vertx.setTimer(waitMs, t -> {
      if (waiters.remove(id, message)) {
        message.reply(records.getOrDefault(id, record).toJson());
      }
    });
    waiters.add(id, message, timer);
  }

  private void onList(Message<JsonObject> message) {
    JsonObject filter = message.body();
    TaskStatus status = filter.getString("status") == null ? null : TaskStatus.parse(filter.getString("status"), "status");
    TaskType type = filter.getString("type") == null ? null : TaskType.parse(filter.getString("type"), "type");
    int limit = filter.getInteger("limit", 100);
    List<TaskRecord> all = new ArrayList<>(records.values());
    JsonArray tasks = new JsonArray();
    // records is in submission order, so walking it backwards is newest first
    for (int i = all.size() - 1; i >= 0 && tasks.size() < limit; i--) {
      TaskRecord r = all.get(i);
      if ((status == null || r.status() == status) && (type == null || r.spec().type() == type)) {
        tasks.add(r.toJson());
      }
    }
    message.reply(new JsonObject().put("tasks", tasks).put("count", tasks.size()));
  }

  private void onNodes(Message<JsonObject> message) {
    String id = message.body().getString("id");
    if (id != null) {
      nodes.get(id).ifPresentOrElse(node -> message.reply(nodes.toJson(node)),
        () -> fail(message, ErrorCode.NOT_FOUND, "no node " + id));
      return;
    }
    JsonArray all = new JsonArray();
    nodes.all().forEach(node -> all.add(nodes.toJson(node)));
    message.reply(new JsonObject().put("nodes", all));
  }

  private void onCluster(Message<JsonObject> message) {
    Map<TaskStatus, Integer> byStatus = new EnumMap<>(TaskStatus.class);
    records.values().forEach(r -> byStatus.merge(r.status(), 1, Integer::sum));
    JsonObject tasks = new JsonObject();
    for (TaskStatus s : TaskStatus.values()) {
      tasks.put(s.wireName(), byStatus.getOrDefault(s, 0));
    }
    Map<NodeState, Integer> byState = new EnumMap<>(NodeState.class);
    nodes.all().forEach(n -> byState.merge(n.state, 1, Integer::sum));
    JsonObject nodeCounts = new JsonObject();
    for (NodeState s : NodeState.values()) {
      nodeCounts.put(s.wireName(), byState.getOrDefault(s, 0));
    }
    message.reply(new JsonObject()
      .put("name", options.getClusterName())
      .put("config", options.getClusterConfig().copy().put("scheduler", options.toJson()))
      .put("leader", new JsonObject().put("nodeId", nodeId).put("epoch", epoch))
      .put("queue", queue.size())
      .put("tasks", tasks)
      .put("nodes", nodeCounts));
  }

  // ---- scheduling -----------------------------------------------------------------------------

  /** Coalesces many triggers (submits, results, joins) into one pass on the next turn of the loop. */
  private void schedulePass() {
    if (!passScheduled) {
      passScheduled = true;
      context.runOnContext(v -> {
        passScheduled = false;
        placeQueued();
      });
    }
  }

  private void placeQueued() {
    if (queue.isEmpty()) {
      return;
    }
    Map<String, NodeSnapshot> eligible = new LinkedHashMap<>();
    nodes.eligibleSnapshots().forEach(s -> eligible.put(s.nodeId(), s));
    List<NodeSnapshot> members = nodes.memberSnapshots();
    for (TaskQueue.Entry<PlacementRequest> entry : queue.inOrder(System.currentTimeMillis(), options.getSchedulingBatch())) {
      PlacementRequest request = entry.item();
      var chosen = balancer.select(eligible.values(), request);
      if (chosen.isEmpty()) {
        noteWhyWaiting(entry.id(), members, request);
        continue;
      }
      String target = chosen.get().nodeId();
      String reservation = ledger.allocate(target, request.resources()).orElseThrow();
      queue.remove(entry.id());
      nodes.get(target).ifPresent(n -> n.running++);
      nodes.get(target).ifPresent(n -> eligible.put(target, nodes.snapshot(n)));
      assign(records.get(entry.id()), target, reservation);
    }
  }

  private void noteWhyWaiting(String taskId, List<NodeSnapshot> members, PlacementRequest request) {
    TaskRecord record = records.get(taskId);
    String why = members.isEmpty() ? "no worker node has joined yet"
      : LoadBalancer.canEverPlace(members, request) ? "waiting for a node with free resources"
      : "no node can hold it: needs capability " + request.type() + ", " + request.resources().cpu() + " cores, "
      + request.resources().memory() + " MB" + (request.resources().gpu() > 0 ? ", a gpu" : "");
    if (record != null && !why.equals(record.reason())) {
      records.put(taskId, record.withReason(why));
    }
  }

  private void assign(TaskRecord queued, String target, String reservation) {
    TaskRecord record = queued.scheduled(target);
    records.put(record.id(), record);
    store.put(record);
    Placement placement = new Placement(target, reservation, record.attempts(), false);
    placements.put(record.id(), placement);
    events.publish(EventNames.TASK_SCHEDULED, record.id(), new JsonObject().put("node", target)
      .put("attempt", record.attempts()));
    JsonObject payload = new JsonObject()
      .put("action", "run")
      .put("task", record.spec().toJson())
      .put("attempt", record.attempts())
      .put("epoch", epoch);
    bus.request(Addresses.nodeInbox(target), envelope(MessageType.TASK_ASSIGNMENT, target, payload),
        new DeliveryOptions().setSendTimeout(options.getAssignmentTimeoutMs()))
      .onFailure(err -> {
        // The node never took it: give the slot back and place it again, without using a retry.
        if (placements.get(record.id()) == placement) {
          LOG.warn("assignment of " + record.id() + " to " + target + " failed: " + err.getMessage());
          unplace(record.id());
          requeue(records.get(record.id()), false, TaskError.of(ErrorCode.NODE_LOST, err.getMessage()));
        }
      });
  }

  private JsonObject envelope(MessageType type, String receiver, JsonObject payload) {
    return Envelope.of(type, nodeId, receiver, payload).toJson();
  }

  /** Forgets where a task was placed and frees its slot; true when it was placed. */
  private boolean unplace(String taskId) {
    Placement placement = placements.remove(taskId);
    if (placement == null) {
      return false;
    }
    ledger.release(placement.reservationId());
    nodes.get(placement.nodeId()).ifPresent(n -> n.running = Math.max(0, n.running - 1));
    maybeFinishDrain(placement.nodeId());
    schedulePass();
    return true;
  }

  private void requeue(TaskRecord record, boolean usesRetry, TaskError lastError) {
    TaskRecord queued = record.requeued(usesRetry, lastError);
    records.put(queued.id(), queued);
    store.put(queued);
    queue.add(queued.id(), queued.spec().priority().rank(), System.currentTimeMillis(), placementOf(queued.spec()));
    schedulePass();
  }

  // ---- worker reports -------------------------------------------------------------------------

  private void onEnvelope(Message<JsonObject> message) {
    Envelope envelope = Envelope.fromJson(message.body());
    JsonObject payload = envelope.payload();
    switch (envelope.type()) {
      case RESULT_UPDATE -> {
        onResult(payload);
        message.reply(new JsonObject().put("ack", true)); // a worker resends an outcome until acknowledged
      }
      case NODE_JOIN -> onJoin(NodeConfig.fromJson(payload), payload.getJsonArray("running", new JsonArray()), message);
      case NODE_LEAVE -> onLeave(payload.getString("id"));
      case RESOURCE_UPDATE -> onResourceUpdate(envelope.sender(), payload, message);
      default -> LOG.debug("coordinator ignores " + envelope.type());
    }
  }

  private void onResult(JsonObject update) {
    String taskId = update.getString("taskId");
    int attempt = update.getInteger("attempt", -1);
    String status = update.getString("status");
    Placement releasingPlacement = releasing.get(taskId);
    if (releasingPlacement != null && releasingPlacement.attempt() == attempt && isEnd(status)) {
      // A cancelled task's worker has stopped: only now is its slot really free.
      releasing.remove(taskId);
      placements.put(taskId, releasingPlacement);
      unplace(taskId);
      return;
    }
    Placement placement = placements.get(taskId);
    TaskRecord record = records.get(taskId);
    if (placement == null || placement.attempt() != attempt || record == null || record.status().isTerminal()) {
      LOG.debug("stale result_update for " + taskId + " attempt " + attempt + " ignored");
      return;
    }
    long now = update.getLong("at", System.currentTimeMillis());
    switch (status) {
      case "running" -> {
        placements.put(taskId, placement.asStarted());
        TaskRecord running = record.running(now);
        records.put(taskId, running);
        events.publish(EventNames.TASK_STARTED, taskId, new JsonObject().put("node", placement.nodeId())
          .put("attempt", attempt));
      }
      case "progress" -> {
        double progress = update.getDouble("progress", 0.0);
        records.put(taskId, record.withProgress(progress));
        events.publish(EventNames.TASK_PROGRESS, taskId, new JsonObject().put("progress", progress)
          .put("node", placement.nodeId()));
      }
      case "succeeded" -> {
        unplace(taskId);
        finish(record.succeeded(update.getValue("result"), now));
      }
      case "timed_out" -> {
        unplace(taskId);
        finish(record.ended(TaskStatus.TIMED_OUT, TaskError.of(ErrorCode.TIMEOUT,
          "no result within " + record.spec().timeout() + " ms"), now));
      }
      case "failed" -> {
        unplace(taskId);
        TaskError error = TaskError.fromJson(update.getJsonObject("error"));
        onFailure(record, error == null ? TaskError.of(ErrorCode.HANDLER_ERROR, "failed") : error,
          update.getBoolean("retryable", true), now);
      }
      case "revoked" -> {
        unplace(taskId);
        requeue(record, false, null);
      }
      default -> LOG.warn("unknown result status " + status + " for " + taskId);
    }
  }

  private static boolean isEnd(String status) {
    return !"running".equals(status) && !"progress".equals(status);
  }

  private void onFailure(TaskRecord record, TaskError error, boolean retryable, long now) {
    if (!retryable || record.retries() >= record.spec().maxRetries()) {
      finish(record.ended(TaskStatus.FAILED, error, now));
      events.publish(EventNames.ALERT, record.id(), new JsonObject().put("severity", "warning")
        .put("kind", "task_failed").put("attempts", record.attempts()).put("error", error.toJson()));
      return;
    }
    int retry = record.retries() + 1;
    long delay = backoff.delayMs(retry);
    TaskRecord waiting = record.requeued(true, error).withReason("retry " + retry + " of "
      + record.spec().maxRetries() + " in " + delay + " ms");
    records.put(waiting.id(), waiting);
    store.put(waiting);
    events.publish(EventNames.TASK_RETRYING, waiting.id(), new JsonObject().put("retry", retry)
      .put("maxRetries", record.spec().maxRetries()).put("delayMs", delay).put("error", error.toJson()));
    long timer = vertx.setTimer(Math.max(1, delay), t -> {
      retryTimers.remove(waiting.id());
      TaskRecord current = records.get(waiting.id());
      if (current != null && current.status() == TaskStatus.QUEUED) {
        queue.add(current.id(), current.spec().priority().rank(), System.currentTimeMillis(), placementOf(current.spec()));
        schedulePass();
      }
    });
    retryTimers.put(waiting.id(), timer);
  }

  private void finish(TaskRecord terminal) {
    awaitingRejoin.remove(terminal.id());
    records.put(terminal.id(), terminal);
    store.put(terminal);
    queue.remove(terminal.id());
    Long retryTimer = retryTimers.remove(terminal.id());
    if (retryTimer != null) {
      vertx.cancelTimer(retryTimer);
    }
    events.publish(EventNames.forTerminal(terminal.status()), terminal.id(), terminal.toJson());
    waiters.complete(terminal.id(), m -> m.reply(terminal.toJson()), vertx::cancelTimer);
    finishedOrder.addLast(terminal.id());
    while (finishedOrder.size() > options.getRetainedTasks()) {
      String oldest = finishedOrder.removeFirst();
      records.remove(oldest);
      store.remove(oldest);
    }
  }

  // ---- cancel ---------------------------------------------------------------------------------

  private void onCancel(Message<JsonObject> message) {
    String id = message.body().getString("id");
    TaskRecord record = records.get(id);
    if (record == null) {
      fail(message, ErrorCode.NOT_FOUND, "no task " + id);
      return;
    }
    if (record.status().isTerminal()) {
      fail(message, ErrorCode.ALREADY_FINISHED, "task " + id + " already ended " + record.status().wireName());
      return;
    }
    Placement placement = placements.remove(id);
    TaskRecord cancelled = record.ended(TaskStatus.CANCELLED, TaskError.of(ErrorCode.CANCELLED, "cancelled by request"),
      System.currentTimeMillis());
    finish(cancelled);
    message.reply(cancelled.toJson());
    if (placement != null) {
      // Keep the slot reserved until the worker says its thread has stopped.
      releasing.put(id, placement);
      JsonObject payload = new JsonObject().put("action", "cancel").put("taskId", id).put("attempt", placement.attempt());
      bus.<JsonObject>request(Addresses.nodeInbox(placement.nodeId()),
          envelope(MessageType.TASK_ASSIGNMENT, placement.nodeId(), payload),
          new DeliveryOptions().setSendTimeout(options.getAssignmentTimeoutMs()))
        .onComplete(ar -> {
          boolean running = ar.succeeded() && ar.result().body().getBoolean("known", false);
          if (!running && releasing.remove(id) == placement) {
            placements.put(id, placement);
            unplace(id);
          }
        });
    }
  }

  // ---- nodes ----------------------------------------------------------------------------------

  /**
   * A node (re)joins with the tasks it is running. Those this leader still has placed there (or that
   * a previous leader placed there) are claimed again; any other it must stop, because the task was
   * re-placed while the node was gone: the reply lists them under {@code cancel}.
   */
  private void onJoin(NodeConfig config, JsonArray running, Message<JsonObject> message) {
    long now = System.currentTimeMillis();
    NodeState previous = nodes.join(config, now);
    health.heartbeat(config.id(), now);
    JsonObject data = config.toJson();
    if (previous == null || previous == NodeState.LEFT) {
      events.publishAbout(EventNames.NODE_JOIN, config.id(), data);
    } else if (previous != NodeState.HEALTHY && previous != NodeState.DRAINING) {
      events.publishAbout(EventNames.NODE_RESTORED, config.id(), data.put("previous", previous.wireName()));
    }
    JsonArray cancel = new JsonArray();
    java.util.Set<String> claimed = new java.util.HashSet<>();
    for (int i = 0; i < running.size(); i++) {
      JsonObject task = running.getJsonObject(i);
      String taskId = task.getString("taskId");
      int attempt = task.getInteger("attempt", -1);
      if (claim(config.id(), taskId, attempt, task.getBoolean("started", false))) {
        claimed.add(taskId);
      } else {
        cancel.add(taskId);
      }
    }
    // what a previous leader placed on this node and the node no longer has, was lost with it
    List<TaskRecord> lost = awaitingRejoin.values().stream()
      .filter(r -> config.id().equals(r.node()) && !claimed.contains(r.id())).toList();
    for (TaskRecord record : lost) {
      awaitingRejoin.remove(record.id());
      requeue(record, false, TaskError.of(ErrorCode.NODE_LOST, "node " + config.id() + " rejoined without it"));
    }
    message.reply(new JsonObject().put("leader", nodeId).put("epoch", epoch).put("cancel", cancel));
    schedulePass();
  }

  /** True when the task's current placement is this node and attempt (re-created after a takeover). */
  private boolean claim(String node, String taskId, int attempt, boolean started) {
    Placement placed = placements.get(taskId);
    if (placed != null) {
      return placed.nodeId().equals(node) && placed.attempt() == attempt;
    }
    TaskRecord record = awaitingRejoin.remove(taskId);
    if (record == null || !node.equals(record.node()) || record.attempts() != attempt) {
      if (record != null) {
        awaitingRejoin.put(taskId, record);
      }
      return false;
    }
    NodeRegistry.Node entry = nodes.get(node).orElseThrow();
    PlacementRequest request = placementOf(record.spec());
    String reservation = ledger.allocate(node, request.resources()).orElse(null);
    placements.put(taskId, new Placement(node, reservation, attempt, started || record.status() == TaskStatus.RUNNING));
    entry.running++;
    return true;
  }

  private void onLeave(String id) {
    NodeRegistry.Node node = nodes.get(id).orElse(null);
    if (node == null || node.state == NodeState.LEFT) {
      return;
    }
    int requeued = requeuePlacedOn(id, "node " + id + " left");
    nodes.leave(id);
    health.forget(id);
    events.publishAbout(EventNames.NODE_LEAVE, id, new JsonObject().put("id", id).put("requeued", requeued));
    schedulePass();
  }

  /** A heartbeat. A node this leader does not know as a member is told to join (again). */
  /**
   * Everything placed on a node that is gone runs again elsewhere (at-least-once), without using a
   * retry; slots it was still giving back are forgotten with it. Returns how many tasks were re-queued.
   */
  private int requeuePlacedOn(String id, String why) {
    List<String> stranded = placements.entrySet().stream()
      .filter(e -> e.getValue().nodeId().equals(id)).map(Map.Entry::getKey).sorted().toList();
    releasing.values().removeIf(p -> p.nodeId().equals(id));
    for (String taskId : stranded) {
      placements.remove(taskId);
      requeue(records.get(taskId), false, TaskError.of(ErrorCode.NODE_LOST, why));
    }
    return stranded.size();
  }

  private void onResourceUpdate(String sender, JsonObject payload, Message<JsonObject> message) {
    NodeRegistry.Node node = nodes.get(sender).orElse(null);
    boolean known = node != null && node.state != NodeState.LEFT && node.state != NodeState.FAILED;
    message.reply(new JsonObject().put("known", known).put("epoch", epoch));
    if (!known) {
      return;
    }
    long now = System.currentTimeMillis();
    health.heartbeat(sender, now);
    node.metrics = payload.getJsonObject("metrics", new JsonObject());
    node.lastSeen = now;
    events.publishAbout(EventNames.RESOURCE_UPDATE, sender, new JsonObject().put("metrics", node.metrics)
      .put("runningTasks", node.running));
  }

  // ---- failure detection and recovery ---------------------------------------------------------

  private void checkHealth() {
    long now = System.currentTimeMillis();
    for (NodeHealthPolicy.Transition t : health.evaluate(now)) {
      NodeRegistry.Node node = nodes.get(t.nodeId()).orElse(null);
      if (node == null || node.state == NodeState.LEFT || node.state == NodeState.FAILED) {
        continue;
      }
      JsonObject data = new JsonObject().put("phi", t.phi()).put("silentMs", t.silentMs());
      if (t.to() == Health.FAILED) {
        onNodeFailed(t.nodeId(), "no heartbeat for " + t.silentMs() + " ms");
      } else if (t.to() == Health.SUSPECT && node.state == NodeState.HEALTHY) {
        LOG.info("node " + t.nodeId() + " suspect: silent " + t.silentMs() + " ms, phi " + String.format("%.1f", t.phi()));
        node.state = NodeState.SUSPECT;
        events.publishAbout(EventNames.NODE_SUSPECT, t.nodeId(), data.put("state", "suspect"));
      } else if (t.to() == Health.HEALTHY && node.state == NodeState.SUSPECT) {
        LOG.info("node " + t.nodeId() + " healthy again");
        node.state = NodeState.HEALTHY;
        events.publishAbout(EventNames.NODE_RESTORED, t.nodeId(), data.put("state", "healthy").put("previous", "suspect"));
        schedulePass();
      }
    }
    for (NodeRegistry.Node node : nodes.all()) {
      String id = node.config.id();
      if (node.state == NodeState.SUSPECT && health.probeDue(id, now)) {
        health.probed(id, now);
        bus.request(Addresses.nodeInbox(id), envelope(MessageType.HEALTH_CHECK, id, new JsonObject()),
            new DeliveryOptions().setSendTimeout(options.getHealthTimeoutMs()))
          .onSuccess(reply -> health.heartbeat(id, System.currentTimeMillis()));
      }
    }
  }

  /**
   * A node is gone (membership lost or silent past the timeout): its reservations are dropped and
   * everything placed on it runs again elsewhere, at least once, without using a retry.
   */
  private void onNodeFailed(String id, String why) {
    NodeRegistry.Node node = nodes.get(id).orElse(null);
    if (node == null || node.state == NodeState.FAILED || node.state == NodeState.LEFT) {
      return;
    }
    int requeued = requeuePlacedOn(id, "node " + id + " failed: " + why);
    nodes.fail(id);
    JsonObject data = new JsonObject().put("reason", why).put("requeued", requeued);
    events.publishAbout(EventNames.NODE_FAILED, id, data);
    events.publishAbout(EventNames.ALERT, id, data.copy().put("severity", "critical").put("kind", "node_failed"));
    LOG.warn("node " + id + " failed (" + why + "); " + requeued + " tasks placed again");
    schedulePass();
  }

  /**
   * removeNode: no new task goes to the node, tasks assigned but not started go back to the queue
   * (the worker is asked to give them back), and once nothing runs there the node is told to leave.
   */
  private void onDrain(Message<JsonObject> message) {
    String id = message.body().getString("id");
    NodeRegistry.Node node = nodes.get(id).orElse(null);
    if (node == null) {
      fail(message, ErrorCode.NOT_FOUND, "no node " + id);
      return;
    }
    if (node.state == NodeState.LEFT) {
      fail(message, ErrorCode.ALREADY_FINISHED, "node " + id + " already left");
      return;
    }
    node.state = NodeState.DRAINING;
    events.publishAbout(EventNames.NODE_HEALTH, id, new JsonObject().put("state", node.state.wireName()));
    Map<String, String> notStarted = new HashMap<>();
    placements.forEach((taskId, p) -> {
      if (!p.started()) {
        notStarted.put(taskId, p.nodeId());
      }
    });
    for (String taskId : LoadBalancer.tasksToReplace(notStarted, eligibleIds())) {
      revoke(taskId, placements.get(taskId));
    }
    message.reply(nodes.toJson(node));
    maybeFinishDrain(id);
  }

  private java.util.Set<String> eligibleIds() {
    java.util.Set<String> ids = new java.util.HashSet<>();
    nodes.eligibleSnapshots().forEach(s -> ids.add(s.nodeId()));
    return ids;
  }

  /** Asks a worker to give back a task it has not started; it answers with a {@code revoked} result. */
  private void revoke(String taskId, Placement placement) {
    JsonObject payload = new JsonObject().put("action", "revoke").put("taskId", taskId).put("attempt", placement.attempt());
    bus.request(Addresses.nodeInbox(placement.nodeId()), envelope(MessageType.TASK_ASSIGNMENT, placement.nodeId(), payload),
      new DeliveryOptions().setSendTimeout(options.getAssignmentTimeoutMs()));
  }

  private void maybeFinishDrain(String id) {
    nodes.get(id).ifPresent(node -> {
      boolean busy = placements.values().stream().anyMatch(p -> p.nodeId().equals(id))
        || releasing.values().stream().anyMatch(p -> p.nodeId().equals(id));
      if (node.state == NodeState.DRAINING && !busy) {
        bus.publish(Addresses.NODE_ADMIN_LEAVE, new JsonObject().put("id", id));
        onLeave(id);
      }
    });
  }

  private static void fail(Message<?> message, ErrorCode code, String text) {
    message.fail(code.failureCode(), text);
  }

  @Override
  public Future<?> stop() {
    stepDown();
    return cluster.stop();
  }
}
