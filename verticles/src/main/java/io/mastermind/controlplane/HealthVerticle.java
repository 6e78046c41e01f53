package io.mastermind.controlplane;

import io.mastermind.health.MemberAudit;
import io.mastermind.health.NodeRegistry;
import io.mastermind.health.NodeHealthPolicy;
import io.mastermind.controlplane.ControlMessages.EpochChanged;
import io.mastermind.controlplane.ControlMessages.JoinClaims;
import io.mastermind.controlplane.ControlMessages.MemberLost;
import io.mastermind.controlplane.ControlMessages.NodeDown;
import io.mastermind.controlplane.ControlMessages.NodeEligible;
import io.mastermind.controlplane.ControlMessages.NodeJoined;
import io.mastermind.controlplane.ControlMessages.NodeLost;
import io.mastermind.controlplane.ControlMessages.NodeMetrics;
import io.mastermind.controlplane.ControlMessages.NodeUp;
import io.mastermind.controlplane.ControlMessages.NodeView;
import io.mastermind.controlplane.ControlMessages.NodeViews;
import io.mastermind.controlplane.ControlMessages.RevokeUnstarted;
import io.mastermind.events.EventPublisher;
import io.mastermind.health.NodeHealthPolicy.Health;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.Envelope;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.EventNames;
import io.mastermind.protocol.JoinReply;
import io.mastermind.protocol.JoinRequest;
import io.mastermind.protocol.MessageType;
import io.mastermind.protocol.NodeState;
import io.mastermind.controlplane.ControlMessages.Members;
import io.mastermind.security.Opened;
import io.mastermind.security.SecureChannel;
import io.mastermind.security.Verdict;
import io.vertx.core.Future;
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
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leader's health monitor (the seed's HealthMonitor, FailureDetector and RecoveryManager):
 * membership ({@code node_join}, {@code node_leave}), the phi-accrual detector fed by
 * {@code resource_update} heartbeats and by cluster membership, {@code health_check} probes of suspect
 * nodes, failure and restore decisions, drain, and recovery requests to the coordinator. It publishes
 * the {@code node:*} events, including {@code node:health} for every node each interval and on change.
 *
 * <p>Node authentication: envelopes are taken only when signed by the node they name as sender (see
 * {@link SecureChannel}). With the cluster secret set, a node that sends what it cannot sign, and a
 * cluster member whose signed {@code member_hello} does not arrive within {@code authTimeoutMs} (a wrong
 * or missing secret, or kept off the event bus by TLS), is listed {@code rejected} and named in an
 * {@code alert}; it never reaches the registry, so it is never given a task.
 */
