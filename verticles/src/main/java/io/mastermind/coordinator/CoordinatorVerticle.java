package io.mastermind.coordinator;

import io.mastermind.controlplane.LoadBalancerVerticle;
import io.mastermind.cluster.ClusterView;
import io.mastermind.cluster.StandaloneClusterView;
import io.mastermind.controlplane.ControlMessages;
import io.mastermind.controlplane.LocalCodec;
import io.mastermind.events.EventPublisher;
import io.mastermind.controlplane.HealthSettings;
import io.mastermind.controlplane.HealthVerticle;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.Envelope;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.EventNames;
import io.mastermind.protocol.MessageType;
import io.mastermind.protocol.ResultBatch;
import io.mastermind.protocol.TaskError;
import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskStatus;
import io.mastermind.protocol.ValidationException;
import io.mastermind.controlplane.ResourceVerticle;
import io.mastermind.security.Opened;
import io.mastermind.security.SecureChannel;
import io.mastermind.store.StoredTasks;
import io.mastermind.store.TaskStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
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
  /** How long a takeover waits for the store's replicas to settle before it reads them. */
  private static final long TAKEOVER_SAFE_WAIT_MS = 2_000;

  private final CoordinatorOptions options;
  private final TaskStore store;
  private final ClusterView cluster;
  private final String nodeId;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private SameLoopDeployment helpers;
  private final LeaderMetrics metrics;
  private LeaderState state;
  private Outcomes outcomes;
  private Dispatcher dispatcher;
  private Submissions submissions;
  private Queries queries;
  private EventPublisher events;
  private EventBus bus;
  /** Every request and envelope from other nodes comes in through it: signed and checked when the cluster has a secret. */
  private SecureChannel channel;
  private boolean leading;
  /** Bumped on every lead and step-down, so a takeover that finishes after a step-down is dropped. */
  private long generation;
  private long tickTimer = -1;
  /** Completes at the first successful takeover: a node that leads from the start is ready only then. */
  private final Promise<Void> firstTakeover = Promise.promise();

  /** The standalone coordinator: it leads from the start. */
  public CoordinatorVerticle(CoordinatorOptions options, TaskStore store, String nodeId) {
    this(options, store, new StandaloneClusterView(), nodeId);
  }

  /** The standalone coordinator, exporting the leader's task meters to {@code registry} (null: none). */
  public CoordinatorVerticle(CoordinatorOptions options, TaskStore store, String nodeId, MeterRegistry registry) {
    this(options, store, new StandaloneClusterView(), nodeId, registry);
  }

  /** A coordinator that leads only while {@code cluster} says so and stands by otherwise. */
  public CoordinatorVerticle(CoordinatorOptions options, TaskStore store, ClusterView cluster, String nodeId) {
    this(options, store, cluster, nodeId, null);
  }

  /**
   * As above, exporting the leader's task meters ({@link LeaderMetrics}) to {@code registry} while it
   * leads; null exports none.
   */
  public CoordinatorVerticle(CoordinatorOptions options, TaskStore store, ClusterView cluster, String nodeId,
                             MeterRegistry registry) {
    this.options = options;
    this.store = store;
    this.cluster = cluster;
    this.nodeId = nodeId;
    this.metrics = new LeaderMetrics(registry);
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    events = new EventPublisher(bus, nodeId);
    channel = SecureChannel.of(bus, nodeId);
    LocalCodec.registerAll(bus);
    helpers = new SameLoopDeployment(vertx, context); // on this loop: a pass crosses no thread
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

      @Override
      public void membersChanged() {
        if (leading && !helpers.isEmpty()) {
          bus.send(Addresses.LEADER_HEALTH, new ControlMessages.Members(cluster.members()));
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
    cluster.awaitSafe(TAKEOVER_SAFE_WAIT_MS)
      .compose(v -> FencedLoad.read(cluster, store))
      .map(loaded -> {
        st.epoch = loaded.epoch();
        return loaded.stored();
      })
      .compose(stored -> {
        if (round != generation) {
          return Future.failedFuture("leadership changed during takeover");
        }
        state = st;
        st.metrics = metrics;
        outcomes = new Outcomes(st, options.retryBackoff());
        dispatcher = new Dispatcher(st, outcomes, this::epochSeen);
        outcomes.bind(dispatcher);
        submissions = new Submissions(st, dispatcher);
        queries = new Queries(st, dispatcher, outcomes);
        List<TaskRecord> unfinished = rebuild(stored);
        // adopt only once the balancer is there to plan the first pass, and before any join is handled
        return deployHelpers(st.epoch).compose(v -> {
          bus.send(Addresses.LEADER_HEALTH, new ControlMessages.Members(cluster.members()));
          dispatcher.adopt(unfinished, cluster.workerMembers());
          return registerConsumers();
        }).map(stored);
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
        metrics.lead(st);
        tickTimer = vertx.setPeriodic(TICK_MS, t -> {
          long now = System.currentTimeMillis();
          outcomes.tick(now);
          metrics.tick(now);
        });
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

  /** Fills the book with the stored records; returns the unfinished ones, to be adopted. */
  private List<TaskRecord> rebuild(StoredTasks stored) {
    List<TaskRecord> unfinished = new ArrayList<>();
    List<TaskRecord> finished = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (TaskRecord record : stored.records()) {
      (record.status().isTerminal() ? finished : unfinished).add(record);
    }
    // in finishing order: the book keeps finished records that way, and shifts any put out of it
    finished.sort(Comparator.comparingLong(r -> r.finishedAt() == null ? now : r.finishedAt()));
    for (TaskRecord record : finished) {
      state.book.put(record, 512, record.finishedAt() == null ? now : record.finishedAt());
    }
    state.book.evict(options.getRetainedTasks(), options.getRetainedBytes(), options.getRetainedForMs(), now)
      .forEach(state.commit::remove);
    return unfinished;
  }

  private Future<Void> deployHelpers(long epoch) {
    var health = new HealthSettings(options.getHealthIntervalMs(), options.getHealthTimeoutMs(),
      options.getHealthRetries(), options.getMemberAuthTimeoutMs());
    return helpers.deploy(new ResourceVerticle(nodeId, options.getPrefetchWindowMs()))
      .compose(v -> helpers.deploy(new LoadBalancerVerticle(options.getStrategy())))
      .compose(v -> helpers.deploy(new HealthVerticle(health, nodeId, epoch)));
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
    metrics.stepDown();
    consumers.forEach(MessageConsumer::unregister);
    consumers.clear();
    helpers.undeployAll();
    if (outcomes != null) {
      submissions.abandon();
      outcomes.clear();
      dispatcher.clear();
    }
    io.mastermind.tracing.TaskTracing.of(vertx).clear(); // a later leader remembers its own submissions
    state = null;
    LOG.info("coordinator " + nodeId + " stands by");
  }

  private Future<?> registerConsumers() {
    consume(Addresses.COORDINATOR_SUBMIT, m -> submissions.submit(m));
    consume(Addresses.COORDINATOR_AWAIT, m -> queries.await(m));
    consume(Addresses.COORDINATOR_GET, m -> queries.get(m));
    consume(Addresses.COORDINATOR_LIST, m -> queries.list(m));
    consume(Addresses.COORDINATOR_CANCEL, this::onCancel);
    consume(Addresses.COORDINATOR_CLUSTER, m -> queries.cluster(m));
    consumers.add(channel.envelopes(Addresses.COORDINATOR_INBOX, SecureChannel.Author.SENDER, Set.of(MessageType.RESULT_UPDATE),
      guarded(Addresses.COORDINATOR_INBOX, this::onEnvelope), null));
    consumers.add(bus.localConsumer(Addresses.LEADER_COORDINATOR, this::onControl));
    return Future.all(consumers.stream().<Future<?>>map(MessageConsumer::completion).toList());
  }

  private void consume(String address, Consumer<Message<JsonObject>> handler) {
    consumers.add(channel.requests(address, guarded(address, handler::accept)));
  }

  private io.vertx.core.Handler<Opened> guarded(String address, Consumer<Opened> handler) {
    return message -> {
      try {
        handler.accept(message);
      } catch (ValidationException e) {
        message.fail(ErrorCode.INVALID_FIELD.failureCode(), e.getMessage());
      } catch (RuntimeException e) {
        LOG.error("coordinator failed on " + address, e);
        message.fail(ErrorCode.INTERNAL.failureCode(), String.valueOf(e.getMessage()));
      }
    };
  }

  /** Messages from the leader's other verticles. */
  private void onControl(Message<Object> message) {
    Object body = message.body();
    if (body instanceof ControlMessages.NodeJoined joined) {
      submissions.joined(joined.config());
      message.reply(dispatcher.claims(joined));
    } else if (body instanceof ControlMessages.NodeLost lost) {
      submissions.lost(lost.nodeId());
      dispatcher.nodeLost(lost);
    } else if (body instanceof ControlMessages.RevokeUnstarted revoke) {
      dispatcher.revokeUnstarted(revoke.nodeId());
    } else if (body instanceof ControlMessages.CapacityAvailable capacity) {
      dispatcher.onCapacity(capacity.room());
    }
  }

  // ---- cancel ---------------------------------------------------------------------------------

  /** Cancel: stored as cancelled first, then answered; a placed task's worker is told to stop. */
  private void onCancel(Message<JsonObject> message) {
    TaskRecord record = queries.find(message);
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

  /** Results from workers: only from the node that signed them (checked by the channel), only for attempts it holds (Outcomes). */
  private void onEnvelope(Opened message) {
    Envelope envelope = message.envelope();
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
    return helpers.undeployAll().eventually(cluster::stop);
  }
}
