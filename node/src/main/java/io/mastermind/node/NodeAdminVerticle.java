package io.mastermind.node;

import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.MessageType;
import io.mastermind.protocol.NodeConfig;
import io.mastermind.security.Opened;
import io.mastermind.security.SecureChannel;
import io.mastermind.worker.HandlerRegistry;
import io.mastermind.worker.WorkerOptions;
import io.mastermind.worker.WorkerVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;

/**
 * This process's own administration: starts and stops the workers living in it (addNode, and the
 * leave that ends a removeNode) and changes its log level at run time.
 *
 * <p>Node authentication: with the cluster secret set, a leave is taken only when signed with the
 * leaving worker's own key (a coordinator's word) and a log level only when signed by a node of the
 * cluster; and this verticle proves the secret to each new leader with a signed {@code member_hello}
 * naming this process's cluster member, so the leader can tell the members that cannot.
 */
public class NodeAdminVerticle extends VerticleBase {

  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(NodeAdminVerticle.class);
  private static final long HELLO_TIMEOUT_MS = 2_000;
  private static final long HELLO_RETRY_MAX_MS = 10_000;

  private final WorkerOptions workerOptions;
  private final HandlerRegistry handlers;
  /** Worker node id to deployment id, for every worker in this process. */
  private final Map<String, String> workers = new ConcurrentHashMap<>();
  /** Worker node id to the verticle, for the health probes. */
  private final Map<String, WorkerVerticle> instances = new ConcurrentHashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final String nodeId;
  private final String memberId;
  private final Collection<String> roles;
  /** Places workers on loops apart from the coordinator's and the gateway's (the node's, or one of its own). */
  private EventLoopSteering steering;
  private SecureChannel channel;
  private long helloTimer = -1;
  private long helloRetryMs = 500;
  private boolean stopped;

  public NodeAdminVerticle(WorkerOptions workerOptions, HandlerRegistry handlers) {
    this(workerOptions, handlers, null, null, List.of());
  }

  /**
   * @param nodeId   this node's id (its key id when it signs)
   * @param memberId this process's cluster member id, or null standalone (nothing to prove then)
   */
  public NodeAdminVerticle(WorkerOptions workerOptions, HandlerRegistry handlers, String nodeId, String memberId,
                           Collection<String> roles) {
    this.workerOptions = workerOptions;
    this.handlers = handlers;
    this.nodeId = nodeId;
    this.memberId = memberId;
    this.roles = List.copyOf(roles);
  }

  /** Workers deployed from now on get event loops apart from the busy verticles' ({@link EventLoopSteering}). */
  NodeAdminVerticle steering(EventLoopSteering steering) {
    this.steering = steering;
    return this;
  }

  /** Starts a worker in this process and remembers it for {@link Addresses#NODE_ADMIN_LEAVE}. */
  public Future<String> deployWorker(NodeConfig config) {
    if (workers.containsKey(config.id())) {
      return Future.failedFuture(ErrorCode.CONFLICT.exception("node " + config.id() + " already runs here"));
    }
    workers.put(config.id(), "deploying");
    WorkerVerticle worker = new WorkerVerticle(config, workerOptions, handlers);
    return steering.deploy(worker)
      .onSuccess(id -> {
        workers.put(config.id(), id);
        instances.put(config.id(), worker);
      })
      .onFailure(err -> workers.remove(config.id()));
  }

  /** The worker with this id deployed here, or null. */
  public WorkerVerticle worker(String nodeId) {
    return instances.get(nodeId);
  }

  /** True while a worker with this id is deployed here (or still being deployed or undeployed). */
  public boolean hasWorker(String nodeId) {
    return workers.containsKey(nodeId);
  }

