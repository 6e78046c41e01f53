package io.mastermind.coordinator;

import io.mastermind.balancer.Blocked;
import io.mastermind.balancer.LoadBalancerVerticle;
import io.mastermind.balancer.NodeSnapshot;
import io.mastermind.balancer.PassPlanner;
import io.mastermind.balancer.PlacementRequest;
import io.mastermind.cluster.ClusterView;
import io.mastermind.cluster.StandaloneClusterView;
import io.mastermind.controlplane.ControlMessages;
import io.mastermind.controlplane.LocalCodec;
import io.mastermind.events.EventPublisher;
import io.mastermind.health.HealthVerticle;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.Envelope;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.EventNames;
import io.mastermind.protocol.MessageType;
import io.mastermind.protocol.ResultBatch;
import io.mastermind.protocol.TaskError;
import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.protocol.TaskStatus;
import io.mastermind.protocol.TaskType;
import io.mastermind.protocol.ValidationException;
import io.mastermind.resources.ResourceVerticle;
import io.mastermind.store.StoredTasks;
import io.mastermind.store.TaskStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The leading coordinator: leadership and the epoch, task records, the queue, the state machine and
 * the store (its only writer). While it leads it deploys the leader's three other verticles
 * ({@link ResourceVerticle}, {@link LoadBalancerVerticle}, {@link HealthVerticle}) and talks to them
 * over local event-bus consumers; a standby runs none of them.
 *
 * <p>Accepted means stored: a submission is answered (and {@code task:submitted} published) only
 * once the batch holding its record is durable; a store failure answers 503 and creates nothing. The
 * same holds for a terminal state ({@link Outcomes}). Placement is {@link Dispatcher}'s job.
 */
