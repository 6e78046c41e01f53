package io.mastermind.worker;

import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.Assignment;
import io.mastermind.protocol.AssignmentBatch;
import io.mastermind.protocol.Envelope;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.JoinReply;
import io.mastermind.protocol.JoinRequest;
import io.mastermind.protocol.MessageType;
import io.mastermind.protocol.NodeConfig;
import io.mastermind.protocol.ResultAck;
import io.mastermind.protocol.ResultBatch;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.protocol.TaskUpdate;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The leader's side of the worker protocol, played by a test on a local event bus: answers
 * {@code node_join} and {@code resource_update} on {@link Addresses#HEALTH_INBOX}, records the
 * {@code result_update} batches on {@link Addresses#COORDINATOR_INBOX} and answers them as the test
 * decides (by default: every outcome acknowledged), and sends envelopes to a worker's inbox.
 * {@link #when} turns "this has been seen" into a future, so tests wait on events, never on time.
 */
final class StandInLeader {

  /** Every message seen, in arrival order: {@code node_join}, {@code resource_update}, {@code result_update}, {@code node_leave}. */
  record Seen(MessageType type, JsonObject payload) {
  }

  private record Waiter(Supplier<?> probe, Promise<Object> promise) {
  }

  private final Vertx vertx;
  private final List<Seen> seen = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  /** Answers a {@code node_join}; null fails the request as a leader not ready would. */
  volatile Function<JoinRequest, JoinReply> onJoin = join -> new JoinReply("leader", 1, List.of());
  volatile Function<JsonObject, Boolean> onHeartbeat = heartbeat -> true;
  volatile BiConsumer<ResultBatch, Message<JsonObject>> onResults = (batch, message) -> message.reply(ackAll(batch).toJson());

  private StandInLeader(Vertx vertx) {
    this.vertx = vertx;
  }

  static Future<StandInLeader> start(Vertx vertx) {
    StandInLeader leader = new StandInLeader(vertx);
    leader.consumers.add(vertx.eventBus().consumer(Addresses.HEALTH_INBOX, leader::onHealthInbox));
    leader.consumers.add(vertx.eventBus().consumer(Addresses.COORDINATOR_INBOX, leader::onCoordinatorInbox));
    return Future.all(leader.consumers.stream().map(MessageConsumer::completion).toList()).map(leader);
  }

  Future<Void> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  /** Answers first, then records: a test that waits for a message knows its answer is on the way. */
  private void onHealthInbox(Message<JsonObject> message) {
    Envelope envelope = Envelope.fromJson(message.body());
    switch (envelope.type()) {
      case NODE_JOIN -> {
        JoinReply reply = onJoin.apply(JoinRequest.fromJson(envelope.payload()));
        if (reply == null) {
          message.fail(ErrorCode.UNAVAILABLE.failureCode(), "no leader yet");
        } else {
          message.reply(reply.toJson());
        }
      }
      case RESOURCE_UPDATE -> message.reply(new JsonObject().put("known", onHeartbeat.apply(envelope.payload()))
        .put("epoch", 1));
      default -> { } // node_leave is one-way
    }
    record(envelope);
  }

  private void onCoordinatorInbox(Message<JsonObject> message) {
    Envelope envelope = Envelope.fromJson(message.body());
    onResults.accept(ResultBatch.fromJson(envelope.payload()), message);
    record(envelope);
  }

  private void record(Envelope envelope) {
    List<Waiter> satisfied = new ArrayList<>();
    synchronized (this) {
      seen.add(new Seen(envelope.type(), envelope.payload()));
      waiters.removeIf(w -> w.probe().get() != null && satisfied.add(w));
    }
    satisfied.forEach(w -> w.promise().tryComplete(w.probe().get()));
  }

  /** Completes with the probe's first non-null answer, tried now and after every message the leader sees. */
  @SuppressWarnings("unchecked")
  <T> Future<T> when(Supplier<T> probe) {
    Promise<Object> promise = Promise.promise();
    synchronized (this) {
      T now = probe.get();
      if (now != null) {
        return Future.succeededFuture(now);
      }
      waiters.add(new Waiter(probe, promise));
    }
    return (Future<T>) promise.future();
  }

  synchronized List<Seen> seen() {
    return List.copyOf(seen);
  }

  synchronized List<JoinRequest> joins() {
    return seen.stream().filter(s -> s.type() == MessageType.NODE_JOIN).map(s -> JoinRequest.fromJson(s.payload())).toList();
  }

  synchronized List<ResultBatch> batches() {
    return seen.stream().filter(s -> s.type() == MessageType.RESULT_UPDATE).map(s -> ResultBatch.fromJson(s.payload())).toList();
  }

  /** Every update received, in arrival order (resent outcomes appear again). */
  synchronized List<TaskUpdate> updates() {
    return batches().stream().flatMap(b -> b.updates().stream()).toList();
  }

  synchronized List<TaskUpdate> updatesOf(String taskId) {
    return updates().stream().filter(u -> u.taskId().equals(taskId)).toList();
  }

  /** Every outcome received for the task, resends included. */
  synchronized List<TaskUpdate> outcomesOf(String taskId) {
    return updatesOf(taskId).stream().filter(TaskUpdate::isOutcome).toList();
  }

  /** The first outcome received for the task. */
  Future<TaskUpdate> outcome(String taskId) {
    return when(() -> updatesOf(taskId).stream().filter(TaskUpdate::isOutcome).findFirst().orElse(null));
  }

  Future<TaskUpdate> update(String taskId, String status) {
    return when(() -> updatesOf(taskId).stream().filter(u -> u.status().equals(status)).findFirst().orElse(null));
  }

  /** The {@code n}-th {@code node_join} (1 is the first). */
  Future<JoinRequest> join(int n) {
    return when(() -> joins().size() >= n ? joins().get(n - 1) : null);
  }

  static ResultAck ackAll(ResultBatch batch) {
    return new ResultAck(batch.updates().stream().filter(TaskUpdate::isOutcome).map(TaskUpdate::taskId).toList(), List.of());
  }

  /** Sends an {@code task_assignment} at {@code epoch}; completes with the worker's answer. */
  Future<JsonObject> assign(String nodeId, long epoch, Assignment... tasks) {
    return send(nodeId, MessageType.TASK_ASSIGNMENT, new AssignmentBatch(epoch, Arrays.asList(tasks)).toJson());
  }

  Future<JsonObject> send(String nodeId, MessageType type, JsonObject payload) {
    return vertx.eventBus().<JsonObject>request(Addresses.nodeInbox(nodeId),
      Envelope.of(type, "leader", nodeId, payload).toJson()).map(Message::body);
  }

  /** Tells every worker a leader started; they join again. */
  void announce() {
    vertx.eventBus().publish(Addresses.COORDINATOR_LEADER, new JsonObject().put("leader", "leader").put("epoch", 1));
  }

  // ---- workers and tasks -------------------------------------------------------------------------

  static final HandlerRegistry BUILTINS = HandlerRegistry.load(null);

  /** A worker with these resources, no gpu, the default capabilities. */
  static NodeConfig node(String id, double cpuCores, long memoryMb) {
    return new NodeConfig(id, "127.0.0.1", 0, NodeConfig.DEFAULT_CAPABILITIES, cpuCores, 1.0, memoryMb, false, null);
  }

  /** Options that keep the bus quiet unless a test turns something up: no heartbeat within a test's time. */
  static WorkerOptions quiet() {
    return new WorkerOptions().setHeartbeatIntervalMs(60_000).setJoinRetryMs(50);
  }

  static Future<String> deploy(Vertx vertx, NodeConfig node, WorkerOptions options) {
    return vertx.deployVerticle(new WorkerVerticle(node, options, BUILTINS));
  }


  static Assignment echo(String id, Object data) {
    return task(id, 1, "compute", "echo", data, 0.25, 0);
  }

  static Assignment sleep(String id, long ms) {
    return sleep(id, 1, ms, 1, 0);
  }

  static Assignment sleep(String id, int attempt, long ms, double cpu, long memory) {
    return task(id, attempt, "io_bound", "sleep", new JsonObject().put("ms", ms), cpu, memory);
  }

  static Assignment task(String id, int attempt, String type, String function, Object data, double cpu, long memory) {
    JsonObject json = new JsonObject().put("id", id).put("type", type)
      .put("payload", new JsonObject().put("function", function).put("data", data))
      .put("requirements", new JsonObject().put("cpu", cpu).put("memory", memory));
    return new Assignment(TaskSpec.fromJson(json), attempt);
  }
}
