package io.mastermind.worker;

import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.Assignment;
import io.mastermind.protocol.AssignmentBatch;
import io.mastermind.events.SharedJsonCodec;
import io.mastermind.protocol.Envelope;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.HeldTask;
import io.mastermind.protocol.JoinReply;
import io.mastermind.protocol.JoinRequest;
import io.mastermind.protocol.MessageType;
import io.mastermind.protocol.NodeConfig;
import io.mastermind.security.Opened;
import io.mastermind.tracing.TaskTracing;
import io.mastermind.security.SecureChannel;
import io.mastermind.worker.metrics.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One worker node, speaking the v2 worker protocol. It joins the leader's health verticle
 * ({@code node_join} with the tasks it holds, its prefetch credits and the highest epoch it has seen)
 * on start, whenever a leader announces itself and whenever a heartbeat answer says it is unknown;
 * sends {@code resource_update} heartbeats; and takes {@code task_assignment} batches,
 * {@code health_check}, {@code task_cancel} and {@code task_revoke} on its inbox. The tasks run in a
 * {@link TaskRunner}; their reports travel in batches through the {@link Outbox}.
 *
 * <p>Node authentication: with the cluster secret set, its inbox takes only envelopes addressed to it
 * and signed with its own key (which only a holder of the secret, i.e. a coordinator, can do), and it
 * takes only the signed answer to each of its own requests; everything it sends is signed as itself.
 * A leader announcement only makes it join again, so it needs no signature.
 */
