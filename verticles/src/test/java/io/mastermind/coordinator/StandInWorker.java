package io.mastermind.coordinator;

import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.Assignment;
import io.mastermind.protocol.AssignmentBatch;
import io.mastermind.protocol.Envelope;
import io.mastermind.protocol.HeldTask;
import io.mastermind.protocol.JoinReply;
import io.mastermind.protocol.JoinRequest;
import io.mastermind.protocol.MessageType;
import io.mastermind.protocol.NodeConfig;
import io.mastermind.protocol.ResultAck;
import io.mastermind.protocol.ResultBatch;
import io.mastermind.protocol.TaskUpdate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A worker node as the leader sees it, and nothing more: it speaks the control-plane wire protocol
 * (JSON {@link Envelope}s) exactly as a worker does, records every envelope the leader sends to its
 * inbox, and answers them as the test scripts it. It runs no task: the test reports outcomes for it.
 *
 * <p>Default answers: {@code task_assignment} {@code {"accepted": n}}, {@code task_cancel}
 * {@code {"known": false}}, {@code task_revoke} {@code {"revoked": true}}, {@code health_check}
 * {@code {"id", "status": "ok"}}.
 */
final class StandInWorker {

  /** The functions every stand-in serves, for every task type. */
  static final Map<String, Set<String>> FUNCTIONS = Map.of("echo", Set.of("*"), "sleep", Set.of("*"), "pi", Set.of("*"));
  private static final String LEADER = "leader";
  private static final DeliveryOptions REQUEST = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final NodeConfig config;
  private final int prefetch;
  private final Recorder<Envelope> inbox;
  private final Map<MessageType, Function<Envelope, JsonObject>> answers = new ConcurrentHashMap<>();
  /** The highest leader epoch seen, sent on every join as a worker does. */
  private final AtomicLong epochSeen = new AtomicLong();
  private final MessageConsumer<JsonObject> consumer;

  /** A node with {@code cpu} cores, {@code memoryMb} MB, the default capabilities and {@link #FUNCTIONS}. */
  static NodeConfig config(String id, double cpu, long memoryMb) {
    return NodeConfig.fromJson(new JsonObject().put("id", id)
      .put("resources", new JsonObject().put("cpu", cpu).put("memory", memoryMb))).withFunctions(FUNCTIONS);
  }

  StandInWorker(Vertx vertx, String id, double cpu, int prefetch) {
    this(vertx, config(id, cpu, 4096), prefetch);
  }

  StandInWorker(Vertx vertx, NodeConfig config, int prefetch) {
    this.vertx = vertx;
    this.config = config;
    this.prefetch = prefetch;
    this.inbox = new Recorder<>(vertx, "inbox of " + config.id());
    answers.put(MessageType.TASK_ASSIGNMENT, e -> new JsonObject()
      .put("accepted", e.payload().getJsonArray("tasks").size()));
    answers.put(MessageType.TASK_CANCEL, e -> new JsonObject().put("known", false));
    answers.put(MessageType.TASK_REVOKE, e -> new JsonObject().put("revoked", true));
    answers.put(MessageType.HEALTH_CHECK, e -> new JsonObject().put("id", config.id()).put("status", "ok"));
    consumer = vertx.eventBus().consumer(Addresses.nodeInbox(config.id()), this::onInbox);
  }

  String id() {
    return config.id();
  }

  /** Completes once the inbox consumer is registered. */
  Future<Void> ready() {
    return consumer.completion();
  }

  /** How this stand-in answers envelopes of {@code type} from now on. */
  StandInWorker answer(MessageType type, Function<Envelope, JsonObject> answer) {
    answers.put(type, answer);
    return this;
  }

  private void onInbox(Message<JsonObject> message) {
    Envelope envelope = Envelope.fromJson(message.body());
    if (envelope.type() == MessageType.TASK_ASSIGNMENT) {
      epochSeen.accumulateAndGet(envelope.payload().getLong("epoch", 0L), Math::max);
    }
    Function<Envelope, JsonObject> answer = answers.get(envelope.type());
    inbox.add(envelope); // recorded before answering: a test that sees the answer's effects sees the envelope
    message.reply(answer == null ? new JsonObject() : answer.apply(envelope));
  }

  // ---- to the leader --------------------------------------------------------------------------

  /** {@code node_join} holding nothing, with the highest epoch seen so far. */
  Future<JoinReply> join() {
    return join(List.of(), epochSeen.get());
  }

  Future<JoinReply> join(List<HeldTask> held, long epoch) {
    JsonObject payload = new JoinRequest(config, held, prefetch, epoch).toJson();
    return vertx.eventBus().<JsonObject>request(Addresses.HEALTH_INBOX, envelope(MessageType.NODE_JOIN, payload), REQUEST)
      .map(reply -> {
        JoinReply join = JoinReply.fromJson(reply.body());
        epochSeen.accumulateAndGet(join.epoch(), Math::max);
        return join;
      });
  }

