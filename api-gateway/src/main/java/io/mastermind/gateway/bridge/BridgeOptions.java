package io.mastermind.gateway.bridge;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;

/**
 * Settings of the SockJS event-bus bridge at {@code /eventbus/*} (SPEC section 7): the {@code bridge}
 * section of the node config. Every limit a browser client meets is here; what may cross is not a
 * setting but the fixed whitelist of {@link EventBusBridge}.
 */
public final class BridgeOptions {

  /** The bridge is served unless switched off. */
  public static final boolean DEFAULT_ENABLED = true;
  /** Longest address a client may name in a frame (ours are about 25 characters). */
  public static final int DEFAULT_MAX_ADDRESS_LENGTH = 200;
  /**
   * Registrations plus requests awaiting a reply that one socket may hold at once. The only
   * outbound address is one registration; the rest is room for submissions in flight.
   */
  public static final int DEFAULT_MAX_HANDLERS_PER_SOCKET = 100;
  /** A socket that sends no {@code ping} for this long is closed (the official client pings every 5 s). */
  public static final long DEFAULT_PING_TIMEOUT_MS = 10_000;
  /**
   * How long the bridge waits for the reply to a client's request; longer than the gateway's own
   * wait for the coordinator ({@code http.requestTimeoutMs}, 10 s), so the client gets our error first.
   */
  public static final long DEFAULT_REPLY_TIMEOUT_MS = 30_000;
  /** SockJS: a polling session with no receiving connection is closed after this long. */
  public static final long DEFAULT_SESSION_TIMEOUT_MS = SockJSHandlerOptions.DEFAULT_SESSION_TIMEOUT;
  /** SockJS: heartbeat frames keep proxies from closing idle streaming connections. */
  public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = SockJSHandlerOptions.DEFAULT_HEARTBEAT_INTERVAL;

  private boolean enabled = DEFAULT_ENABLED;
  private int maxAddressLength = DEFAULT_MAX_ADDRESS_LENGTH;
  private int maxHandlersPerSocket = DEFAULT_MAX_HANDLERS_PER_SOCKET;
  private long pingTimeoutMs = DEFAULT_PING_TIMEOUT_MS;
  private long replyTimeoutMs = DEFAULT_REPLY_TIMEOUT_MS;
  private long sessionTimeoutMs = DEFAULT_SESSION_TIMEOUT_MS;
  private long heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;

  public BridgeOptions() {
  }

  /** From the {@code bridge} section of the node config; absent keys keep their defaults. */
  public BridgeOptions(JsonObject json) {
    setEnabled(json.getBoolean("enabled", enabled));
    setMaxAddressLength(json.getInteger("maxAddressLength", maxAddressLength));
    setMaxHandlersPerSocket(json.getInteger("maxHandlersPerSocket", maxHandlersPerSocket));
    setPingTimeoutMs(json.getLong("pingTimeoutMs", pingTimeoutMs));
    setReplyTimeoutMs(json.getLong("replyTimeoutMs", replyTimeoutMs));
    setSessionTimeoutMs(json.getLong("sessionTimeoutMs", sessionTimeoutMs));
    setHeartbeatIntervalMs(json.getLong("heartbeatIntervalMs", heartbeatIntervalMs));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("enabled", enabled)
      .put("maxAddressLength", maxAddressLength)
      .put("maxHandlersPerSocket", maxHandlersPerSocket)
      .put("pingTimeoutMs", pingTimeoutMs)
      .put("replyTimeoutMs", replyTimeoutMs)
      .put("sessionTimeoutMs", sessionTimeoutMs)
      .put("heartbeatIntervalMs", heartbeatIntervalMs);
  }

  /** The limits in Vert.x's terms; the caller adds the whitelist. */
  SockJSBridgeOptions toSockJSBridgeOptions() {
    return new SockJSBridgeOptions()
      .setMaxAddressLength(maxAddressLength)
      .setMaxHandlersPerSocket(maxHandlersPerSocket)
      .setPingTimeout(pingTimeoutMs)
      .setReplyTimeout(replyTimeoutMs);
  }

  SockJSHandlerOptions toSockJSHandlerOptions() {
    return new SockJSHandlerOptions()
      .setSessionTimeout(sessionTimeoutMs)
      .setHeartbeatInterval(heartbeatIntervalMs);
  }

  public boolean isEnabled() {
    return enabled;
  }

  public BridgeOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public int getMaxAddressLength() {
    return maxAddressLength;
  }

  public BridgeOptions setMaxAddressLength(int maxAddressLength) {
    if (maxAddressLength <= 0) {
      throw new IllegalArgumentException("bridge.maxAddressLength must be > 0");
    }
    this.maxAddressLength = maxAddressLength;
    return this;
  }

  public int getMaxHandlersPerSocket() {
    return maxHandlersPerSocket;
  }

  public BridgeOptions setMaxHandlersPerSocket(int maxHandlersPerSocket) {
    if (maxHandlersPerSocket <= 0) {
      throw new IllegalArgumentException("bridge.maxHandlersPerSocket must be > 0");
    }
    this.maxHandlersPerSocket = maxHandlersPerSocket;
    return this;
  }

  public long getPingTimeoutMs() {
    return pingTimeoutMs;
  }

  public BridgeOptions setPingTimeoutMs(long pingTimeoutMs) {
    if (pingTimeoutMs <= 0) {
      throw new IllegalArgumentException("bridge.pingTimeoutMs must be > 0");
    }
    this.pingTimeoutMs = pingTimeoutMs;
    return this;
  }

  public long getReplyTimeoutMs() {
    return replyTimeoutMs;
  }

  public BridgeOptions setReplyTimeoutMs(long replyTimeoutMs) {
    if (replyTimeoutMs <= 0) {
      throw new IllegalArgumentException("bridge.replyTimeoutMs must be > 0");
    }
    this.replyTimeoutMs = replyTimeoutMs;
    return this;
  }

  public long getSessionTimeoutMs() {
    return sessionTimeoutMs;
  }

  public BridgeOptions setSessionTimeoutMs(long sessionTimeoutMs) {
    if (sessionTimeoutMs <= 0) {
      throw new IllegalArgumentException("bridge.sessionTimeoutMs must be > 0");
    }
    this.sessionTimeoutMs = sessionTimeoutMs;
    return this;
  }

  public long getHeartbeatIntervalMs() {
    return heartbeatIntervalMs;
  }

  public BridgeOptions setHeartbeatIntervalMs(long heartbeatIntervalMs) {
    if (heartbeatIntervalMs <= 0) {
      throw new IllegalArgumentException("bridge.heartbeatIntervalMs must be > 0");
    }
    this.heartbeatIntervalMs = heartbeatIntervalMs;
    return this;
  }
}