public class WorkerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);
  static final long JOIN_TIMEOUT_MS = 1_000;
  /** How long stopping waits for the last outcomes to be answered. */
  static final long STOP_FLUSH_TIMEOUT_MS = 1_000;

  private final NodeConfig node;
  private final WorkerOptions options;
  private final HandlerRegistry handlers;
  private EventBus bus;
  private SecureChannel channel;
  private Outbox outbox;
  private TaskRunner runner;
  private TaskTracing tracing;
  private MessageConsumer<Object> inbox;
  private MessageConsumer<JsonObject> leaderChanges;
  /** The highest leader epoch seen; assignments from an older (deposed) leader are refused. */
  private long epoch;
  private long heartbeatTimer = -1;
  /** Heartbeats in a row that no leader answered. */
  private int missedHeartbeats;
  static final int MISSED_HEARTBEATS_BEFORE_NOT_READY = 3;
  private long joinRetryTimer = -1;
  private boolean stopping;
  /** Written on this verticle's event loop, read by health probes on any thread. */
  private volatile Membership membership = new Membership(false, null, 0, "not joined to a leader yet");

  /**
   * Whether this worker is joined to a leader: true once a join was answered, false again when a
   * heartbeat goes unanswered or the leader no longer knows it (until it joins again, or the same
   * leader answers a heartbeat again).
   *
   * @param leader the leader that last answered a join, or null when none or when a join failed
   * @param reason why it is not joined, or null when joined
   */
  public record Membership(boolean joined, String leader, long epoch, String reason) {
  }

  public WorkerVerticle(NodeConfig node, WorkerOptions options, HandlerRegistry handlers) {
    this.node = node.withFunctions(handlers.functions());
    this.options = options;
    this.handlers = handlers;
  }

  /** This worker's membership as of now (cheap: a volatile read, no message). */
  public Membership membership() {
    return membership;
  }

  /** The config this worker announces, with the functions it serves. */
  public NodeConfig nodeConfig() {
    return node;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    SharedJsonCodec.register(bus); // assignment and result batches travel with it
    channel = SecureChannel.of(bus, node.id());
    tracing = TaskTracing.of(vertx);
    outbox = new Outbox(vertx, context, node.id(), options);
    runner = new TaskRunner(vertx, context, node, options, handlers, outbox, tracing);
    inbox = channel.envelopes(Addresses.nodeInbox(node.id()), SecureChannel.Author.SELF,
      EnumSet.of(MessageType.TASK_ASSIGNMENT, MessageType.HEALTH_CHECK, MessageType.TASK_CANCEL, MessageType.TASK_REVOKE),
      this::onInbox, null);
    leaderChanges = bus.consumer(Addresses.COORDINATOR_LEADER, message -> join());
    heartbeatTimer = vertx.setPeriodic(options.getHeartbeatIntervalMs(), id -> heartbeat());
    // Ready once the inbox is registered and a first join was tried; a missing leader is retried.
    return Future.all(inbox.completion(), leaderChanges.completion()).compose(v -> join().otherwiseEmpty());
  }

  // ---- membership -----------------------------------------------------------------------------

  /**
   * Announces this node with every task it holds, so a new leader (or the leader that declared this
   * node failed) can claim them back; it answers with those to drop because they were placed elsewhere.
   * A failure is retried every {@code joinRetryMs} while the worker runs.
   */
  private Future<Void> join() {
    if (stopping) {
      return Future.succeededFuture();
    }
    List<HeldTask> held = new ArrayList<>(runner.held());
    held.addAll(outbox.held());
    Map<String, Integer> announced = new HashMap<>();
    held.forEach(h -> announced.put(h.taskId(), h.attempt()));
    JsonObject payload = new JoinRequest(node, held, options.getPrefetch(), epoch).toJson();
    return channel.request(Addresses.HEALTH_INBOX, envelope(MessageType.NODE_JOIN, payload),
        new DeliveryOptions().setSendTimeout(JOIN_TIMEOUT_MS))
      .map(reply -> JoinReply.fromJson(reply.body()))
      .onSuccess(reply -> joined(reply, announced))
      .onFailure(err -> {
        LOG.debug("node " + node.id() + " could not join: " + err.getMessage());
        if (!stopping) {
          membership = new Membership(false, null, epoch, "could not join a leader: " + err.getMessage());
        }
        scheduleJoinRetry();
      })
      .mapEmpty();
  }

  private void joined(JoinReply reply, Map<String, Integer> announced) {
    if (joinRetryTimer >= 0) {
      vertx.cancelTimer(joinRetryTimer);
      joinRetryTimer = -1;
    }
    if (reply.epoch() < epoch) {
      LOG.debug("node " + node.id() + " ignores the join answer of deposed leader " + reply.leader() + " (epoch "
        + reply.epoch() + " < " + epoch + ")");
      return;
    }
    epoch = reply.epoch();
    membership = new Membership(true, reply.leader(), epoch, null);
    for (String taskId : reply.cancel()) {
      // only the attempt announced: a newer one may have been assigned while the join travelled
      Integer attempt = announced.get(taskId);
      if (attempt != null) {
        runner.drop(taskId, attempt);
        outbox.drop(taskId, attempt);
      }
    }
    runner.pump();
    LOG.debug("node " + node.id() + " joined leader " + reply.leader() + " epoch " + epoch);
  }

  private void scheduleJoinRetry() {
    if (stopping || joinRetryTimer >= 0) {
      return;
    }
    joinRetryTimer = vertx.setTimer(options.getJoinRetryMs(), t -> {
      joinRetryTimer = -1;
      join();
    });
  }

  private void heartbeat() {
    vertx.executeBlocking(NodeMetrics::sample, false).onSuccess(metrics -> {
      if (stopping) {
        return;
      }
      JsonObject payload = new JsonObject().put("id", node.id()).put("metrics", metrics)
        .put("runningTasks", runner.runningCount());
      channel.request(Addresses.HEALTH_INBOX, envelope(MessageType.RESOURCE_UPDATE, payload),
          new DeliveryOptions().setSendTimeout(options.getHeartbeatIntervalMs()))
        .onSuccess(reply -> {
          missedHeartbeats = 0;
          if (!reply.body().getBoolean("known", true)) {
            membership = new Membership(false, null, epoch, "the leader does not know this node; joining again");
            join(); // the leader lost track of this node (failed while frozen, or a new leader): rejoin
          } else if (!membership.joined() && membership.leader() != null) {
            membership = new Membership(true, membership.leader(), epoch, null); // the leader answers again
          }
        })
        .onFailure(err -> {
          // one lost heartbeat on a loaded machine is not an outage: readiness drops after a few in a row
          if (!stopping && ++missedHeartbeats >= MISSED_HEARTBEATS_BEFORE_NOT_READY) {
            membership = new Membership(false, membership.leader(), epoch,
              "no leader answered the last " + missedHeartbeats + " heartbeats: " + err.getMessage());
          }
        });
    });
  }

  private Object envelope(MessageType type, JsonObject payload) {
    return channel.envelope(type, node.id(), "health", node.id(), payload);
  }

  // ---- inbox ----------------------------------------------------------------------------------

  private void onInbox(Opened message) {
    try {
      Envelope envelope = message.envelope();
      JsonObject payload = envelope.payload();
      switch (envelope.type()) {
        case TASK_ASSIGNMENT -> onAssignment(AssignmentBatch.fromJson(payload), message);
        case HEALTH_CHECK -> message.reply(new JsonObject().put("id", node.id()).put("status", "ok")
          .put("runningTasks", runner.runningCount()));
        case TASK_CANCEL -> message.reply(new JsonObject().put("known",
          runner.cancel(payload.getString("taskId"), payload.getInteger("attempt", -1))));
        case TASK_REVOKE -> message.reply(new JsonObject().put("revoked",
          runner.revoke(payload.getString("taskId"), payload.getInteger("attempt", -1))));
        default -> message.fail(ErrorCode.INVALID_FIELD.failureCode(), "worker does not take " + envelope.type().wireName());
      }
    } catch (RuntimeException e) {
      message.fail(ErrorCode.INVALID_FIELD.failureCode(), "invalid message for worker " + node.id() + ": " + e.getMessage());
    }
  }

  private void onAssignment(AssignmentBatch batch, Message<JsonObject> message) {
    if (batch.epoch() < epoch) {
      message.fail(ErrorCode.CONFLICT.failureCode(), "assignment from epoch " + batch.epoch()
        + " refused: the leader's epoch is " + epoch);
      return;
    }
    if (stopping) {
      message.fail(ErrorCode.UNAVAILABLE.failureCode(), "node " + node.id() + " is stopping");
      return;
    }
    epoch = batch.epoch();
    Map<String, String> traces = tracing.parents(message);
    for (Assignment assignment : batch.tasks()) {
      runner.assign(assignment, traces.get(assignment.spec().id()));
    }
    message.reply(new JsonObject().put("accepted", batch.tasks().size()));
    runner.pump();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    membership = new Membership(false, null, epoch, "stopping");
    vertx.cancelTimer(heartbeatTimer);
    if (joinRetryTimer >= 0) {
      vertx.cancelTimer(joinRetryTimer);
    }
    runner.stopAll();
    return outbox.close(STOP_FLUSH_TIMEOUT_MS)
      .transform(flushed -> {
        channel.send(Addresses.HEALTH_INBOX, envelope(MessageType.NODE_LEAVE, new JsonObject().put("id", node.id())));
        return Future.all(inbox.unregister(), leaderChanges.unregister());
      })
      .otherwiseEmpty();
  }
}
