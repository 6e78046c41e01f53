package io.mastermind.coordinator;

import io.mastermind.balancer.Blocked;
import io.mastermind.controlplane.ControlMessages.Candidate;
import io.mastermind.controlplane.ControlMessages.Claim;
import io.mastermind.controlplane.ControlMessages.JoinClaims;
import io.mastermind.controlplane.ControlMessages.NodeJoined;
import io.mastermind.controlplane.ControlMessages.NodeLost;
import io.mastermind.controlplane.ControlMessages.Placed;
import io.mastermind.controlplane.ControlMessages.PlacementPass;
import io.mastermind.controlplane.ControlMessages.PlacementResult;
import io.mastermind.controlplane.ControlMessages.Release;
import io.mastermind.controlplane.ControlMessages.Reservation;
import io.mastermind.coordinator.Placements.Placement;
import io.mastermind.events.SharedJsonCodec;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.Assignment;
import io.mastermind.protocol.AssignmentBatch;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.EventNames;
import io.mastermind.protocol.HeldTask;
import io.mastermind.protocol.MessageType;
import io.mastermind.protocol.TaskError;
import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskStatus;
import io.mastermind.resources.ReservationBook;
import io.mastermind.scheduler.TaskQueue;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moves queued tasks onto nodes and keeps track of them there: scheduling passes (one request to the
 * load balancer per pass, never per task; no pass while the last one said there is no room), one
 * {@code task_assignment} batch per node per pass, claims of a rejoining node's tasks after a
 * takeover, re-queues when a node is lost, revokes on drain, and stopping a cancelled task's worker.
 */
