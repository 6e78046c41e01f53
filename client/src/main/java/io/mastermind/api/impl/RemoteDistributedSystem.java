package io.mastermind.api.impl;

import io.mastermind.api.DistributedSystem;
import io.mastermind.api.DistributedSystemException;
import io.mastermind.api.DistributedSystemOptions;
import io.mastermind.api.EventSubscription;
import io.mastermind.api.TaskHandle;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.EventPattern;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.protocol.WebSocketFrames;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A client of a gateway: commands over the HTTP API of SPEC section 5 (vertx-web-client), live events
 * over the WebSocket of section 6. It runs on the caller's Vert.x when given one (and leaves it open), else
 * on one of its own, created by {@link #initialize()} and closed by {@link #close()}. Its HTTP pool holds
 * {@code maxConnections}: each long-poll of a task's end holds one connection.
 */
public final class RemoteDistributedSystem implements DistributedSystem {

  private final String baseUrl;
  private final String token;
  private final DistributedSystemOptions options;
  private final List<RemoteEventStream> streams = new CopyOnWriteArrayList<>();
  /** The caller's, or null: then initialize() makes one and close() closes it. */
  private final Vertx given;
  private volatile Vertx vertx;
  private volatile Context context;
  private volatile WebClient http;
  private volatile WebSocketClient webSockets;
  private volatile boolean connected;
  private volatile boolean closed;
  private Future<Void> initialized;

  /** @throws IllegalArgumentException when {@code url} is not an http(s) URL */
  public RemoteDistributedSystem(Vertx vertx, String url, String token, DistributedSystemOptions options) {
    this.given = vertx;
    this.baseUrl = baseUrl(url);
    this.token = token == null || token.isBlank() ? null : token.trim();
    this.options = options;
  }

  static String baseUrl(String url) {
    URI uri;
    try {
      uri = URI.create(url == null ? "" : url.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("gateway url '" + url + "' is not a URL");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("gateway url must look like http://HOST:PORT or https://HOST:PORT (got '" + url + "')");
    }
    String text = uri.toString();
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }

  /** http://h:p to ws://h:p, https to wss. */
  static String webSocketUrl(String httpUrl) {
    return "ws" + httpUrl.substring("http".length());
  }

  public String url() {
    return baseUrl;
  }

  @Override
  public synchronized Future<Void> initialize() {
    if (initialized == null) {
      vertx = given != null ? given : Vertx.vertx();
      context = vertx.getOrCreateContext();
      WebClientOptions httpOptions = new WebClientOptions();
      WebSocketClientOptions webSocketOptions = new WebSocketClientOptions();
      if (options.getCaFile() != null) {
        PemTrustOptions trust = new PemTrustOptions().addCertPath(options.getCaFile());
        httpOptions.setTrustOptions(trust);
        webSocketOptions.setTrustOptions(trust);
      }
      http = WebClient.create(vertx, httpOptions, new PoolOptions().setHttp1MaxSize(options.getMaxConnections()));
      webSockets = vertx.createWebSocketClient(webSocketOptions);
      initialized = call(HttpMethod.GET, "/api/v1/cluster", null, options.getRequestTimeoutMs())
        .compose(cluster -> {
          connected = true;
          return Future.all(streams.stream().map(this::start).toList());
        })
        .mapEmpty();
    }
    return initialized;
  }

  @Override
  public Future<JsonObject> executeTask(JsonObject task) {
    if (!connected) {
      return Future.failedFuture(Tasks.notInitialized());
    }
    long deadline = System.currentTimeMillis() + options.getExecuteTimeoutMs();
    return submitAndWait(task, deadline);
  }

  /**
   * {@code POST /api/v1/tasks?wait=} until the record is terminal. After the first answer the body
   * carries the task's id, so each later POST is an idempotent re-submission that only waits.
   */
  private Future<JsonObject> submitAndWait(JsonObject task, long deadline) {
    long left = deadline - System.currentTimeMillis();
    if (left <= 0) {
      return Future.failedFuture(Tasks.notEnded(task.getString("id"), options.getExecuteTimeoutMs()));
    }
    long waitMs = Math.min(options.getPollWaitMs(), left);
    return call(HttpMethod.POST, "/api/v1/tasks?wait=" + waitMs, task, waitMs + options.getRequestTimeoutMs())
      .compose(record -> Tasks.ended(record) ? Future.succeededFuture(record)
        : submitAndWait(task.copy().put("id", record.getString("id")), deadline));
  }

  @Override
  public Future<TaskHandle> submit(JsonObject task) {
    if (!connected) {
      return Future.failedFuture(Tasks.notInitialized());
    }
    try {
      TaskSpec.fromJson(task); // INVALID_FIELD naming the field, before anything is sent
    } catch (RuntimeException e) {
      return Future.failedFuture(DistributedSystemException.from(e));
    }
    return call(HttpMethod.POST, "/api/v1/tasks", task, options.getRequestTimeoutMs())
      .map(record -> new SubmittedTask(record,
        () -> submitAndWait(task.copy().put("id", record.getString("id")), System.currentTimeMillis() + options.getExecuteTimeoutMs()),
        this));
  }

  @Override
  public Future<JsonObject> get(String id) {
    return connectedCall(HttpMethod.GET, "/api/v1/tasks/" + encode(id), null);
  }

  @Override
  public Future<JsonObject> cancel(String id) {
    return connectedCall(HttpMethod.DELETE, "/api/v1/tasks/" + encode(id), null);
  }

  @Override
  public Future<JsonObject> list(JsonObject query) {
    StringBuilder path = new StringBuilder("/api/v1/tasks");
    char separator = '?';
    for (String key : List.of("status", "type", "limit", "after")) {
      Object value = query.getValue(key);
      if (value != null) {
        path.append(separator).append(key).append('=').append(encode(String.valueOf(value)));
        separator = '&';
      }
    }
    return connectedCall(HttpMethod.GET, path.toString(), null);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
  }

  @Override
  public Future<JsonObject> addNode(JsonObject nodeConfig) {
    return connectedCall(HttpMethod.POST, "/api/v1/nodes", nodeConfig);
  }

  @Override
  public Future<Void> removeNode(String id) {
    return connectedCall(HttpMethod.DELETE, "/api/v1/nodes/" + encode(id), null)
      .mapEmpty();
  }

  @Override
  public EventSubscription subscribe(String pattern, Handler<JsonObject> handler) {
    RemoteEventStream stream = new RemoteEventStream(EventPattern.of(pattern), handler);
    if (closed) {
      stream.cancel();
      return stream;
    }
    streams.add(stream);
    stream.ready().onFailure(err -> streams.remove(stream));
    if (connected) {
      start(stream);
    }
    return stream;
  }

  private Future<Void> start(RemoteEventStream stream) {
    WebSocketConnectOptions connect = new WebSocketConnectOptions()
      .setAbsoluteURI(webSocketUrl(baseUrl) + options.getWebSocketPath())
      .setConnectTimeout(options.getRequestTimeoutMs());
    if (token != null) {
      connect.putHeader("Authorization", "Bearer " + token);
    }
    return stream.start(context, webSockets, connect, options);
  }

  @Override
  public Future<Void> setLogLevel(String level) {
    try {
      return connectedCall(HttpMethod.PUT, "/api/v1/log-level", new JsonObject().put("level", Tasks.logLevel(level)))
        .mapEmpty();
    } catch (RuntimeException e) {
      return Future.failedFuture(DistributedSystemException.from(e));
    }
  }

  @Override
  public synchronized Future<Void> close() {
    if (vertx == null || closed) {
      closed = true;
      return Future.succeededFuture();
    }
    connected = false;
    closed = true;
    Vertx used = vertx;
    return Future.all(streams.stream().map(RemoteEventStream::cancel).toList())
      .transform(ar -> {
        http.close();
        return webSockets.close();
      })
      .transform(ar -> given == null ? used.close() : Future.<Void>succeededFuture());
  }

  private Future<JsonObject> connectedCall(HttpMethod method, String path, JsonObject body) {
    if (!connected) {
      return Future.failedFuture(Tasks.notInitialized());
    }
    return call(method, path, body, options.getRequestTimeoutMs());
  }

  /** One HTTP call: the JSON body of a 2xx, else the gateway's error as our exception. */
  private Future<JsonObject> call(HttpMethod method, String path, JsonObject body, long timeoutMs) {
    HttpRequest<Buffer> request = http.requestAbs(method, baseUrl + path).timeout(timeoutMs);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
    return sent
      .recover(err -> Future.failedFuture(new DistributedSystemException(ErrorCode.UNAVAILABLE,
        ErrorCode.UNAVAILABLE.name(), "cannot reach the gateway at " + baseUrl + ": " + err.getMessage(), null, 503, err)))
      .compose(response -> {
        JsonObject json = WebSocketFrames.parse(response.bodyAsString());
        if (response.statusCode() >= 400) {
          return Future.failedFuture(DistributedSystemException.fromHttp(response.statusCode(), json));
        }
        return Future.succeededFuture(json == null ? new JsonObject() : json);
      });
  }
}
