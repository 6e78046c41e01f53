package io.mastermind.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.NodeConfig;
import io.mastermind.worker.HandlerRegistry;
import io.mastermind.worker.WorkerOptions;
import io.mastermind.worker.WorkerVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;

/**
 * This process's own administration: starts and stops the workers living in it (addNode, and the
 * leave that ends a removeNode) and changes its log level at run time.
 */
public class NodeAdminVerticle extends VerticleBase {

  private final WorkerOptions workerOptions;
  private final HandlerRegistry handlers;
  /** Worker node id to deployment id, for every worker in this process. */
  private final Map<String, String> workers = new ConcurrentHashMap<>();
  private List<MessageConsumer<JsonObject>> consumers;

  public NodeAdminVerticle(WorkerOptions workerOptions, HandlerRegistry handlers) {
    this.workerOptions = workerOptions;
    this.handlers = handlers;
  }

  /** Starts a worker in this process and remembers it for {@link Addresses#NODE_ADMIN_LEAVE}. */
  public Future<String> deployWorker(NodeConfig config) {
    if (workers.containsKey(config.id())) {
      return Future.failedFuture(ErrorCode.CONFLICT.exception("node " + config.id() + " already runs here"));
    }
    workers.put(config.id(), "deploying");
    return vertx.deployVerticle(new WorkerVerticle(config, workerOptions, handlers))
      .onSuccess(id -> workers.put(config.id(), id))
      .onFailure(err -> workers.remove(config.id()));
  }

  /** True while a worker with this id is deployed here (or still being deployed or undeployed). */
  public boolean hasWorker(String nodeId) {
    return workers.containsKey(nodeId);
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    consumers = List.of(
      bus.localConsumer(Addresses.NODE_ADMIN_ADD, this::onAdd),
      bus.consumer(Addresses.NODE_ADMIN_LEAVE, this::onLeave),
      bus.consumer(Addresses.LOG_LEVEL, this::onLogLevel));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
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
  private void onLeave(Message<JsonObject> message) {
    String nodeId = message.body().getString("id");
    String deployment = workers.get(nodeId);
    if (deployment != null && !"deploying".equals(deployment)) {
      vertx.undeploy(deployment).onComplete(ar -> workers.remove(nodeId, deployment));
    }
  }

  private void onLogLevel(Message<JsonObject> message) {
    Level level = Level.toLevel(message.body().getString("level"), null);
    if (level == null) {
      message.fail(ErrorCode.INVALID_FIELD.failureCode(), "unknown level " + message.body().getString("level"));
      return;
    }
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(level);
    ((Logger) LoggerFactory.getLogger("io.mastermind")).setLevel(level);
    message.reply(new JsonObject().put("level", level.toString().toLowerCase(java.util.Locale.ROOT)));
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }
}
