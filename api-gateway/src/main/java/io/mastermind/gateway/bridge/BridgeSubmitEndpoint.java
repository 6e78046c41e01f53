package io.mastermind.gateway.bridge;

import io.mastermind.coordinator.CoordinatorClient;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.security.ClusterSecurity;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.function.Consumer;

/**
 * The consumer behind the bridge's inbound address {@value Addresses#GATEWAY_SUBMIT}: validates the
 * task, submits it through the coordinator and replies its status record; or fails the message with
 * the {@link ErrorCode#failureCode()} and a message naming what is wrong, which the browser receives
 * as {@code {"type":"err","failureCode":..,"failureType":"RECIPIENT_FAILURE","message":..}}. A full
 * queue is {@code QUEUE_FULL} ({@code 4018}, "queue is full: N tasks queued"): nothing was created and
 * the same task may be sent again later. A submission the bridge refused for its caller (scope, rate
 * limit; see {@link EventBusBridge}) is failed with that code at once.
 */
public final class BridgeSubmitEndpoint {

  private final CoordinatorClient coordinator;
  private final Consumer<Object> bounds;
  private MessageConsumer<Object> consumer;

  public BridgeSubmitEndpoint(CoordinatorClient coordinator) {
    this(coordinator, task -> { });
  }

  /**
   * @param bounds checks a task's JSON shape (depth, string and number bounds) before anything else,
   *               throwing a ValidationException or DecodeException: the gateway's {@code JsonBounds}
   */
  public BridgeSubmitEndpoint(CoordinatorClient coordinator, Consumer<Object> bounds) {
    this.coordinator = coordinator;
    this.bounds = bounds;
  }

  /** Completes once the consumer is registered (cluster-wide when clustered, unless node authentication is on). */
  public Future<Void> register(EventBus bus) {
    // With node authentication on, only this JVM may submit here: a front door like HTTP, it would
    // otherwise let any cluster member (secret or not) have tasks run through this node's signature.
    consumer = ClusterSecurity.of(bus).signing() ? bus.localConsumer(Addresses.GATEWAY_SUBMIT, this::handle)
      : bus.consumer(Addresses.GATEWAY_SUBMIT, this::handle);
    return consumer.completion();
  }

  public Future<Void> unregister() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  void handle(Message<Object> message) {
    String refused = message.headers().get(EventBusBridge.REFUSED_HEADER);
    if (refused != null) {
      // the bridge refused the caller (scope, rate limit): answer with its code, touch nothing
      ErrorCode code = refusedCode(refused);
      message.fail(code.failureCode(), String.valueOf(message.headers().get(EventBusBridge.REFUSED_MESSAGE_HEADER)));
      return;
    }
    if (!(message.body() instanceof JsonObject task)) {
      message.fail(ErrorCode.INVALID_JSON.failureCode(), "the body must be a task (a JSON object)");
      return;
    }
    try {
      bounds.accept(task);
      TaskSpec.fromJson(task); // refuse before anything is queued, naming the field
    } catch (DecodeException e) {
      message.fail(ErrorCode.INVALID_JSON.failureCode(), e.getMessage());
      return;
    } catch (RuntimeException e) {
      fail(message, e);
      return;
    }
    coordinator.submit(task)
      .onSuccess(submitted -> message.reply(submitted.record()))
      .onFailure(err -> fail(message, err));
  }

  private static ErrorCode refusedCode(String name) {
    try {
      return ErrorCode.valueOf(name);
    } catch (IllegalArgumentException e) {
      return ErrorCode.FORBIDDEN;
    }
  }

  static void fail(Message<?> message, Throwable failure) {
    message.fail(ErrorCode.of(failure).failureCode(), failure.getMessage());
  }
}
