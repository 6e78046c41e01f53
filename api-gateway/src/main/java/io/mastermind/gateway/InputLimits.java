package io.mastermind.gateway;

import io.vertx.core.json.JsonObject;

/**
 * What one client may make the gateway hold: the {@code http.limits} section of the node config. The
 * body size is {@code http.bodyLimit} and the per-socket WebSocket limits are in {@code http.websocket}
 * ({@link WebSocketOptions}); these are the rest. Past a cap the answer is 429 {@code LIMIT_EXCEEDED}
 * with {@code Retry-After}; past a bound on a body, 400 naming the field.
 */
public final class InputLimits {

  /** Objects and arrays nested deeper than this are refused (a task's data rarely goes past 5). */
  public static final int DEFAULT_MAX_JSON_DEPTH = 32;
  /** The longest string value in a JSON body or frame, in characters (1 Mi). */
  public static final int DEFAULT_MAX_STRING_LENGTH = 1024 * 1024;
  /** The longest object key, in characters: keys name things, they do not carry data. */
  public static final int MAX_KEY_LENGTH = 1024;
  /** HTTP connections (WebSockets included) open at once; the next ones are answered 429 and closed. */
  public static final int DEFAULT_MAX_CONNECTIONS = 4096;
  /** Requests holding a connection open for a task's end at once ({@code ?wait} and the Nexus route). */
  public static final int DEFAULT_MAX_WAITERS = 1024;

  private static final String MAX_JSON_DEPTH = "maxJsonDepth";
  private static final String MAX_STRING_LENGTH = "maxStringLength";
  private static final String MAX_CONNECTIONS = "maxConnections";
  private static final String MAX_WAITERS = "maxWaiters";

  private int maxJsonDepth = DEFAULT_MAX_JSON_DEPTH;
  private int maxStringLength = DEFAULT_MAX_STRING_LENGTH;
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private int maxWaiters = DEFAULT_MAX_WAITERS;

  public InputLimits() {
  }

  /** From the {@code http.limits} section; absent keys keep their defaults. */
  public InputLimits(JsonObject json) {
    setMaxJsonDepth(json.getInteger(MAX_JSON_DEPTH, maxJsonDepth));
    setMaxStringLength(json.getInteger(MAX_STRING_LENGTH, maxStringLength));
    setMaxConnections(json.getInteger(MAX_CONNECTIONS, maxConnections));
    setMaxWaiters(json.getInteger(MAX_WAITERS, maxWaiters));
  }

  public JsonObject toJson() {
    return new JsonObject().put(MAX_JSON_DEPTH, maxJsonDepth).put(MAX_STRING_LENGTH, maxStringLength)
      .put(MAX_CONNECTIONS, maxConnections).put(MAX_WAITERS, maxWaiters);
  }

  public int getMaxJsonDepth() {
    return maxJsonDepth;
  }

  public InputLimits setMaxJsonDepth(int maxJsonDepth) {
    if (maxJsonDepth < 4 || maxJsonDepth > 512) {
      throw new IllegalArgumentException("http.limits." + MAX_JSON_DEPTH + " must be 4..512 (got " + maxJsonDepth + ")");
    }
    this.maxJsonDepth = maxJsonDepth;
    return this;
  }

  public int getMaxStringLength() {
    return maxStringLength;
  }

  public InputLimits setMaxStringLength(int maxStringLength) {
    if (maxStringLength < 256) {
      throw new IllegalArgumentException("http.limits." + MAX_STRING_LENGTH + " must be >= 256 (got " + maxStringLength + ")");
    }
    this.maxStringLength = maxStringLength;
    return this;
  }

  public int getMaxConnections() {
    return maxConnections;
  }

  public InputLimits setMaxConnections(int maxConnections) {
    this.maxConnections = positive(MAX_CONNECTIONS, maxConnections);
    return this;
  }

  public int getMaxWaiters() {
    return maxWaiters;
  }

  public InputLimits setMaxWaiters(int maxWaiters) {
    this.maxWaiters = positive(MAX_WAITERS, maxWaiters);
    return this;
  }

  private static int positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("http.limits." + name + " must be > 0 (got " + value + ")");
    }
    return value;
  }
}