  /** {@code resource_update}; the reply is {@code {"known", "epoch"}}. */
  Future<JsonObject> heartbeat(int runningTasks) {
    JsonObject payload = new JsonObject().put("id", config.id()).put("metrics", new JsonObject())
      .put("runningTasks", runningTasks);
    return vertx.eventBus().<JsonObject>request(Addresses.HEALTH_INBOX, envelope(MessageType.RESOURCE_UPDATE, payload), REQUEST)
      .map(Message::body);
  }

  /** {@code node_leave}. */
  Future<Void> leave() {
    JsonObject payload = new JsonObject().put("id", config.id());
    return vertx.eventBus().request(Addresses.HEALTH_INBOX, envelope(MessageType.NODE_LEAVE, payload), REQUEST)
      .mapEmpty();
  }

  /** {@code result_update} with these reports, oldest first; the reply is a {@link ResultAck}. */
  Future<ResultAck> report(TaskUpdate... updates) {
    return report(List.of(updates));
  }

  Future<ResultAck> report(List<TaskUpdate> updates) {
    JsonObject payload = new ResultBatch(updates).toJson();
    return vertx.eventBus().<JsonObject>request(Addresses.COORDINATOR_INBOX, envelope(MessageType.RESULT_UPDATE, payload), REQUEST)
      .map(reply -> ResultAck.fromJson(reply.body()));
  }

  private JsonObject envelope(MessageType type, JsonObject payload) {
    return Envelope.of(type, config.id(), LEADER, payload).toJson();
  }

  // ---- what the leader sent -------------------------------------------------------------------

  List<Envelope> received() {
    return inbox.all();
  }

  List<Envelope> received(MessageType type) {
    return inbox.all().stream().filter(e -> e.type() == type).toList();
  }

  List<AssignmentBatch> batches() {
    return received(MessageType.TASK_ASSIGNMENT).stream().map(e -> AssignmentBatch.fromJson(e.payload())).toList();
  }

  /** Every task assigned so far, in arrival order. */
  List<Assignment> assignments() {
    List<Assignment> all = new ArrayList<>();
    batches().forEach(b -> all.addAll(b.tasks()));
    return all;
  }

  /** Completes with every assignment so far once at least {@code n} tasks were assigned. */
  Future<List<Assignment>> assigned(int n) {
    return inbox.until(list -> count(list) >= n).map(list -> assignments());
  }

  /** Completes once the assignment of this attempt of this task has arrived. */
  Future<Assignment> assigned(String taskId, int attempt) {
    return inbox.until(list -> assignmentsIn(list).stream().anyMatch(a -> is(a, taskId, attempt)))
      .map(list -> assignmentsIn(list).stream().filter(a -> is(a, taskId, attempt)).findFirst().orElseThrow());
  }

  /** The next {@code task_assignment} batch to arrive after this call. */
  Future<AssignmentBatch> nextBatch() {
    return inbox.next(e -> e.type() == MessageType.TASK_ASSIGNMENT).map(e -> AssignmentBatch.fromJson(e.payload()));
  }

  /** The first {@code task_assignment} batch holding this task (received before or after the call). */
  Future<AssignmentBatch> batchWith(String taskId) {
    return inbox.until(list -> batchWith(list, taskId) != null).map(list -> batchWith(list, taskId));
  }

  private static AssignmentBatch batchWith(List<Envelope> envelopes, String taskId) {
    return envelopes.stream().filter(e -> e.type() == MessageType.TASK_ASSIGNMENT)
      .map(e -> AssignmentBatch.fromJson(e.payload()))
      .filter(b -> b.tasks().stream().anyMatch(a -> a.spec().id().equals(taskId)))
      .findFirst().orElse(null);
  }

  /** Completes with the first envelope of this type about this task (received before or after the call). */
  Future<Envelope> receivedAbout(MessageType type, String taskId) {
    return inbox.until(list -> list.stream().anyMatch(e -> about(e, type, taskId)))
      .map(list -> list.stream().filter(e -> about(e, type, taskId)).findFirst().orElseThrow());
  }

  private static boolean about(Envelope e, MessageType type, String taskId) {
    return e.type() == type && taskId.equals(e.payload().getString("taskId"));
  }

  private static boolean is(Assignment a, String taskId, int attempt) {
    return a.spec().id().equals(taskId) && a.attempt() == attempt;
  }

  private static List<Assignment> assignmentsIn(List<Envelope> envelopes) {
    List<Assignment> all = new ArrayList<>();
    envelopes.stream().filter(e -> e.type() == MessageType.TASK_ASSIGNMENT)
      .forEach(e -> all.addAll(AssignmentBatch.fromJson(e.payload()).tasks()));
    return all;
  }

  private static int count(List<Envelope> envelopes) {
    return envelopes.stream().filter(e -> e.type() == MessageType.TASK_ASSIGNMENT)
      .mapToInt(e -> e.payload().getJsonArray("tasks").size()).sum();
  }

  Future<Void> close() {
    return consumer.unregister();
  }
}