  @Override
  public Future<?> start() {
    if (steering == null) {
      steering = new EventLoopSteering(vertx);
    }
    var bus = vertx.eventBus();
    channel = SecureChannel.of(bus, nodeId);
    consumers.add(bus.<JsonObject>localConsumer(Addresses.NODE_ADMIN_ADD, this::onAdd));
    consumers.add(channel.requests(Addresses.NODE_ADMIN_LEAVE, this::onLeave));
    consumers.add(channel.requests(Addresses.LOG_LEVEL, this::onLogLevel));
    if (channel.signing() && memberId != null) {
      consumers.add(bus.consumer(Addresses.COORDINATOR_LEADER, m -> {
        helloRetryMs = 500;
        hello();
      }));
    }
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).onSuccess(v -> {
      if (channel.signing() && memberId != null) {
        hello();
      }
    });
  }

  /** Proves the secret to the leader (a signed member_hello); retried with backoff until one is answered. */
  private void hello() {
    if (stopped) {
      return;
    }
    if (helloTimer >= 0) {
      vertx.cancelTimer(helloTimer);
      helloTimer = -1;
    }
    JsonObject payload = new JsonObject().put("member", memberId).put("nodeId", nodeId).put("roles", new JsonArray(List.copyOf(roles)));
    channel.request(Addresses.HEALTH_INBOX, channel.envelope(MessageType.MEMBER_HELLO, nodeId, "health", nodeId, payload),
        new DeliveryOptions().setSendTimeout(HELLO_TIMEOUT_MS))
      .onSuccess(reply -> helloRetryMs = 500)
      .onFailure(err -> {
        if (ErrorCode.of(err) == ErrorCode.UNAUTHORIZED) {
          LOG.warn("the leader refused this node's member_hello (" + err.getMessage() + "): is cluster.secret the same on every node?");
        }
        if (!stopped && helloTimer < 0) {
          helloTimer = vertx.setTimer(helloRetryMs, t -> {
            helloTimer = -1;
            hello();
          });
          helloRetryMs = Math.min(helloRetryMs * 2, HELLO_RETRY_MAX_MS);
        }
      });
  }

  private void onAdd(Message<JsonObject> message) {
    NodeConfig config;
    try {
      config = NodeConfig.fromJson(message.body());
    } catch (RuntimeException e) {
      message.fail(ErrorCode.INVALID_FIELD.failureCode(), e.getMessage());
      return;
    }
    deployWorker(config)
      .onSuccess(id -> message.reply(config.toJson()))
      .onFailure(err -> message.fail(ErrorCode.of(err).failureCode(), err.getMessage()));
  }

  /** Undeploys a worker of this process once the coordinator let it leave; it is forgotten when stopped. */
  private void onLeave(Opened message) {
    String nodeId = message.body().getString("id");
    if (message.kid() != null && !message.kid().equals(nodeId)) {
      LOG.warn("ignored a leave for node " + nodeId + " signed as " + message.kid() + ": only a coordinator's word for that node counts");
      return;
    }
    String deployment = workers.get(nodeId);
    if (deployment != null && !"deploying".equals(deployment)) {
      vertx.undeploy(deployment).onComplete(ar -> {
        workers.remove(nodeId, deployment);
        instances.remove(nodeId);
      });
    }
  }

  private void onLogLevel(Message<JsonObject> message) {
    String raw = message.body().getString("level");
    String level = raw == null ? null : raw.trim().toLowerCase(java.util.Locale.ROOT);
    if (level == null || !LogLevels.LEVELS.contains(level)) {
      message.fail(ErrorCode.INVALID_FIELD.failureCode(), "unknown level " + raw);
      return;
    }
    if (!LogLevels.set(level)) {
      message.fail(ErrorCode.CONFLICT.failureCode(), "the log level can be changed only when logback is the SLF4J backend;"
        + " this node logs through " + LogLevels.backend() + ": set the level in that backend's configuration");
      return;
    }
    message.reply(new JsonObject().put("level", level));
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (helloTimer >= 0) {
      vertx.cancelTimer(helloTimer);
    }
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }
}
