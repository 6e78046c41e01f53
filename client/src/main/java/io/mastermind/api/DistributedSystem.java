package io.mastermind.api;

import io.mastermind.api.impl.BufferedEventStream;
import io.mastermind.api.impl.RemoteDistributedSystem;
import io.mastermind.protocol.TaskSpec;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The seed's {@code DistributedSystem}, in Java (SPEC section 9). Two modes behind one interface:
 *
 * <ul>
 *   <li>embedded, {@code io.mastermind.node.EmbeddedSystems.embedded(config)} (in the {@code node}
 *       artifact, which brings the whole server): the caller's process becomes a node (standalone unless the config
 *       says {@code "cluster": {"enabled": true}}); commands and events go over the event bus.</li>
 *   <li>{@link #remote(String, String)}: a client of a gateway; commands over HTTP, live events over
 *       its WebSocket ({@link DistributedSystemOptions#getWebSocketPath()}, {@code /api/v1/ws} by default).
 *       It runs on the caller's {@link Vertx} when given one ({@link #remote(Vertx, String, String,
 *       DistributedSystemOptions)}), else on one of its own that {@link #close()} closes.</li>
 * </ul>
 *
 * <p>Every method returns a Vert.x {@link Future}: compose it, or block a plain thread with
 * {@code .await()}. Refusals fail with a {@link DistributedSystemException} carrying the system's
 * {@link io.mastermind.protocol.ErrorCode} (the code the HTTP API answers). Handlers registered with
 * {@link #on} run on a Vert.x event loop: do not block in them. Code without Vert.x turns any of these
 * futures into a {@link java.util.concurrent.CompletionStage} with {@code future.toCompletionStage()}.
 */
public interface DistributedSystem {

  /** A client of the gateway at {@code url} (e.g. {@code http://127.0.0.1:8080}), without a token. */
  static DistributedSystem remote(String url) {
    return remote(url, null);
  }

  /** @param token the API token, or null when the gateway has none configured */
  static DistributedSystem remote(String url, String token) {
    return remote(url, token, new DistributedSystemOptions());
  }

  static DistributedSystem remote(String url, String token, DistributedSystemOptions options) {
    return new RemoteDistributedSystem(null, url, token, options);
  }

  /**
   * A client on the caller's {@code vertx}: it opens its HTTP and WebSocket clients there and
   * {@link #close()} closes those, never {@code vertx}.
   */
  static DistributedSystem remote(Vertx vertx, String url, String token, DistributedSystemOptions options) {
    if (vertx == null) {
      throw new IllegalArgumentException("vertx must not be null (use remote(url, token, options) to let the client make one)");
    }
    return new RemoteDistributedSystem(vertx, url, token, options);
  }

  /**
   * Starts the embedded node, or checks that the gateway answers (and takes the token). Handlers
   * registered before are ready when it completes (so a remote {@code on(...)} fails it when the gateway has
   * no WebSocket). Calling it again returns the same future; after a failure, {@link #close()} still
   * releases what it opened.
   */
  Future<Void> initialize();

  /**
   * Submits a task (SPEC section 3 shape) and completes with its final status record once it ended,
   * whatever the outcome: look at {@code status} ({@code succeeded}, {@code failed}, {@code timed_out},
   * {@code cancelled}), {@code result} and {@code error}. Fails with a {@link DistributedSystemException}
   * when the task is refused ({@code INVALID_FIELD}, {@code UNKNOWN_FUNCTION}, {@code UNSATISFIABLE},
   * {@code CONFLICT}...), or with {@code TIMEOUT} after {@link DistributedSystemOptions#getExecuteTimeoutMs()}.
   * Resubmitting the same {@code id} is idempotent.
   */
  Future<JsonObject> executeTask(JsonObject task);

  /**
   * Submits a task and completes once it is accepted (stored), with a handle to its id, its end and
   * its cancellation: unlike {@link #executeTask}, nothing is held while the task runs. Refusals as
   * for {@code executeTask}.
   */
  Future<TaskHandle> submit(JsonObject task);

  /** {@link #submit(JsonObject)} of a typed task ({@link TaskSpec#fromJson} builds one and validates it). */
  default Future<TaskHandle> submit(TaskSpec task) {
    return submit(task.toJson());
  }

  /** The task's status record ({@code GET /api/v1/tasks/{id}}); fails with {@code NOT_FOUND}. */
  Future<JsonObject> get(String id);

  /** Cancels a task: the cancelled record; fails with {@code NOT_FOUND} or {@code ALREADY_FINISHED}. */
  Future<JsonObject> cancel(String id);

  /** {@link #get(String)} as a typed {@link StatusRecord}. */
  default Future<StatusRecord> status(String id) {
    return get(id).map(StatusRecord::of);
  }

  /**
   * One page of tasks, newest first: {@code {"tasks":[records],"count":n,"next":CURSOR?}}. {@code query}
   * takes the keys of {@code GET /api/v1/tasks}: {@code status}, {@code type}, {@code limit} (1–1000,
   * default 100) and {@code after} (the {@code next} of the previous page); {@code next} is absent on
   * the last page.
   */
  Future<JsonObject> list(JsonObject query);

  /** The newest tasks: {@link #list(JsonObject)} without a filter. */
  default Future<JsonObject> list() {
    return list(new JsonObject());
  }

  /**
   * Admits a node described by a seed-shaped NodeConfig
   * ({@code {"id","capabilities":[...],"resources":{"cpu":{"cores","speed"},"memory":{"total"},"gpu"}}}):
   * a worker with that id starts in the embedded node's process (remote: in the gateway's). Completes
   * with the node as {@code GET /api/v1/nodes/{id}} shows it, once it has joined.
   */
  Future<JsonObject> addNode(JsonObject nodeConfig);

  /**
   * Removes a node: it goes {@code draining}, its tasks not yet started are placed elsewhere, and it
   * leaves once its running tasks end. Completes when the drain is accepted (an idle node has then
   * already left); fails with {@code NOT_FOUND} or {@code ALREADY_FINISHED}.
   */
  Future<Void> removeNode(String id);

  /**
   * Calls {@code handler} with every live event ({@code {"event","timestamp","nodeId","taskId"?,"data"}})
   * whose name matches {@code event}: an exact name, {@code "*"}, or a prefix such as {@code "task:*"}.
   * May be called before or after {@link #initialize()}.
   */
  default DistributedSystem on(String event, Handler<JsonObject> handler) {
    subscribe(event, handler);
    return this;
  }

  /** As {@link #on}, returning a handle to wait for the subscription and to cancel it. */
  EventSubscription subscribe(String pattern, Handler<JsonObject> handler);

  /**
   * Live events matching {@code pattern} as a {@link io.vertx.core.streams.ReadStream} that honours
   * {@code pause()}/{@code fetch(n)}: unread events wait in a buffer of {@link EventStream#DEFAULT_BUFFER},
   * the oldest dropped once it is full (see {@link EventStream}).
   */
  default EventStream events(String pattern) {
    return events(pattern, EventStream.DEFAULT_BUFFER);
  }

  /** {@link #events(String)} with a buffer of {@code bufferSize} events. */
  default EventStream events(String pattern, int bufferSize) {
    BufferedEventStream stream = new BufferedEventStream(bufferSize);
    return stream.attach(subscribe(pattern, stream::push));
  }

  /** Changes the log level at run time on every node: {@code trace|debug|info|warn|error|off}. */
  Future<Void> setLogLevel(String level);

  /** Embedded: drains the node (running tasks finish, bounded by drainTimeoutMs) and stops it. Remote: disconnects. */
  Future<Void> close();
}
