package io.mastermind.gateway.nexus;

import io.mastermind.protocol.EventNames;
import io.mastermind.protocol.TaskType;
import io.mastermind.scheduler.RetryBackoff;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.util.Arrays;

/**
 * Registers this gateway with the Central Nexus (SPEC section 8): {@code POST {nexus.url}/systems}
 * with {@link #registration(String)}, retried after a refusal or an error with exponential backoff
 * ({@code registerBaseBackoffMs * 2^(n-1)}, capped at {@code registerMaxBackoffMs}) until a 2xx
 * answers. Runs on the event loop of the verticle that starts it and never blocks; {@link #status()}
 * may be read from any thread.
 */
public final class NexusRegistrar {

  /** Where the Nexus sends tasks, under the gateway's base URL. */
  public static final String TASK_PATH = "/api/v1/nexus/tasks";
  public static final String SYSTEMS_PATH = "/systems";

  private static final Logger LOG = LoggerFactory.getLogger(NexusRegistrar.class);

  /** What {@code GET /api/v1/cluster} shows under {@code nexus}. */
  public record Status(String url, boolean registered, int attempts, String lastError) {
    public JsonObject toJson() {
      return new JsonObject().put("url", url).put("registered", registered).put("attempts", attempts)
        .put("lastError", lastError);
    }
  }

  private final Vertx vertx;
  private final NexusOptions options;
  private final RetryBackoff backoff;
  private volatile Status status;
  private WebClient client;
  private JsonObject body;
  private long timer = -1;
  private boolean stopped;

  public NexusRegistrar(Vertx vertx, NexusOptions options) {
    this.vertx = vertx;
    this.options = options.validate();
    this.backoff = new RetryBackoff(options.getRegisterBaseBackoffMs(), options.getRegisterMaxBackoffMs());
    this.status = new Status(options.getUrl(), false, 0, null);
  }

  /** The registration body: name, the task types it runs, every event it emits, its task endpoint. */
  public static JsonObject registration(String endpoint) {
    return new JsonObject()
      .put("name", NexusTask.SYSTEM)
      .put("capabilities", new JsonArray(Arrays.stream(TaskType.values()).map(TaskType::wireName).toList()))
      .put("eventHandlers", new JsonArray(EventNames.ALL))
      .put("endpoint", endpoint);
  }

  /**
   * Starts registering, in the background, when a Nexus URL is configured; does nothing otherwise.
   *
   * @param gatewayUrl this gateway's base URL, used unless {@code nexus.publicUrl} is set
   */
  public void start(String gatewayUrl) {
    if (options.getUrl() == null) {
      return;
    }
    String base = options.getPublicUrl() != null ? options.getPublicUrl() : gatewayUrl;
    body = registration(base + TASK_PATH);
    client = WebClient.create(vertx);
    attempt();
  }

  public Status status() {
    return status;
  }

  /** Stops retrying; a call in flight is left to finish and ignored. */
  public Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (client != null) {
      client.close();
    }
    return Future.succeededFuture();
  }

  private void attempt() {
    timer = -1;
    int attempt = status.attempts() + 1;
    status = new Status(status.url(), false, attempt, status.lastError());
    client.postAbs(options.getUrl() + SYSTEMS_PATH)
      .timeout(options.getRequestTimeoutMs())
      .sendJsonObject(body)
      .onComplete(ar -> answered(attempt, ar));
  }

  private void answered(int attempt, AsyncResult<HttpResponse<Buffer>> ar) {
    if (stopped) {
      return;
    }
    if (ar.succeeded() && ar.result().statusCode() / 100 == 2) {
      status = new Status(status.url(), true, attempt, null);
      LOG.info("Registered with the Central Nexus at " + options.getUrl() + " (attempt " + attempt + ")");
      return;
    }
    String error = ar.succeeded()
      ? "HTTP " + ar.result().statusCode() + " " + ar.result().statusMessage()
      : String.valueOf(ar.cause().getMessage());
    long delay = backoff.delayMs(attempt);
    status = new Status(status.url(), false, attempt, error);
    LOG.warn("Central Nexus registration attempt " + attempt + " failed (" + error + "); retrying in " + delay + " ms");
    timer = vertx.setTimer(delay, t -> attempt());
  }
}
