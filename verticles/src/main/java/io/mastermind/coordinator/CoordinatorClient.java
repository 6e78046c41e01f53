package io.mastermind.coordinator;

import io.mastermind.events.SharedJsonCodec;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.security.ClusterSecurity;
import io.mastermind.security.Opened;
import io.mastermind.security.RefusedAnswerException;
import io.mastermind.security.SecureChannel;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * Talks to the leading coordinator over the event bus, for the gateway and the Java API. Failures are
 * {@link io.vertx.core.eventbus.ReplyException}s whose code {@link io.mastermind.protocol.ErrorCode#of}
 * turns into one of ours. With node authentication on, every request is signed as this node and an
 * answer is taken only when signed for that very request (a member that registers a consumer on a
 * coordinator address cannot answer in its place: its answer fails with {@code UNAUTHORIZED}).
 */
public final class CoordinatorClient {

  /** A submission's answer: the record, and whether the id already existed (idempotent resubmit). */
  public record Submitted(JsonObject record, boolean existing) {
  }

  public static final long DEFAULT_TIMEOUT_MS = 10_000;

  private static final String COORDINATOR = "coordinator";
  /** Tries per request when impostors answer (see {@link #request}). */
  private static final int ATTEMPTS = 3;
  private static final String HEALTH = "health";

  private final SecureChannel channel;
  private final long timeoutMs;

  public CoordinatorClient(EventBus bus, long timeoutMs) {
    this.channel = SecureChannel.of(bus, ClusterSecurity.of(bus).nodeId());
    this.timeoutMs = timeoutMs;
    SharedJsonCodec.register(bus); // submissions and answers travel with it
  }

  /** {@code task} is handed over: the caller must not change it afterwards (pass a copy if it might). */
  public Future<Submitted> submit(JsonObject task) {
    String address = Addresses.COORDINATOR_SUBMIT;
    return request(address, COORDINATOR, new JsonObject().put("task", task), SharedJsonCodec.delivery(timeoutMs), ATTEMPTS)
      .map(reply -> new Submitted(reply.body(), "true".equals(reply.headers().get("existing"))));
  }

  /** The record once the task ended, or as it is after {@code waitMs}. */
  public Future<JsonObject> await(String id, long waitMs) {
    return call(Addresses.COORDINATOR_AWAIT, new JsonObject().put("id", id).put("waitMs", waitMs), waitMs + timeoutMs);
  }

  public Future<JsonObject> get(String id) {
    return call(Addresses.COORDINATOR_GET, new JsonObject().put("id", id), timeoutMs);
  }

  /** {@code filter}: optional status, type, limit. */
  public Future<JsonObject> list(JsonObject filter) {
    return call(Addresses.COORDINATOR_LIST, filter, timeoutMs);
  }

  public Future<JsonObject> cancel(String id) {
    return call(Addresses.COORDINATOR_CANCEL, new JsonObject().put("id", id), timeoutMs);
  }

  public Future<JsonObject> nodes() {
    return call(Addresses.HEALTH_NODES, HEALTH, new JsonObject(), timeoutMs);
  }

  public Future<JsonObject> node(String id) {
    return call(Addresses.HEALTH_NODES, HEALTH, new JsonObject().put("id", id), timeoutMs);
  }

  public Future<JsonObject> drain(String id) {
    return call(Addresses.HEALTH_DRAIN, HEALTH, new JsonObject().put("id", id), timeoutMs);
  }

  public Future<JsonObject> cluster() {
    return call(Addresses.COORDINATOR_CLUSTER, new JsonObject(), timeoutMs);
  }

  private Future<JsonObject> call(String address, JsonObject body, long timeout) {
    return call(address, COORDINATOR, body, timeout);
  }

  private Future<JsonObject> call(String address, String receiver, JsonObject body, long timeout) {
    return request(address, receiver, body, options(timeout), ATTEMPTS).map(Message::body);
  }

  /**
   * One request, sent again (freshly signed) when an impostor answered it: the event bus hands requests
   * to an address's consumers in turn, so the next one goes to the next consumer. Every answer refused:
   * UNAVAILABLE, as when no coordinator is there.
   */
  private Future<Opened> request(String address, String receiver, JsonObject body, DeliveryOptions options, int attempts) {
    return channel.request(address, channel.call(address, receiver, body), options)
      .recover(err -> {
        if (!(err instanceof RefusedAnswerException)) {
          return Future.failedFuture(err);
        }
        return attempts > 1 ? request(address, receiver, body, options, attempts - 1)
          : Future.failedFuture(ErrorCode.UNAVAILABLE.exception("no authenticated " + receiver + " answered: " + err.getMessage()));
      });
  }

  private static DeliveryOptions options(long timeout) {
    return new DeliveryOptions().setSendTimeout(timeout);
  }
}
