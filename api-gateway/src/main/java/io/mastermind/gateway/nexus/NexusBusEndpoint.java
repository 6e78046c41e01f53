package io.mastermind.gateway.nexus;

import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.security.ClusterSecurity;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * The Nexus bridge on the event bus, {@value Addresses#NEXUS_TASKS}: request a NexusTask, get the
 * NexusResponse as the reply, always (SPEC section 8), never a reply failure: once the task ended, or
 * at once with status {@code error} when it is refused, with the code ({@code INVALID_JSON} for a body
 * that is not an object, {@code INVALID_FIELD} naming the field, {@code UNKNOWN_FUNCTION},
 * {@code QUEUE_FULL}: send it again later, ...). The sender's {@code sendTimeout} must exceed
 * {@code nexus.taskWaitMs} (default 60 s) for long tasks.
 */
public final class NexusBusEndpoint {

  private final NexusService service;
  private MessageConsumer<Object> consumer;

  public NexusBusEndpoint(NexusService service) {
    this.service = service;
  }

  /** Completes once the consumer is registered (cluster-wide when clustered, unless node authentication is on). */
  public Future<Void> register(EventBus bus) {
    // With node authentication on, only this JVM may submit here: a front door like HTTP, it would
    // otherwise let any cluster member (secret or not) have tasks run through this node's signature.
    consumer = ClusterSecurity.of(bus).signing() ? bus.localConsumer(Addresses.NEXUS_TASKS, this::handle)
      : bus.consumer(Addresses.NEXUS_TASKS, this::handle);
    return consumer.completion();
  }

  public Future<Void> unregister() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  void handle(Message<Object> message) {
    if (!(message.body() instanceof JsonObject body)) {
      message.reply(NexusResponse.refused(null, null, ErrorCode.INVALID_JSON,
        "the body must be a NexusTask (a JSON object)", 0).toJson());
      return;
    }
    service.execute(body)
      .onSuccess(response -> message.reply(response.toJson()))
      .onFailure(err -> message.reply(NexusResponse.refused(NexusTask.requestIdOf(body), null, ErrorCode.of(err),
        String.valueOf(err.getMessage()), 0).toJson()));
  }
}
