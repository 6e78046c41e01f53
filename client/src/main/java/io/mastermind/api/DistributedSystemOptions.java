package io.mastermind.api;

import io.mastermind.protocol.WebSocketFrames;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a {@link DistributedSystem} client behaves, in both modes. Every setter validates.
 *
 * <ul>
 *   <li>{@code requestTimeoutMs}: one command (event-bus request or HTTP call) fails with
 *       {@code UNAVAILABLE} when not answered in time;</li>
 *   <li>{@code pollWaitMs}: {@code executeTask} waits for the end in long-polls of at most this long
 *       ({@code POST /api/v1/tasks?wait=} remotely, the coordinator's await embedded);</li>
 *   <li>{@code executeTimeoutMs}: {@code executeTask} gives up with {@code TIMEOUT} when the task has not
 *       ended after this long (the task keeps running; its id is in the message);</li>
 *   <li>{@code reconnectBaseMs} / {@code reconnectMaxMs}: remote event streams reconnect after a lost
 *       WebSocket with exponential backoff between these bounds, until cancelled;</li>
 *   <li>{@code webSocketPath}: remote: where the gateway serves its WebSocket (its {@code http.websocket.path});</li>
 *   <li>{@code maxConnections}: remote: HTTP connections to the gateway at once. Each {@code executeTask}
 *       (and each {@link TaskHandle#result()} being waited for) holds one for its long-poll, so this bounds
 *       how many of those are in flight; the rest wait for a connection. Opened as needed. With 256 tasks
 *       in flight, 128 and 512 measured the same (docs/BENCHMARKS.md, row 3j);</li>
 *   <li>{@code caFile}: remote, with an {@code https} URL: a PEM file of the certificates to trust (the CA
 *       that signed the gateway's certificate, or that certificate itself); null trusts the JVM's CAs.
 *       Host names are verified either way.</li>
 * </ul>
 */
public final class DistributedSystemOptions {

  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
  public static final long DEFAULT_POLL_WAIT_MS = 30_000;
  public static final long DEFAULT_EXECUTE_TIMEOUT_MS = 3_600_000;
  public static final long DEFAULT_RECONNECT_BASE_MS = 200;
  public static final long DEFAULT_RECONNECT_MAX_MS = 5_000;
  public static final String DEFAULT_WEBSOCKET_PATH = WebSocketFrames.DEFAULT_PATH;
  public static final int DEFAULT_MAX_CONNECTIONS = 128;
  /** The gateway refuses longer waits. */
  public static final long MAX_POLL_WAIT_MS = 300_000;

  private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  private long pollWaitMs = DEFAULT_POLL_WAIT_MS;
  private long executeTimeoutMs = DEFAULT_EXECUTE_TIMEOUT_MS;
  private long reconnectBaseMs = DEFAULT_RECONNECT_BASE_MS;
  private long reconnectMaxMs = DEFAULT_RECONNECT_MAX_MS;
  private String webSocketPath = DEFAULT_WEBSOCKET_PATH;
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private String caFile;

  public DistributedSystemOptions() {
  }

  public DistributedSystemOptions(JsonObject json) {
    setRequestTimeoutMs(json.getLong("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS));
    setPollWaitMs(json.getLong("pollWaitMs", DEFAULT_POLL_WAIT_MS));
    setExecuteTimeoutMs(json.getLong("executeTimeoutMs", DEFAULT_EXECUTE_TIMEOUT_MS));
    setReconnectBaseMs(json.getLong("reconnectBaseMs", DEFAULT_RECONNECT_BASE_MS));
    setReconnectMaxMs(json.getLong("reconnectMaxMs", DEFAULT_RECONNECT_MAX_MS));
    setWebSocketPath(json.getString("webSocketPath", DEFAULT_WEBSOCKET_PATH));
    setMaxConnections(json.getInteger("maxConnections", DEFAULT_MAX_CONNECTIONS));
    setCaFile(json.getString("caFile"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("requestTimeoutMs", requestTimeoutMs).put("pollWaitMs", pollWaitMs)
      .put("executeTimeoutMs", executeTimeoutMs).put("reconnectBaseMs", reconnectBaseMs)
      .put("reconnectMaxMs", reconnectMaxMs).put("webSocketPath", webSocketPath).put("maxConnections", maxConnections)
      .put("caFile", caFile);
  }

  public long getRequestTimeoutMs() {
    return requestTimeoutMs;
  }

  public DistributedSystemOptions setRequestTimeoutMs(long requestTimeoutMs) {
    this.requestTimeoutMs = positive(requestTimeoutMs, "requestTimeoutMs");
    return this;
  }

  public long getPollWaitMs() {
    return pollWaitMs;
  }

  public DistributedSystemOptions setPollWaitMs(long pollWaitMs) {
    if (pollWaitMs <= 0 || pollWaitMs > MAX_POLL_WAIT_MS) {
      throw new IllegalArgumentException("pollWaitMs must be > 0 and <= " + MAX_POLL_WAIT_MS);
    }
    this.pollWaitMs = pollWaitMs;
    return this;
  }

  public long getExecuteTimeoutMs() {
    return executeTimeoutMs;
  }

  public DistributedSystemOptions setExecuteTimeoutMs(long executeTimeoutMs) {
    this.executeTimeoutMs = positive(executeTimeoutMs, "executeTimeoutMs");
    return this;
  }

  public long getReconnectBaseMs() {
    return reconnectBaseMs;
  }

  public DistributedSystemOptions setReconnectBaseMs(long reconnectBaseMs) {
    this.reconnectBaseMs = positive(reconnectBaseMs, "reconnectBaseMs");
    return this;
  }

  public long getReconnectMaxMs() {
    return reconnectMaxMs;
  }

  public DistributedSystemOptions setReconnectMaxMs(long reconnectMaxMs) {
    this.reconnectMaxMs = positive(reconnectMaxMs, "reconnectMaxMs");
    return this;
  }

  public String getWebSocketPath() {
    return webSocketPath;
  }

  /** The gateway's {@code http.websocket.path}: an absolute path such as {@code /api/v1/ws}. */
  public DistributedSystemOptions setWebSocketPath(String webSocketPath) {
    if (webSocketPath == null || !webSocketPath.startsWith("/") || webSocketPath.contains("?") || webSocketPath.contains("#")) {
      throw new IllegalArgumentException("webSocketPath must be an absolute path such as /api/v1/ws (got " + webSocketPath + ")");
    }
    this.webSocketPath = webSocketPath;
    return this;
  }

  public int getMaxConnections() {
    return maxConnections;
  }

  public DistributedSystemOptions setMaxConnections(int maxConnections) {
    this.maxConnections = (int) positive(maxConnections, "maxConnections");
    return this;
  }

  public String getCaFile() {
    return caFile;
  }

  /** A PEM file of certificates to trust for an {@code https} gateway; null for the JVM's default CAs. */
  public DistributedSystemOptions setCaFile(String caFile) {
    if (caFile != null && !Files.isReadable(Path.of(caFile))) {
      throw new IllegalArgumentException("caFile: cannot read " + caFile);
    }
    this.caFile = caFile;
    return this;
  }

  private static long positive(long value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0");
    }
    return value;
  }
}
