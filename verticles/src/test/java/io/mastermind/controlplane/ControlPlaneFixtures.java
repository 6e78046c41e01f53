package io.mastermind.controlplane;

import io.mastermind.controlplane.ControlMessages.NodeView;
import io.mastermind.controlplane.ControlMessages.NodeViews;
import io.mastermind.coordinator.Recorder;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.Envelope;
import io.mastermind.protocol.JoinRequest;
import io.mastermind.protocol.MessageType;
import io.mastermind.protocol.NodeConfig;
import io.mastermind.resources.Resources;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the tests of the leader's helper verticles share: nodes, envelopes, view look-ups, deployment. */
final class ControlPlaneFixtures {

  /** One core, 256 MB: the shape of every task in these tests. */
  static final Resources ONE_CPU = new Resources(1, 256, 0);
  static final DeliveryOptions REQUEST = new DeliveryOptions().setSendTimeout(5_000);

  private ControlPlaneFixtures() {
  }

  /** A node with {@code cpu} cores, 4096 MB, the default capabilities, serving {@code echo} for every type. */
  static NodeConfig node(String id, double cpu) {
    return NodeConfig.fromJson(new JsonObject().put("id", id)
      .put("resources", new JsonObject().put("cpu", cpu).put("memory", 4096)))
      .withFunctions(Map.of("echo", Set.of("*")));
  }

  /** Records every {@link NodeViews} the resource verticle publishes; completes once registered. */
  static Future<Recorder<NodeViews>> recordViews(Vertx vertx) {
    Recorder<NodeViews> views = new Recorder<>(vertx, "node views");
    MessageConsumer<NodeViews> consumer = vertx.eventBus().localConsumer(Addresses.LEADER_NODE_VIEWS,
      m -> views.add(m.body()));
    return consumer.completion().map(views);
  }

  /** The view of a node in one published message, if it carries one. */
  static Optional<NodeView> viewOf(NodeViews views, String nodeId) {
    return views.views().stream().filter(v -> v.nodeId().equals(nodeId)).findFirst();
  }

  /** The latest view of a node over everything published so far, if any. */
  static Optional<NodeView> latest(List<NodeViews> published, String nodeId) {
    for (int i = published.size() - 1; i >= 0; i--) {
      Optional<NodeView> view = viewOf(published.get(i), nodeId);
      if (view.isPresent()) {
        return view;
      }
    }
    return Optional.empty();
  }

  /** The view of the node in the first {@link NodeViews} published after this call that carries one. */
  static Future<NodeView> nextViewOf(Recorder<NodeViews> views, String nodeId) {
    return views.next(v -> viewOf(v, nodeId).isPresent()).map(v -> viewOf(v, nodeId).orElseThrow());
  }

  /**
   * Deploys a verticle and completes with the context it runs on, so a test can act within one turn of
   * its event loop (what it does there is seen by the verticle before the turn ends).
   */
  static Future<Context> deployOnContext(Vertx vertx, Deployable verticle) {
    Promise<Context> context = Promise.promise();
    return vertx.deployVerticle(new Deployable() {
      @Override
      public Future<?> deploy(Context c) throws Exception {
        context.complete(c);
        return verticle.deploy(c);
      }

      @Override
      public Future<?> undeploy(Context c) throws Exception {
        return verticle.undeploy(c);
      }
    }).compose(id -> context.future());
  }

  // ---- a worker's envelopes to the health verticle --------------------------------------------

  static JsonObject envelope(MessageType type, String sender, JsonObject payload) {
    return Envelope.of(type, sender, "c1", payload).toJson();
  }

  /** {@code node_join} of this config, holding nothing, sent as {@code sender}; the reply's body. */
  static Future<JsonObject> join(Vertx vertx, String sender, NodeConfig config, int prefetch) {
    JsonObject payload = new JoinRequest(config, List.of(), prefetch, 0).toJson();
    return vertx.eventBus().<JsonObject>request(Addresses.HEALTH_INBOX, envelope(MessageType.NODE_JOIN, sender, payload), REQUEST)
      .map(Message::body);
  }

  static Future<JsonObject> join(Vertx vertx, NodeConfig config) {
    return join(vertx, config.id(), config, 1);
  }

  /** {@code resource_update} with these metrics; the reply is {@code {"known", "epoch"}}. */
  static Future<JsonObject> heartbeat(Vertx vertx, String nodeId, JsonObject metrics) {
    JsonObject payload = new JsonObject().put("id", nodeId).put("metrics", metrics).put("runningTasks", 0);
    return vertx.eventBus().<JsonObject>request(Addresses.HEALTH_INBOX, envelope(MessageType.RESOURCE_UPDATE, nodeId, payload), REQUEST)
      .map(Message::body);
  }

  /** {@code node_leave}. */
  static Future<JsonObject> leave(Vertx vertx, String nodeId) {
    JsonObject payload = new JsonObject().put("id", nodeId);
    return vertx.eventBus().<JsonObject>request(Addresses.HEALTH_INBOX, envelope(MessageType.NODE_LEAVE, nodeId, payload), REQUEST)
      .map(Message::body);
  }

  /** A heartbeat every {@code everyMs} until the returned timer is cancelled (or Vert.x closes). */
  static long keepAlive(Vertx vertx, String nodeId, JsonObject metrics, long everyMs) {
    return vertx.setPeriodic(everyMs, t -> heartbeat(vertx, nodeId, metrics));
  }

  /**
   * {@code times} heartbeats, one every {@code everyMs}; completes after the last, and fails at once
   * when one is answered {@code known: false}.
   */
  static Future<Void> beat(Vertx vertx, String nodeId, int times, long everyMs) {
    Promise<Void> done = Promise.promise();
    int[] sent = {0};
    vertx.setPeriodic(everyMs, t -> {
      boolean last = ++sent[0] == times;
      if (last) {
        vertx.cancelTimer(t);
      }
      heartbeat(vertx, nodeId, new JsonObject()).onComplete(ar -> {
        if (ar.failed() || !ar.result().getBoolean("known")) {
          vertx.cancelTimer(t);
          done.tryFail(new AssertionError("heartbeat " + sent[0] + " of " + nodeId + " answered "
            + (ar.succeeded() ? ar.result() : ar.cause())));
        } else if (last) {
          done.tryComplete();
        }
      });
    });
    return done.future();
  }
}