final class Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final Pattern EPOCH_IN_MESSAGE = Pattern.compile("epoch is (\\d+)");

  private final LeaderState s;
  private final Outcomes outcomes;
  private final LongConsumer epochSeen;
  /** Cancelled tasks whose worker has not confirmed its thread stopped: their slot is still held. */
  private final Map<String, Placement> releasing = new HashMap<>();
  /** After a takeover: tasks the old leader had, waiting for their node to rejoin and claim them. */
  private final RejoinGrace grace = new RejoinGrace();
  private final Map<String, Blocked> blockedBy = new HashMap<>();
  private long graceTimer = -1;
  private int room = 1;
  private boolean passInFlight;
  private boolean passWanted;
  /** A pass was asked for while the callers of a flush were answered: it runs once they all were. */
  private boolean passAfterAnswers;
  /** Passes sent to the load balancer, and the tasks they offered it (GET /api/v1/cluster "scheduler"). */
  private long passes;
  private long offered;
  /** Attempts that ended since the last pass: freed at the start of the next one (or at once if none comes). */
  private List<Reservation> released = new ArrayList<>();

  Dispatcher(LeaderState state, Outcomes outcomes, LongConsumer epochSeen) {
    this.s = state;
    this.outcomes = outcomes;
    this.epochSeen = epochSeen;
    state.commit.afterAnswers(this::onAnswered);
  }

  // ---- passes ---------------------------------------------------------------------------------

  void requestPass() {
    passWanted = true;
    if (passInFlight) {
      return;
    }
    if (s.commit.answering()) { // every task the flush queued goes into one pass, not its first task alone
      passAfterAnswers = true;
      return;
    }
    if (!grace.waiting() && !s.queue.isEmpty() && (room > 0 || !released.isEmpty())) {
      runPass();
    } else if (!released.isEmpty()) {
      s.bus.send(Addresses.LEADER_RESOURCES, new Release(takeReleased())); // nothing to place: free them now
    }
  }

  long passes() {
    return passes;
  }

  long offered() {
    return offered;
  }

  private void onAnswered() {
    if (passAfterAnswers) {
      passAfterAnswers = false;
      requestPass();
    }
  }

  private List<Reservation> takeReleased() {
    List<Reservation> taken = released;
    released = new ArrayList<>();
    return taken;
  }

  /** Why a newly queued task will wait, when the last pass left no room anywhere (else null). */
  String noRoomReason() {
    return room <= 0 ? "waiting for a node with free resources" : null;
  }

  /** The load balancer saw room come back. */
  void onCapacity(int newRoom) {
    room = Math.max(room, newRoom);
    requestPass();
  }

  private void runPass() {
    passWanted = false;
    int max = Math.min(s.options.getSchedulingBatch(), Math.max(1, room + released.size()));
    List<Candidate> candidates = new ArrayList<>(max);
    for (TaskQueue.Entry<io.mastermind.balancer.PlacementRequest> entry : s.queue.inOrder(System.currentTimeMillis(), max)) {
      TaskRecord record = s.book.get(entry.id());
      if (record != null && !s.finishing.containsKey(entry.id())) {
        candidates.add(new Candidate(entry.id(), record.attempts() + 1, entry.item()));
      }
    }
    if (candidates.isEmpty() && released.isEmpty()) {
      return;
    }
    passInFlight = true;
    passes++;
    offered += candidates.size();
    s.bus.<PlacementResult>request(Addresses.LEADER_BALANCER, new PlacementPass(candidates, takeReleased()),
        new DeliveryOptions().setSendTimeout(s.options.getAssignmentTimeoutMs()))
      .onComplete(ar -> {
        passInFlight = false;
        if (ar.succeeded()) {
          onPlaced(ar.result().body());
        } else {
          LOG.warn("scheduling pass failed: " + ar.cause().getMessage());
          s.vertx.setTimer(100, t -> requestPass());
        }
      });
  }

  private void onPlaced(PlacementResult result) {
    room = result.room();
    Map<String, List<Assignment>> byNode = new LinkedHashMap<>();
    List<Reservation> unusable = new ArrayList<>();
    for (Placed p : result.placed()) {
      TaskRecord record = s.book.get(p.taskId());
      if (record == null || record.status() != TaskStatus.QUEUED || s.finishing.containsKey(p.taskId())
        || !s.queue.contains(p.taskId()) || record.attempts() + 1 != p.attempt()) {
        unusable.add(freed(p.taskId(), p.nodeId(), p.attempt())); // cancelled meanwhile
        continue;
      }
      s.queue.remove(p.taskId());
      blockedBy.remove(p.taskId());
      TaskRecord scheduled = record.scheduled(p.nodeId());
      s.book.put(scheduled);
      s.placements.put(p.taskId(), new Placement(p.nodeId(), p.attempt(), false));
      s.events.publish(EventNames.TASK_SCHEDULED, p.taskId(), new JsonObject().put("node", p.nodeId())
        .put("attempt", p.attempt()));
      byNode.computeIfAbsent(p.nodeId(), n -> new ArrayList<>()).add(new Assignment(record.spec(), p.attempt()));
    }
    release(unusable);
    result.blocked().forEach((id, why) -> {
      TaskRecord record = s.book.get(id);
      if (record != null && record.status() == TaskStatus.QUEUED && !why.reason().equals(record.reason())) {
        s.book.put(record.withReason(why.reason()));
      }
      blockedBy.put(id, why);
    });
    byNode.forEach(this::assign);
    if (!result.placed().isEmpty() || passWanted) {
      requestPass();
    }
  }

  /** Why a queued task waits, from the last pass that looked at it (null when it has not). */
  Blocked blockedBy(String taskId) {
    return blockedBy.get(taskId);
  }

  private void assign(String nodeId, List<Assignment> tasks) {
    // signed with the worker's own key: only a holder of the cluster secret (or the worker) can write it;
    // handed over: a worker in this JVM reads the batch without a copy (it copies each task's data for its handler)
    Object envelope = s.channel.envelope(MessageType.TASK_ASSIGNMENT, s.nodeId, nodeId, nodeId,
      new AssignmentBatch(s.epoch, tasks).toJson());
    DeliveryOptions options = SharedJsonCodec.delivery(s.options.getAssignmentTimeoutMs());
    if (s.tracing.enabled()) {
      options = s.tracing.dispatched(nodeId, tasks.stream().map(a -> a.spec().id()).toList(), options);
    }
    s.channel.request(Addresses.nodeInbox(nodeId), envelope, options)
      .onFailure(err -> {
        LOG.warn("assignment of " + tasks.size() + " tasks to " + nodeId + " failed: " + err.getMessage());
        // a failure is not signed: with signing on, the worker's newer epoch arrives in its signed node_join instead
        if (!s.channel.signing() && err instanceof ReplyException reply && ErrorCode.of(reply) == ErrorCode.CONFLICT) {
          Matcher m = EPOCH_IN_MESSAGE.matcher(String.valueOf(reply.getMessage()));
          if (m.find()) {
            epochSeen.accept(Long.parseLong(m.group(1)));
          }
        }
        List<Reservation> keys = new ArrayList<>();
        for (Assignment a : tasks) {
          String id = a.spec().id();
          Placement p = s.placements.get(id);
          if (p != null && p.nodeId().equals(nodeId) && p.attempt() == a.attempt() && !p.started()) {
            s.placements.remove(id);
            keys.add(freed(id, nodeId, a.attempt()));
            // the node never took it: placed again, using no retry
            outcomes.requeue(s.book.get(id), TaskError.of(ErrorCode.NODE_LOST, err.getMessage()), Outcomes.Requeue.GIVEN_BACK);
          }
        }
        release(keys);
      });
  }

  /** Frees these attempts' resources with the next pass (which is asked for now). */
  void release(List<Reservation> freed) {
    if (!freed.isEmpty()) {
      released.addAll(freed);
      requestPass();
    }
  }

  /** What the resource book holds for one attempt of a task on a node. */
  Reservation freed(String taskId, String nodeId, int attempt) {
    TaskRecord record = s.book.get(taskId);
    return new Reservation(new ReservationBook.Key(taskId, attempt), nodeId,
      record == null ? io.mastermind.resources.Resources.ZERO : s.shapeOf(record.spec()).resources());
  }

  // ---- cancel ---------------------------------------------------------------------------------

  /** A cancelled task that was placed: its worker is told to stop; the slot is freed once it has. */
  void stopOnWorker(String taskId, Placement placement) {
    releasing.put(taskId, placement);
    JsonObject payload = new JsonObject().put("taskId", taskId).put("attempt", placement.attempt());
    s.channel.request(Addresses.nodeInbox(placement.nodeId()),
        s.channel.envelope(MessageType.TASK_CANCEL, s.nodeId, placement.nodeId(), placement.nodeId(), payload),
        new DeliveryOptions().setSendTimeout(s.options.getAssignmentTimeoutMs()))
      .onComplete(ar -> {
        boolean running = ar.succeeded() && ar.result().body().getBoolean("known", false);
        if (!running && releasing.remove(taskId, placement)) {
          release(List.of(freed(taskId, placement.nodeId(), placement.attempt())));
        }
      });
  }

  /** True when this outcome is a cancelled task's worker confirming it stopped (its slot is freed). */
  boolean confirmStopped(String nodeId, String taskId, int attempt) {
    Placement p = releasing.get(taskId);
    if (p == null || !p.nodeId().equals(nodeId) || p.attempt() != attempt) {
      return false;
    }
    releasing.remove(taskId);
    release(List.of(freed(taskId, nodeId, attempt)));
    return true;
  }

  // ---- nodes ----------------------------------------------------------------------------------

  /**
   * A node (re)joined holding these tasks: those still placed there (or, after a takeover, that the
   * store says it may hold) are claimed back; every other it must drop, because the task was placed
   * elsewhere or ended while the node was gone.
   */
  JoinClaims claims(NodeJoined joined) {
    if (joined.workerEpoch() > s.epoch) { // equal: it learnt this leader's epoch, nothing newer
      epochSeen.accept(joined.workerEpoch());
    }
    long now = System.currentTimeMillis();
    List<String> cancel = new ArrayList<>();
    List<Reservation> claimed = new ArrayList<>();
    Set<String> claimedIds = new HashSet<>();
    for (HeldTask held : joined.held()) {
      Placement placed = s.placements.get(held.taskId());
      if (placed != null) {
        if (placed.nodeId().equals(joined.nodeId()) && placed.attempt() == held.attempt()) {
          claimedIds.add(held.taskId());
        } else {
          cancel.add(held.taskId());
        }
        continue;
      }
      TaskRecord record = claimBack(joined.nodeId(), held.taskId(), held.attempt(), held.started() || held.finished(), now);
      if (record == null) {
        cancel.add(held.taskId());
        continue;
      }
      claimed.add(new Reservation(new ReservationBook.Key(record.id(), held.attempt()), joined.nodeId(), s.shapeOf(record.spec()).resources()));
      claimedIds.add(record.id());
    }
    if (!claimed.isEmpty()) {
      s.bus.send(Addresses.LEADER_RESOURCES, new Claim(claimed));
    }
    // what this leader placed there and the node no longer holds was lost with it; on a node that was
    // not joined, a placement can only have been made after its join was sent (the resource verticle
    // learnt of the node first): the node will receive it, so it stays
    boolean wasJoined = grace.joined(joined.nodeId());
    for (String id : wasJoined ? s.placements.onNode(joined.nodeId()) : List.<String>of()) {
      if (!claimedIds.contains(id)) {
        Placement p = s.placements.remove(id);
        release(List.of(freed(id, p.nodeId(), p.attempt())));
        outcomes.requeue(s.book.get(id), TaskError.of(ErrorCode.NODE_LOST, "node " + joined.nodeId()
          + " rejoined without it"), Outcomes.Requeue.NODE_LOST);
      }
    }
    if (grace.allBack()) {
      endGrace();
    }
    requestPass();
    return new JoinClaims(cancel, s.epoch);
  }

  /**
   * After a takeover, an outcome that reaches this leader before its node's join: the attempt is
   * claimed back as the join would have claimed it, so the outcome is applied instead of refused (a
   * refused outcome is dropped by its worker, and the join that follows would then claim an attempt
   * nobody runs any more). No reservation is taken: the attempt has ended. Null when it may not be claimed.
   */
  Placement claimEnded(String nodeId, String taskId, int attempt, boolean started) {
    return claimBack(nodeId, taskId, attempt, started, System.currentTimeMillis()) == null ? null
      : s.placements.get(taskId);
  }

  /**
   * Claims an attempt of a task the store had unfinished back for the node that says it holds it, when
   * the rejoin grace allows: the claimed record and its placement. Null when it may not be claimed.
   */
  private TaskRecord claimBack(String nodeId, String taskId, int attempt, boolean started, long now) {
    TaskRecord current = s.book.get(taskId);
    TaskRecord stored = current == null || current.status().isTerminal() ? null : grace.claim(taskId, nodeId, attempt);
    if (stored == null) {
      return null;
    }
    TaskRecord record = stored.claimed(nodeId, attempt, started, now);
    s.book.put(record);
    // not marked started: this leader has not published task:started for it, so it does with the outcome
    s.placements.put(taskId, new Placement(nodeId, attempt, false));
    return record;
  }

  /** Everything placed on a node that is gone runs again elsewhere (at least once). */
  void nodeLost(NodeLost lost) {
    grace.lost(lost.nodeId());
    releasing.values().removeIf(p -> p.nodeId().equals(lost.nodeId()));
    int requeued = 0;
    for (String id : s.placements.onNode(lost.nodeId())) {
      s.placements.remove(id);
      TaskRecord record = s.book.get(id);
      if (record != null && !record.status().isTerminal() && !s.finishing.containsKey(id)) {
        // a node that failed may have been killed by this very task: that counts toward maxNodeLosses;
        // a node that left in good order gives its tasks back
        outcomes.requeue(record, TaskError.of(ErrorCode.NODE_LOST, lost.reason()),
          lost.failed() ? Outcomes.Requeue.NODE_LOST : Outcomes.Requeue.GIVEN_BACK);
        requeued++;
      }
    }
    if (requeued > 0) {
      LOG.warn(lost.reason() + ": " + requeued + " tasks placed again");
    }
    if (grace.allBack()) {
      endGrace();
    }
    requestPass();
  }

  /** Drain: tasks placed on the node and not started are asked back and queued again. */
  void revokeUnstarted(String nodeId) {
    for (String id : s.placements.onNode(nodeId)) {
      Placement p = s.placements.get(id);
      if (p == null || p.started()) {
        continue;
      }
      JsonObject payload = new JsonObject().put("taskId", id).put("attempt", p.attempt());
      s.channel.request(Addresses.nodeInbox(nodeId), s.channel.envelope(MessageType.TASK_REVOKE, s.nodeId, nodeId, nodeId, payload),
          new DeliveryOptions().setSendTimeout(s.options.getAssignmentTimeoutMs()))
        .onSuccess(reply -> {
          if (reply.body().getBoolean("revoked", false) && s.placements.get(id) == p) {
            s.placements.remove(id);
            release(List.of(freed(id, p.nodeId(), p.attempt())));
            outcomes.requeue(s.book.get(id), null, Outcomes.Requeue.GIVEN_BACK);
          }
        });
    }
  }

  // ---- takeover -------------------------------------------------------------------------------

  /**
   * Tasks the store has unfinished: each waits for a rejoining node to claim it, until every worker
   * member has rejoined or {@code rejoinGraceMs} passed; then the unclaimed ones are queued.
   */
  void adopt(List<TaskRecord> unfinished, Set<String> workers) {
    unfinished.forEach(s.book::put);
    if (!grace.begin(unfinished, workers)) {
      endGrace();
      return;
    }
    graceTimer = s.vertx.setTimer(s.options.getRejoinGraceMs(), t -> endGrace());
  }

  private void endGrace() {
    if (graceTimer >= 0) {
      s.vertx.cancelTimer(graceTimer);
      graceTimer = -1;
    }
    long now = System.currentTimeMillis();
    for (TaskRecord r : grace.end()) {
      TaskRecord current = s.book.get(r.id());
      if (current == null || current.status().isTerminal() || s.finishing.containsKey(r.id())) {
        continue; // cancelled while it waited
      }
      if (r.status() == TaskStatus.QUEUED) {
        s.enqueue(r, now);
      } else {
        outcomes.requeue(r, TaskError.of(ErrorCode.NODE_LOST, "node " + r.node() + " did not rejoin the new leader"),
          Outcomes.Requeue.NODE_LOST);
      }
    }
    requestPass();
  }

  boolean inGrace() {
    return grace.waiting();
  }

  void clear() {
    if (graceTimer >= 0) {
      s.vertx.cancelTimer(graceTimer);
    }
    releasing.clear();
    grace.clear();
    blockedBy.clear();
  }
}
