package io.mastermind.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.Set;

/** Settings of the HTTP gateway: where it listens, how big a body may be, who may call it. */
public final class GatewayOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  /** 10 MiB, as SPEC section 5 says. */
  public static final long DEFAULT_BODY_LIMIT = 10L * 1024 * 1024;
  /** How long the gateway waits for the coordinator before answering 503. */
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
  /** Upper bound of {@code ?wait=MS}. */
  public static final long MAX_WAIT_MS = 300_000;
  /**
   * The {@code Retry-After} of a refusal that means "not now" (429 {@code QUEUE_FULL}, 503
   * {@code UNAVAILABLE}): a scheduling pass or a leader change is over well within a second.
   */
  public static final long RETRY_AFTER_SECONDS = 1;

  private static final String WEBSOCKET = "websocket";
  private static final String LIMITS = "limits";

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private long bodyLimit = DEFAULT_BODY_LIMIT;
  private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  private Set<String> apiTokens = new LinkedHashSet<>();
  private WebSocketOptions webSocket = new WebSocketOptions();
  private InputLimits limits = new InputLimits();

  public GatewayOptions() {
  }

  /** From the {@code http} section of the node config, plus its {@code apiTokens}. */
  public GatewayOptions(JsonObject json) {
    setHost(json.getString("host", host));
    setPort(json.getInteger("port", port));
    setBodyLimit(json.getLong("bodyLimit", bodyLimit));
    setRequestTimeoutMs(json.getLong("requestTimeoutMs", requestTimeoutMs));
    JsonArray tokens = json.getJsonArray("apiTokens", new JsonArray());
    tokens.forEach(t -> apiTokens.add(String.valueOf(t)));
    setWebSocket(new WebSocketOptions(json.getJsonObject(WEBSOCKET, new JsonObject())));
    setLimits(new InputLimits(json.getJsonObject(LIMITS, new JsonObject())));
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("bodyLimit", bodyLimit)
      .put("requestTimeoutMs", requestTimeoutMs).put("apiTokens", new JsonArray().add(apiTokens.size() + " configured"))
      .put(WEBSOCKET, webSocket.toJson()).put(LIMITS, limits.toJson());
  }

  public String getHost() {
    return host;
  }

  public GatewayOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("http.host must not be empty");
    }
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** 0 picks a free port (tests). */
  public GatewayOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("http.port must be 0..65535");
    }
    this.port = port;
    return this;
  }

  public long getBodyLimit() {
    return bodyLimit;
  }

  public GatewayOptions setBodyLimit(long bodyLimit) {
    if (bodyLimit <= 0) {
      throw new IllegalArgumentException("http.bodyLimit must be > 0");
    }
    this.bodyLimit = bodyLimit;
    return this;
  }

  public long getRequestTimeoutMs() {
    return requestTimeoutMs;
  }

  public GatewayOptions setRequestTimeoutMs(long requestTimeoutMs) {
    if (requestTimeoutMs <= 0) {
      throw new IllegalArgumentException("http.requestTimeoutMs must be > 0");
    }
    this.requestTimeoutMs = requestTimeoutMs;
    return this;
  }

  public Set<String> getApiTokens() {
    return apiTokens;
  }

  public GatewayOptions setApiTokens(Set<String> apiTokens) {
    this.apiTokens = new LinkedHashSet<>(apiTokens);
    return this;
  }

  /** The {@code websocket} section: the endpoint of SPEC section 6. */
  public WebSocketOptions getWebSocket() {
    return webSocket;
  }

  public GatewayOptions setWebSocket(WebSocketOptions webSocket) {
    if (webSocket == null) {
      throw new IllegalArgumentException("http.websocket must not be null");
    }
    this.webSocket = webSocket;
    return this;
  }

  /** The {@code limits} section: JSON bounds and the caps on connections and waiters. */
  public InputLimits getLimits() {
    return limits;
  }

  public GatewayOptions setLimits(InputLimits limits) {
    if (limits == null) {
      throw new IllegalArgumentException("http.limits must not be null");
    }
    this.limits = limits;
    return this;
  }
}
