package io.mastermind.api.impl;

import io.mastermind.api.DistributedSystem;
import io.mastermind.api.DistributedSystemException;
import io.mastermind.api.DistributedSystemOptions;
import io.mastermind.protocol.EventPattern;
import io.mastermind.api.EventSubscription;
import io.mastermind.api.TaskHandle;
import io.mastermind.coordinator.CoordinatorClient;
import io.mastermind.node.MastermindNode;
import io.mastermind.node.NodeSettings;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.NodeConfig;
import io.mastermind.protocol.TaskQuery;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.security.SecureChannel;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.function.Supplier;

/**
 * A node in the caller's process: started by {@link #initialize()} with the given settings, spoken to
 * over its event bus (the coordinator client, the node admin addresses, {@code mastermind.events}).
 */
public final class EmbeddedDistributedSystem implements DistributedSystem {

  private final NodeSettings settings;
  private final DistributedSystemOptions options;
  private final Promise<Void> consumerReady = Promise.promise();
  private final LocalEvents events = new LocalEvents(consumerReady.future());
  private volatile MastermindNode node;
  private volatile CoordinatorClient coordinator;
  private Future<Void> initialized;

  public EmbeddedDistributedSystem(NodeSettings settings, DistributedSystemOptions options) {
    this.settings = settings;
    this.options = options;
  }

  /** The embedded node, once initialized (its Vert.x, its HTTP URL when it has the gateway role). */
  public MastermindNode node() {
    return node;
  }

  @Override
  public synchronized Future<Void> initialize() {
    if (initialized == null) {
      initialized = MastermindNode.startOwned(settings, vertx -> vertx.eventBus()
          .<JsonObject>consumer(Addresses.EVENTS, message -> events.dispatch(message.body().copy())) // events are shared: user code gets its own
          .completion().onComplete(consumerReady))
        .<Void>map(started -> {
          node = started;
          coordinator = new CoordinatorClient(started.vertx().eventBus(), options.getRequestTimeoutMs());
          return null;
        })
        .onFailure(consumerReady::tryFail);
    }
    return initialized;
  }

  @Override
  public Future<JsonObject> executeTask(JsonObject task) {
    return withCoordinator(() -> {
      long deadline = System.currentTimeMillis() + options.getExecuteTimeoutMs();
      // the answer is the user's too
      return accept(task).compose(submitted -> untilEnded(submitted.record(), deadline)).map(JsonObject::copy);
    });
  }

  @Override
  public Future<TaskHandle> submit(JsonObject task) {
    return withCoordinator(() -> accept(task).map(submitted -> {
        JsonObject accepted = submitted.record().copy();
        return new SubmittedTask(accepted,
          () -> withCoordinator(() -> untilEnded(accepted, System.currentTimeMillis() + options.getExecuteTimeoutMs())
            .map(JsonObject::copy)),
          this);
    }));
  }

  /**
   * Validates (INVALID_FIELD naming the field, before anything is queued), then submits a copy: the
   * coordinator keeps what it is handed, and the user's object stays theirs.
   */
  private Future<CoordinatorClient.Submitted> accept(JsonObject task) {
    TaskSpec.fromJson(task);
    return coordinator.submit(task.copy());
  }

  @Override
  public Future<JsonObject> get(String id) {
    return withCoordinator(() -> coordinator.get(id).map(JsonObject::copy));
  }

  @Override
  public Future<JsonObject> cancel(String id) {
    return withCoordinator(() -> coordinator.cancel(id).map(JsonObject::copy));
  }

  @Override
  public Future<JsonObject> list(JsonObject query) {
    return withCoordinator(() -> coordinator.list(TaskQuery.filter(query)).map(JsonObject::copy));
  }

  /** Long-polls the coordinator until the record is terminal; a leader change in between is waited out. */
  private Future<JsonObject> untilEnded(JsonObject record, long deadline) {
    if (Tasks.ended(record)) {
      return Future.succeededFuture(record);
    }
    String id = record.getString("id");
    long left = deadline - System.currentTimeMillis();
    if (left <= 0) {
      return Future.failedFuture(Tasks.notEnded(id, options.getExecuteTimeoutMs()));
    }
    return coordinator.await(id, Math.min(options.getPollWaitMs(), left))
      .recover(err -> ErrorCode.of(err) == ErrorCode.UNAVAILABLE && System.currentTimeMillis() < deadline
        ? node.vertx().timer(options.getReconnectBaseMs()).map(t -> record)
        : Future.failedFuture(err))
      .compose(next -> untilEnded(next, deadline));
  }

  @Override
  public Future<JsonObject> addNode(JsonObject nodeConfig) {
    return withCoordinator(() -> {
      NodeConfig config = NodeConfig.fromJson(nodeConfig);
      DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).setSendTimeout(options.getRequestTimeoutMs());
      return bus().request(Addresses.NODE_ADMIN_ADD, config.toJson(), local)
        .compose(added -> coordinator.node(config.id()));
    });
  }

  @Override
  public Future<Void> removeNode(String id) {
    return withCoordinator(() -> coordinator.drain(id).mapEmpty());
  }

  @Override
  public EventSubscription subscribe(String pattern, Handler<JsonObject> handler) {
    return events.add(EventPattern.of(pattern), handler);
  }

  @Override
  public Future<Void> setLogLevel(String level) {
    return withCoordinator(() -> {
      JsonObject body = new JsonObject().put("level", Tasks.logLevel(level));
      DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).setSendTimeout(options.getRequestTimeoutMs());
      SecureChannel channel = SecureChannel.of(bus(), node.settings().nodeId());
      return channel.request(Addresses.LOG_LEVEL, channel.call(Addresses.LOG_LEVEL, "*", body), local)
        .onSuccess(reply -> channel.publish(Addresses.LOG_LEVEL,
          channel.call(Addresses.LOG_LEVEL, "*", body.copy().put("from", "api"))))
        .mapEmpty();
    });
  }

  @Override
  public synchronized Future<Void> close() {
    if (initialized == null) {
      return Future.succeededFuture();
    }
    // Not initialized.transform(...): that future belongs to the node's event loop, which the close ends,
    // so its continuation could never run. A plain promise completes on whichever thread finishes.
    Promise<Void> closed = Promise.promise();
    initialized.onComplete(ar -> {
      if (ar.succeeded()) {
        node.drainAndClose().onComplete(closed);
      } else {
        closed.complete();
      }
    });
    return closed.future();
  }

  private EventBus bus() {
    return node.vertx().eventBus();
  }

  /** Runs a command once initialized; local validation and event-bus failures become our exception. */
  private <T> Future<T> withCoordinator(Supplier<Future<T>> command) {
    if (coordinator == null) {
      return Future.failedFuture(Tasks.notInitialized());
    }
    try {
      return command.get().recover(err -> Future.failedFuture(DistributedSystemException.from(err)));
    } catch (RuntimeException e) {
      return Future.failedFuture(DistributedSystemException.from(e));
    }
  }
}