public final class HealthVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HealthVerticle.class);

  private final HealthSettings settings;
  private final String leaderId;
  private long epoch;
  private final NodeRegistry registry = new NodeRegistry();
  private final Map<String, NodeView> views = new HashMap<>();
  private final Map<String, Integer> prefetch = new HashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();
  private NodeHealthPolicy health;
  private EventPublisher events;
  private EventBus bus;
  private SecureChannel channel;
  /** Who proved the cluster secret and who is rejected; a rejected member never reaches the registry. */
  private MemberAudit audit;

  public HealthVerticle(HealthSettings settings, String leaderId, long epoch) {
    this.settings = settings;
    this.leaderId = leaderId;
    this.epoch = epoch;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    events = new EventPublisher(bus, leaderId);
    audit = new MemberAudit(settings.authTimeoutMs());
    health = new NodeHealthPolicy(settings.intervalMs(), settings.timeoutMs(), settings.retries(),
      NodeHealthPolicy.DEFAULT_SUSPECT_PHI);
    channel = SecureChannel.of(bus, leaderId);
    consumers.add(channel.envelopes(Addresses.HEALTH_INBOX, SecureChannel.Author.SENDER,
      EnumSet.of(MessageType.NODE_JOIN, MessageType.RESOURCE_UPDATE, MessageType.NODE_LEAVE, MessageType.MEMBER_HELLO),
      this::onEnvelope, this::onRefused));
    consumers.add(channel.requests(Addresses.HEALTH_NODES, this::onNodes));
    consumers.add(channel.requests(Addresses.HEALTH_DRAIN, this::onDrain));
    consumers.add(bus.<Object>localConsumer(Addresses.LEADER_HEALTH_COUNTS, this::onCounts));
    consumers.add(bus.<Object>localConsumer(Addresses.LEADER_HEALTH, this::onLeaderMessage));
    consumers.add(bus.<NodeViews>localConsumer(Addresses.LEADER_NODE_VIEWS, m -> onViews(m.body())));
    long tick = Math.max(20, Math.min(settings.intervalMs() / 10, 200));
    timers.add(vertx.setPeriodic(tick, t -> checkHealth()));
    timers.add(vertx.setPeriodic(settings.intervalMs(), t -> publishAllHealth()));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  // ---- from workers ---------------------------------------------------------------------------

  private void onEnvelope(Opened message) {
    Envelope envelope;
    try {
      envelope = message.envelope();
    } catch (RuntimeException e) {
      message.fail(ErrorCode.INVALID_FIELD.failureCode(), String.valueOf(e.getMessage()));
      return;
    }
    switch (envelope.type()) {
      case NODE_JOIN -> onJoin(envelope, message);
      case RESOURCE_UPDATE -> onHeartbeat(envelope, message);
      case NODE_LEAVE -> {
        leave(envelope.sender(), "node " + envelope.sender() + " left");
        message.reply(new JsonObject().put("ok", true));
      }
      case MEMBER_HELLO -> onHello(envelope, message);
      default -> message.fail(ErrorCode.INVALID_FIELD.failureCode(), "health does not take " + envelope.type().wireName());
    }
  }

  private void onJoin(Envelope envelope, Message<JsonObject> message) {
    JoinRequest join = JoinRequest.fromJson(envelope.payload());
    String id = join.config().id();
    if (!id.equals(envelope.sender())) {
      message.fail(ErrorCode.INVALID_FIELD.failureCode(), "node_join from " + envelope.sender() + " for node " + id);
      return;
    }
    long now = System.currentTimeMillis();
    audit.authenticated(id); // it proves the secret now
    NodeState previous = registry.join(join.config(), now);
    health.heartbeat(id, now);
    prefetch.put(id, join.prefetch());
    bus.send(Addresses.LEADER_RESOURCES, new NodeUp(join.config(), join.prefetch()));
    JsonObject data = join.config().toJson();
    if (previous == null || previous == NodeState.LEFT) {
      events.publishAbout(EventNames.NODE_JOIN, id, data);
    } else if (previous != NodeState.HEALTHY && previous != NodeState.DRAINING) {
      events.publishAbout(EventNames.NODE_RESTORED, id, data.put("previous", previous.wireName()));
    }
    if (previous != NodeState.HEALTHY) {
      publishHealth(id, now);
    }
    bus.<JoinClaims>request(Addresses.LEADER_COORDINATOR, new NodeJoined(join.config(), join.held(), join.epoch()))
      .onSuccess(reply -> {
        epoch = Math.max(epoch, reply.body().epoch());
        message.reply(new JoinReply(leaderId, epoch, reply.body().cancel()).toJson());
      })
      .onFailure(err -> message.fail(ErrorCode.UNAVAILABLE.failureCode(), err.getMessage()));
  }

  /** A heartbeat. A node this leader does not know as a member is told to join (again). */
  private void onHeartbeat(Envelope envelope, Message<JsonObject> message) {
    String id = envelope.sender();
    NodeRegistry.Node node = registry.get(id).orElse(null);
    boolean known = node != null && !node.isGone();
    message.reply(new JsonObject().put("known", known).put("epoch", epoch));
    if (known) {
      long now = System.currentTimeMillis();
      health.heartbeat(id, now);
      registry.seen(id, now);
      JsonObject payload = envelope.payload();
      bus.send(Addresses.LEADER_RESOURCES, new NodeMetrics(id, payload.getJsonObject("metrics", new JsonObject()),
        payload.getInteger("runningTasks", 0)));
    }
  }

  private void onLeaderMessage(Message<Object> message) {
    if (message.body() instanceof Members snapshot) {
      onMembers(snapshot);
    } else if (message.body() instanceof MemberLost lost) {
      health.markFailed(lost.nodeId(), System.currentTimeMillis());
      fail(lost.nodeId(), "left the cluster membership");
    } else if (message.body() instanceof EpochChanged changed) {
      epoch = Math.max(epoch, changed.epoch());
    }
  }

  private void onViews(NodeViews update) {
    if (update.full()) {
      views.clear();
    }
    update.removed().forEach(views::remove);
    for (NodeView view : update.views()) {
      views.put(view.nodeId(), view);
      registry.get(view.nodeId()).filter(n -> n.state() == NodeState.DRAINING && view.load().held() == 0)
        .ifPresent(n -> finishDrain(view.nodeId()));
    }
  }

  // ---- node authentication --------------------------------------------------------------------

  /** A member proves it holds the cluster secret: its hello is signed by the node it names. */
  private void onHello(Envelope envelope, Message<JsonObject> message) {
    audit.proven(envelope.payload().getString("member"), envelope.sender());
    message.reply(new JsonObject().put("ok", true).put("leader", leaderId));
  }

  /** A message the channel refused (counted, logged and alerted there): its claimed sender is listed rejected. */
  private void onRefused(Opened message) {
    if (message.verdict() == Verdict.UNKNOWN_KEY || message.verdict() == Verdict.REPLAYED) {
      return; // not this sender's doing: someone else replays, or a key this node cannot check
    }
    String claimed = message.sender();
    String member = message.sealed() == null ? null : message.sealed().payload().getString("member");
    announce(audit.refused(claimed == null ? "unknown" : claimed, member, "sent a message that failed node authentication ("
      + message.verdict().wireName() + ")", System.currentTimeMillis(), this::isRegistered));
  }

  private void onMembers(Members snapshot) {
    audit.members(snapshot.members().stream()
      .map(m -> new MemberAudit.Member(m.memberId(), m.nodeId(), m.host(), m.port())).toList(), System.currentTimeMillis());
  }

  private boolean isRegistered(String nodeId) {
    return registry.get(nodeId).isPresent();
  }

  /** A member newly rejected (or for a new reason): a log line, an alert naming it, and its node:health. */
  private void announce(MemberAudit.Rejected r) {
    if (r == null) {
      return;
    }
    String where = r.host() == null ? "" : " at " + r.host() + ":" + r.port();
    LOG.warn("node " + r.id() + where + " rejected: " + r.reason());
    events.publishAbout(EventNames.ALERT, r.id(), new JsonObject().put("severity", "warning").put("kind", "node_rejected")
      .put("nodeId", r.id()).put("host", r.host()).put("port", r.port()).put("reason", r.reason()));
    events.publishAbout(EventNames.NODE_HEALTH, r.id(), NodeJson.health(r.id(), NodeState.REJECTED, 0.0, 0, null));
  }

  // ---- failure detection and recovery ---------------------------------------------------------

  private void checkHealth() {
    long now = System.currentTimeMillis();
    if (channel.signing()) { // without a secret there is nothing to prove
      audit.audit(now, this::isRegistered).forEach(this::announce);
    }
    for (NodeHealthPolicy.Transition t : health.evaluate(now)) {
      NodeRegistry.Node node = registry.get(t.nodeId()).orElse(null);
      if (node == null || node.isGone()) {
        continue;
      }
      JsonObject data = new JsonObject().put("phi", t.phi()).put("silentMs", t.silentMs());
      if (t.to() == Health.FAILED) {
        fail(t.nodeId(), "no heartbeat for " + t.silentMs() + " ms");
      } else if (t.to() == Health.SUSPECT && node.state() == NodeState.HEALTHY) {
        LOG.info("node " + t.nodeId() + " suspect: silent " + t.silentMs() + " ms, phi " + String.format("%.1f", t.phi()));
        registry.setState(t.nodeId(), NodeState.SUSPECT);
        bus.send(Addresses.LEADER_RESOURCES, new NodeEligible(t.nodeId(), false));
        events.publishAbout(EventNames.NODE_SUSPECT, t.nodeId(), data.put("state", "suspect"));
        publishHealth(t.nodeId(), now);
      } else if (t.to() == Health.HEALTHY && node.state() == NodeState.SUSPECT) {
        LOG.info("node " + t.nodeId() + " healthy again");
        registry.setState(t.nodeId(), NodeState.HEALTHY);
        bus.send(Addresses.LEADER_RESOURCES, new NodeEligible(t.nodeId(), true));
        events.publishAbout(EventNames.NODE_RESTORED, t.nodeId(), data.put("state", "healthy").put("previous", "suspect"));
        publishHealth(t.nodeId(), now);
      }
    }
    for (NodeRegistry.Node node : registry.all()) {
      String id = node.config().id();
      if (node.state() == NodeState.SUSPECT && health.probeDue(id, now)) {
        health.probed(id, now);
        channel.request(Addresses.nodeInbox(id), channel.envelope(MessageType.HEALTH_CHECK, leaderId, id, id, new JsonObject()),
            new DeliveryOptions().setSendTimeout(settings.timeoutMs()))
          .onSuccess(reply -> health.heartbeat(id, System.currentTimeMillis()));
      }
    }
  }

  /** A node is gone (membership lost or silent past the timeout): everything on it runs again elsewhere. */
  private void fail(String id, String why) {
    NodeRegistry.Node node = registry.get(id).orElse(null);
    if (node == null || node.isGone()) {
      return;
    }
    registry.setState(id, NodeState.FAILED);
    bus.send(Addresses.LEADER_RESOURCES, new NodeDown(id));
    bus.send(Addresses.LEADER_COORDINATOR, new NodeLost(id, "node " + id + " failed: " + why, true));
    JsonObject data = new JsonObject().put("reason", why);
    events.publishAbout(EventNames.NODE_FAILED, id, data);
    events.publishAbout(EventNames.ALERT, id, data.copy().put("severity", "critical").put("kind", "node_failed"));
    LOG.warn("node " + id + " failed (" + why + ")");
    publishHealth(id, System.currentTimeMillis());
  }

  private void leave(String id, String why) {
    NodeRegistry.Node node = registry.get(id).orElse(null);
    if (node == null || node.state() == NodeState.LEFT) {
      return;
    }
    registry.setState(id, NodeState.LEFT);
    health.forget(id);
    bus.send(Addresses.LEADER_RESOURCES, new NodeDown(id));
    bus.send(Addresses.LEADER_COORDINATOR, new NodeLost(id, why, false));
    events.publishAbout(EventNames.NODE_LEAVE, id, new JsonObject().put("id", id));
    publishHealth(id, System.currentTimeMillis());
  }

  // ---- drain and queries ----------------------------------------------------------------------

  /** removeNode: no new task goes to the node, its unstarted tasks go back to the queue, then it leaves. */
  private void onDrain(Message<JsonObject> message) {
    String id = message.body().getString("id");
    NodeRegistry.Node node = registry.get(id).orElse(null);
    if (node == null) {
      message.fail(ErrorCode.NOT_FOUND.failureCode(), "no node " + id);
      return;
    }
    if (node.state() == NodeState.LEFT) {
      message.fail(ErrorCode.ALREADY_FINISHED.failureCode(), "node " + id + " already left");
      return;
    }
    registry.setState(id, NodeState.DRAINING);
    bus.send(Addresses.LEADER_RESOURCES, new NodeEligible(id, false));
    bus.send(Addresses.LEADER_COORDINATOR, new RevokeUnstarted(id));
    publishHealth(id, System.currentTimeMillis());
    message.reply(toJson(node));
    NodeView view = views.get(id);
    if (view == null || view.load().held() == 0) {
      finishDrain(id);
    }
  }

  private void finishDrain(String id) {
    // signed with the node's own key: only that node's process acts on it
    channel.publish(Addresses.NODE_ADMIN_LEAVE, channel.callAs(Addresses.NODE_ADMIN_LEAVE, id, new JsonObject().put("id", id)));
    leave(id, "node " + id + " drained");
  }

  private void onNodes(Message<JsonObject> message) {
    String id = message.body().getString("id");
    if (id != null) {
      registry.get(id).ifPresentOrElse(node -> message.reply(toJson(node)),
        () -> audit.rejected(id).ifPresentOrElse(r -> message.reply(NodeJson.listed(r)),
          () -> message.fail(ErrorCode.NOT_FOUND.failureCode(), "no node " + id)));
      return;
    }
    JsonArray all = new JsonArray();
    registry.all().forEach(node -> all.add(toJson(node)));
    audit.rejected().forEach(r -> all.add(NodeJson.listed(r)));
    message.reply(new JsonObject().put("nodes", all));
  }

  /** Nodes by state; with {@code perNode: true}, also each live node's gauges (the leader's metrics). */
  private void onCounts(Message<Object> message) {
    JsonObject counts = NodeJson.counts(registry, audit);
    if (message.body() instanceof JsonObject ask && ask.getBoolean("perNode", false)) {
      long now = System.currentTimeMillis();
      JsonArray perNode = new JsonArray();
      registry.all().stream().filter(node -> !node.isGone()).map(node -> node.config().id())
        .forEach(id -> perNode.add(NodeJson.gauges(id, health.phi(id, now), views.get(id))));
      counts.put("perNode", perNode);
    }
    message.reply(counts);
  }

  /** The node as {@code GET /api/v1/nodes} shows it. */
  private JsonObject toJson(NodeRegistry.Node node) {
    String id = node.config().id();
    return NodeJson.listed(node, node.isGone() ? null : views.get(id), prefetch.getOrDefault(id, 0));
  }

  private void publishAllHealth() {
    long now = System.currentTimeMillis();
    registry.all().forEach(node -> publishHealth(node.config().id(), now));
  }

  /** {@code node:health} with the seed's HealthStatus (SPEC section 10). */
  private void publishHealth(String id, long now) {
    NodeRegistry.Node node = registry.get(id).orElse(null);
    if (node == null) {
      return;
    }
    long age = health.lastHeartbeat(id).isPresent() ? now - health.lastHeartbeat(id).getAsLong() : now - node.lastSeen();
    double phi = node.isGone() ? 0.0 : health.phi(id, now);
    events.publishAbout(EventNames.NODE_HEALTH, id,
      NodeJson.health(id, node.state(), phi, age, node.isGone() ? null : views.get(id)));
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }
}