public class CoordinatorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorVerticle.class);
  private static final long TICK_MS = 20;
  private static final long RELEAD_DELAY_MS = 1_000;

  /** A submission waiting for its write, with identical submissions that arrived meanwhile. */
  private record PendingSubmit(TaskRecord record, Message<JsonObject> first, List<Message<JsonObject>> duplicates) {
  }

  private final CoordinatorOptions options;
  private final TaskStore store;
  private final ClusterView cluster;
  private final String nodeId;
  private final Map<String, PendingSubmit> pendingSubmits = new HashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final List<String> deployments = new ArrayList<>();
  private final Map<PlacementRequest, Blocked> refusals = new HashMap<>();
  private List<NodeSnapshot> members = List.of();
  private LeaderState state;
  private Outcomes outcomes;
  private Dispatcher dispatcher;
  private EventPublisher events;
  private EventBus bus;
  private boolean leading;
  /** Bumped on every lead and step-down, so a takeover that finishes after a step-down is dropped. */
  private long generation;
  private long tickTimer = -1;
  /** Completes at the first successful takeover: a node that leads from the start is ready only then. */
  private final io.vertx.core.Promise<Void> firstTakeover = io.vertx.core.Promise.promise();

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
    LocalCodec.registerAll(bus);
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
          bus.send(Addresses.LEADER_HEALTH, new ControlMessages.MemberLost(lostNodeId));
        }
      }
    }).compose(v -> leading ? firstTakeover.future() : Future.succeededFuture());
  }

  // ---- leadership -----------------------------------------------------------------------------

  /**
   * Takes over: reads the store (undecodable records are skipped and reported), takes an epoch above
   * every epoch seen, deploys the leader's verticles and consumes the coordinator addresses. A failed
   * takeover steps down and tries again while this member should lead.
   */
  private void lead() {
    if (leading) {
      return;
    }
    leading = true;
    long round = ++generation;
    LeaderState st = new LeaderState(options, nodeId, vertx, events, store);
    store.load()
      .compose(stored -> cluster.nextEpoch(stored.highestEpoch() + 1).map(epoch -> {
        st.epoch = epoch;
        return stored;
      }))
      .compose(stored -> {
        if (round != generation) {
          return Future.failedFuture("leadership changed during takeover");
        }
        state = st;
        outcomes = new Outcomes(st, options.retryBackoff());
        dispatcher = new Dispatcher(st, outcomes, this::epochSeen);
        outcomes.bind(dispatcher);
        rebuild(stored);
        return deployHelpers(st.epoch).compose(v -> registerConsumers()).map(stored);
      })
      .onSuccess(stored -> {
        if (round != generation) {
          return;
        }
        LOG.info("coordinator " + nodeId + " leads with epoch " + st.epoch + ", " + st.book.size() + " tasks recovered");
        if (!stored.undecodable().isEmpty()) {
          LOG.warn(stored.undecodable().size() + " stored task records could not be read and were skipped: "
            + stored.undecodable().stream().limit(10).toList());
          events.publish(EventNames.ALERT, null, new JsonObject().put("severity", "warning").put("kind", "undecodable_records")
            .put("count", stored.undecodable().size())
            .put("ids", new JsonArray(new ArrayList<>(stored.undecodable().stream().limit(100).toList()))));
        }
        events.publish(EventNames.CLUSTER_LEADER, null, new JsonObject().put("leader", nodeId).put("epoch", st.epoch));
        bus.publish(Addresses.COORDINATOR_LEADER, new JsonObject().put("leader", nodeId).put("epoch", st.epoch));
        tickTimer = vertx.setPeriodic(TICK_MS, t -> outcomes.tick(System.currentTimeMillis()));
        firstTakeover.tryComplete();
      })
      .onFailure(err -> {
        if (round != generation) {
          return;
        }
        LOG.error("coordinator " + nodeId + " could not take over: " + err.getMessage(), err);
        stepDown();
        vertx.setTimer(RELEAD_DELAY_MS, t -> {
          if (!leading && cluster.shouldLead()) {
            lead();
          }
        });
      });
  }

  private void rebuild(StoredTasks stored) {
    List<TaskRecord> unfinished = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (TaskRecord record : stored.records()) {
      if (record.status().isTerminal()) {
        state.book.put(record, 512, record.finishedAt() == null ? now : record.finishedAt());
      } else {
        unfinished.add(record);
      }
    }
    state.book.evict(options.getRetainedTasks(), options.getRetainedBytes(), options.getRetainedForMs(), now)
      .forEach(state.commit::remove);
    dispatcher.adopt(unfinished, cluster.workerMembers());
  }

  private Future<Void> deployHelpers(long epoch) {
    var health = new HealthVerticle.HealthSettings(options.getHealthIntervalMs(), options.getHealthTimeoutMs(),
      options.getHealthRetries());
    return vertx.deployVerticle(new ResourceVerticle(nodeId))
      .compose(id -> {
        deployments.add(id);
        return vertx.deployVerticle(new LoadBalancerVerticle(options.getStrategy()));
      })
      .compose(id -> {
        deployments.add(id);
        return vertx.deployVerticle(new HealthVerticle(health, nodeId, epoch));
      })
      .map(id -> {
        deployments.add(id);
        return null;
      });
  }

  /** A worker had seen a newer epoch (two members died with the counter): lead above it. */
  private void epochSeen(long seen) {
    if (state != null && seen >= state.epoch) {
      state.epoch = seen + 1;
      LOG.warn("coordinator " + nodeId + " raises its epoch to " + state.epoch + " above one a worker had seen");
      cluster.raiseEpoch(state.epoch);
      bus.send(Addresses.LEADER_HEALTH, new ControlMessages.EpochChanged(state.epoch));
      bus.publish(Addresses.COORDINATOR_LEADER, new JsonObject().put("leader", nodeId).put("epoch", state.epoch));
    }
  }

  private void stepDown() {
    if (!leading) {
      return;
    }
    leading = false;
    generation++;
    if (tickTimer >= 0) {
      vertx.cancelTimer(tickTimer);
      tickTimer = -1;
    }
    consumers.forEach(MessageConsumer::unregister);
    consumers.clear();
    List.copyOf(deployments).forEach(id -> vertx.undeploy(id));
    deployments.clear();
    pendingSubmits.values().forEach(p -> fail(p.first(), ErrorCode.UNAVAILABLE, "the coordinator stopped leading"));
    pendingSubmits.clear();
    if (outcomes != null) {
      outcomes.clear();
      dispatcher.clear();
    }
    state = null;
    members = List.of();
    refusals.clear();
    LOG.info("coordinator " + nodeId + " stands by");
  }

  private Future<?> registerConsumers() {
    consume(Addresses.COORDINATOR_SUBMIT, this::onSubmit);
    consume(Addresses.COORDINATOR_AWAIT, this::onAwait);
    consume(Addresses.COORDINATOR_GET, this::onGet);
    consume(Addresses.COORDINATOR_LIST, this::onList);
    consume(Addresses.COORDINATOR_CANCEL, this::onCancel);
    consume(Addresses.COORDINATOR_CLUSTER, this::onCluster);
    consume(Addresses.COORDINATOR_INBOX, this::onEnvelope);
    consumers.add(bus.localConsumer(Addresses.LEADER_COORDINATOR, this::onControl));
    return Future.all(consumers.stream().<Future<?>>map(MessageConsumer::completion).toList());
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

  /** Messages from the leader's other verticles. */
  private void onControl(Message<Object> message) {
    Object body = message.body();
    if (body instanceof ControlMessages.NodeJoined joined) {
      message.reply(dispatcher.claims(joined));
    } else if (body instanceof ControlMessages.NodeLost lost) {
      dispatcher.nodeLost(lost);
    } else if (body instanceof ControlMessages.RevokeUnstarted revoke) {
      dispatcher.revokeUnstarted(revoke.nodeId());
    } else if (body instanceof ControlMessages.CapacityAvailable capacity) {
      dispatcher.onCapacity(capacity.room());
    } else if (body instanceof ControlMessages.Members m) {
      members = m.nodes();
      refusals.clear();
      dispatcher.requestPass();
    }
  }

  // ---- submission -----------------------------------------------------------------------------

  private void onSubmit(Message<JsonObject> message) {
    TaskSpec spec = TaskSpec.fromJson(message.body().getJsonObject("task")).withGeneratedId();
    TaskRecord existing = state.book.get(spec.id());
    if (existing != null) {
      if (existing.spec().toJson().equals(spec.toJson())) {
        message.reply(existing.toJson(), new DeliveryOptions().addHeader("existing", "true"));
      } else {
        fail(message, ErrorCode.CONFLICT, "task " + spec.id() + " exists with a different body");
      }
      return;
    }
    PendingSubmit pending = pendingSubmits.get(spec.id());
    if (pending != null) {
      if (pending.record().spec().toJson().equals(spec.toJson())) {
        pending.duplicates().add(message);
      } else {
        fail(message, ErrorCode.CONFLICT, "task " + spec.id() + " exists with a different body");
      }
      return;
    }
    PlacementRequest shape = state.shapeOf(spec);
    Blocked never = members.isEmpty() ? null : refusals.computeIfAbsent(shape, r -> {
      Blocked why = PassPlanner.whyNever(members, r);
      return why == null ? new Blocked("", "", false) : why;
    });
    if (never != null && never.permanent()) {
      fail(message, "function".equals(never.dimension()) ? ErrorCode.UNKNOWN_FUNCTION : ErrorCode.UNSATISFIABLE, never.reason());
      return;
    }
    int queued = state.queue.size() + pendingSubmits.size();
    if (queued >= options.getMaxQueuedTasks()) { // admission (SPEC 10): refused, nothing created
      fail(message, ErrorCode.QUEUE_FULL, "queue is full: " + queued + " tasks queued (scheduler.maxQueuedTasks)");
      return;
    }
    TaskRecord record = TaskRecord.queued(spec, System.currentTimeMillis());
    if (members.isEmpty()) {
      record = record.withReason("no worker node has joined yet");
    }
    TaskRecord accepted = record;
    LeaderState st = state;
    pendingSubmits.put(spec.id(), new PendingSubmit(accepted, message, new ArrayList<>(0)));
    st.commit.put(accepted).onComplete(ar -> {
      PendingSubmit done = pendingSubmits.remove(accepted.id());
      if (done == null || state != st) {
        return; // stepped down meanwhile: already answered UNAVAILABLE
      }
      if (ar.failed()) {
        String why = "task " + accepted.id() + " could not be stored, nothing was created: " + ar.cause().getMessage();
        fail(message, ErrorCode.UNAVAILABLE, why);
        done.duplicates().forEach(m -> fail(m, ErrorCode.UNAVAILABLE, why));
        return;
      }
      st.book.put(accepted);
      st.enqueue(accepted, System.currentTimeMillis());
      JsonObject json = accepted.toJson();
      events.publish(EventNames.TASK_SUBMITTED, accepted.id(), json);
      message.reply(json);
      done.duplicates().forEach(m -> m.reply(json, new DeliveryOptions().addHeader("existing", "true")));
      dispatcher.requestPass();
    });
  }

  // ---- queries --------------------------------------------------------------------------------

  private TaskRecord find(Message<JsonObject> message) {
    String id = message.body().getString("id");
    TaskRecord record = id == null ? null : state.book.get(id);
    if (record == null) {
      fail(message, ErrorCode.NOT_FOUND, "no task " + id);
    }
    return record;
  }

  private void onGet(Message<JsonObject> message) {
    TaskRecord record = find(message);
    if (record != null) {
      message.reply(toJson(record));
    }
  }

  /** The status record, with {@code blockedBy} while it waits for the dimension that holds it. */
  private JsonObject toJson(TaskRecord record) {
    JsonObject json = record.toJson();
    if (record.status() == TaskStatus.QUEUED) {
      Blocked blocked = dispatcher.blockedBy(record.id());
      if (dispatcher.inGrace() && !state.queue.contains(record.id())) {
        json.put("reason", "waiting for the nodes to rejoin the new leader");
      } else if (blocked != null) {
        json.put("blockedBy", new JsonObject().put("dimension", blocked.dimension()));
      }
    }
    return json;
  }

  private void onAwait(Message<JsonObject> message) {
    TaskRecord record = find(message);
    if (record != null) {
      outcomes.await(record, message.body().getLong("waitMs", 0L), message);
    }
  }

  private void onList(Message<JsonObject> message) {
    JsonObject filter = message.body();
    TaskStatus status = filter.getString("status") == null ? null : TaskStatus.parse(filter.getString("status"), "status");
    TaskType type = filter.getString("type") == null ? null : TaskType.parse(filter.getString("type"), "type");
    TaskBook.Page page = state.book.list(status, type, filter.getInteger("limit", 100), filter.getString("after"));
    JsonArray tasks = new JsonArray(new ArrayList<>(page.records().size()));
    page.records().forEach(r -> tasks.add(r.toJson()));
    JsonObject answer = new JsonObject().put("tasks", tasks).put("count", tasks.size());
    if (page.next() != null) {
      answer.put("next", page.next());
    }
    message.reply(answer);
  }

  private void onCluster(Message<JsonObject> message) {
    JsonObject tasks = new JsonObject();
    for (TaskStatus s : TaskStatus.values()) {
      tasks.put(s.wireName(), state.book.count(s));
    }
    JsonObject summary = new JsonObject()
      .put("name", options.getClusterName())
      .put("config", options.getClusterConfig().copy().put("scheduler", options.toJson()))
      .put("leader", new JsonObject().put("nodeId", nodeId).put("epoch", state.epoch))
      .put("queue", state.queue.size())
      .put("tasks", tasks)
      .put("store", new JsonObject().put("flushes", state.commit.flushes()).put("entries", state.commit.entries()))
      .put("waiters", outcomes.waiterCount());
    bus.<JsonObject>request(Addresses.LEADER_HEALTH_COUNTS, new JsonObject(), new DeliveryOptions().setSendTimeout(2_000))
      .onComplete(ar -> message.reply(summary.put("nodes", ar.succeeded() ? ar.result().body() : new JsonObject())));
  }

  // ---- cancel ---------------------------------------------------------------------------------

  /** Cancel: stored as cancelled first, then answered; a placed task's worker is told to stop. */
  private void onCancel(Message<JsonObject> message) {
    TaskRecord record = find(message);
    if (record == null) {
      return;
    }
    if (record.status().isTerminal() || state.finishing.containsKey(record.id())) {
      fail(message, ErrorCode.ALREADY_FINISHED, "task " + record.id() + " already ended "
        + (record.status().isTerminal() ? record.status() : state.finishing.get(record.id()).status()).wireName());
      return;
    }
    String id = record.id();
    Placements.Placement placement = state.placements.remove(id);
    boolean wasQueued = state.queue.contains(id);
    TaskRecord cancelled = record.ended(TaskStatus.CANCELLED, TaskError.of(ErrorCode.CANCELLED, "cancelled by request"),
      System.currentTimeMillis());
    LeaderState st = state;
    outcomes.finish(cancelled).onComplete(ar -> {
      if (state != st) {
        return;
      }
      if (ar.succeeded()) {
        message.reply(cancelled.toJson());
        if (placement != null) {
          dispatcher.stopOnWorker(id, placement);
        }
        return;
      }
      if (placement != null) {
        st.placements.put(id, placement);
      } else if (wasQueued) {
        st.enqueue(record, System.currentTimeMillis());
      }
      fail(message, ErrorCode.UNAVAILABLE, "cancel of " + id + " could not be stored: " + ar.cause().getMessage());
    });
  }

  // ---- worker reports -------------------------------------------------------------------------

  private void onEnvelope(Message<JsonObject> message) {
    Envelope envelope = Envelope.fromJson(message.body());
    if (envelope.type() != MessageType.RESULT_UPDATE) {
      fail(message, ErrorCode.INVALID_FIELD, "the coordinator takes result_update only, not " + envelope.type().wireName());
      return;
    }
    outcomes.onResults(envelope.sender(), ResultBatch.fromJson(envelope.payload()), message);
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
