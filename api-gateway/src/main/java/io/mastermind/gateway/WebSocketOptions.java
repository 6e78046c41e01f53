package io.mastermind.gateway;

import io.mastermind.protocol.WebSocketFrames;
import io.vertx.core.json.JsonObject;

/**
 * Settings of the WebSocket endpoint (SPEC section 6): where it listens and every per-socket limit.
 * Read from the {@code http.websocket} section of the node config.
 */
public final class WebSocketOptions {

  /** SPEC section 6. */
  public static final String DEFAULT_PATH = WebSocketFrames.DEFAULT_PATH;
  /** Frames held for a socket that reads slower than events arrive; past this, the oldest event frames are dropped. */
  public static final int DEFAULT_MAX_QUEUED_FRAMES = 1000;
  /**
   * The largest message a client may send, in bytes (1 MiB). A single frame above it closes the socket
   * with 1009 (message too big); a message in smaller fragments that adds up to more is skipped and
   * answered with a {@code PAYLOAD_TOO_LARGE} error frame.
   */
  public static final int DEFAULT_MAX_FRAME_SIZE = 1024 * 1024;
  /** Event patterns one socket may hold at once. */
  public static final int DEFAULT_MAX_SUBSCRIPTIONS = 64;
  /** Submitted tasks one socket may follow (events until the result) at once. */
  public static final int DEFAULT_MAX_TRACKED_TASKS = 1000;
  /**
   * Bytes (UTF-8) of frames held for one slow socket, 4 MiB: with {@link #DEFAULT_MAX_QUEUED_FRAMES} the
   * bound of its outbox, whichever is reached first (a single frame larger than this still goes out).
   */
  public static final long DEFAULT_MAX_QUEUED_BYTES = 4L * 1024 * 1024;
  /** WebSocket connections open at once on this gateway; the next upgrade is answered 429. */
  public static final int DEFAULT_MAX_SESSIONS = 1024;
  /** The longest {@code ref} a client frame may carry, in characters (it is echoed on every answer). */
  public static final int DEFAULT_MAX_REF_LENGTH = 128;

  private static final String PATH = "path";
  private static final String MAX_QUEUED_FRAMES = "maxQueuedFrames";
  private static final String MAX_FRAME_SIZE = "maxFrameSize";
  private static final String MAX_SUBSCRIPTIONS = "maxSubscriptions";
  private static final String MAX_TRACKED_TASKS = "maxTrackedTasks";
  private static final String MAX_QUEUED_BYTES = "maxQueuedBytes";
  private static final String MAX_SESSIONS = "maxSessions";
  private static final String MAX_REF_LENGTH = "maxRefLength";

  private String path = DEFAULT_PATH;
  private int maxQueuedFrames = DEFAULT_MAX_QUEUED_FRAMES;
  private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  private int maxSubscriptions = DEFAULT_MAX_SUBSCRIPTIONS;
  private int maxTrackedTasks = DEFAULT_MAX_TRACKED_TASKS;
  private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
  private int maxSessions = DEFAULT_MAX_SESSIONS;
  private int maxRefLength = DEFAULT_MAX_REF_LENGTH;

  public WebSocketOptions() {
  }

  /** From the {@code http.websocket} section; absent keys keep their defaults. */
  public WebSocketOptions(JsonObject json) {
    setPath(json.getString(PATH, path));
    setMaxQueuedFrames(json.getInteger(MAX_QUEUED_FRAMES, maxQueuedFrames));
    setMaxFrameSize(json.getInteger(MAX_FRAME_SIZE, maxFrameSize));
    setMaxSubscriptions(json.getInteger(MAX_SUBSCRIPTIONS, maxSubscriptions));
    setMaxTrackedTasks(json.getInteger(MAX_TRACKED_TASKS, maxTrackedTasks));
    setMaxQueuedBytes(json.getLong(MAX_QUEUED_BYTES, maxQueuedBytes));
    setMaxSessions(json.getInteger(MAX_SESSIONS, maxSessions));
    setMaxRefLength(json.getInteger(MAX_REF_LENGTH, maxRefLength));
  }

  public JsonObject toJson() {
    return new JsonObject().put(PATH, path).put(MAX_QUEUED_FRAMES, maxQueuedFrames).put(MAX_FRAME_SIZE, maxFrameSize)
      .put(MAX_SUBSCRIPTIONS, maxSubscriptions).put(MAX_TRACKED_TASKS, maxTrackedTasks).put(MAX_QUEUED_BYTES, maxQueuedBytes)
      .put(MAX_SESSIONS, maxSessions).put(MAX_REF_LENGTH, maxRefLength);
  }

  public String getPath() {
    return path;
  }

  /** A fixed path; outside {@code /api/} the endpoint still gets the API-token check. */
  public WebSocketOptions setPath(String path) {
    if (path == null || !path.startsWith("/") || path.contains("*") || path.contains(":")) {
      throw new IllegalArgumentException("http.websocket.path must be a fixed path starting with '/' (got " + path + ")");
    }
    this.path = path;
    return this;
  }

  public int getMaxQueuedFrames() {
    return maxQueuedFrames;
  }

  public WebSocketOptions setMaxQueuedFrames(int maxQueuedFrames) {
    this.maxQueuedFrames = positive(MAX_QUEUED_FRAMES, maxQueuedFrames);
    return this;
  }

  public int getMaxFrameSize() {
    return maxFrameSize;
  }

  public WebSocketOptions setMaxFrameSize(int maxFrameSize) {
    if (maxFrameSize < 1024) {
      throw new IllegalArgumentException("http.websocket.maxFrameSize must be >= 1024 (got " + maxFrameSize + ")");
    }
    this.maxFrameSize = maxFrameSize;
    return this;
  }

  public int getMaxSubscriptions() {
    return maxSubscriptions;
  }

  public WebSocketOptions setMaxSubscriptions(int maxSubscriptions) {
    this.maxSubscriptions = positive(MAX_SUBSCRIPTIONS, maxSubscriptions);
    return this;
  }

  public int getMaxTrackedTasks() {
    return maxTrackedTasks;
  }

  public WebSocketOptions setMaxTrackedTasks(int maxTrackedTasks) {
    this.maxTrackedTasks = positive(MAX_TRACKED_TASKS, maxTrackedTasks);
    return this;
  }

  public long getMaxQueuedBytes() {
    return maxQueuedBytes;
  }

  public WebSocketOptions setMaxQueuedBytes(long maxQueuedBytes) {
    if (maxQueuedBytes < 1024) {
      throw new IllegalArgumentException("http.websocket." + MAX_QUEUED_BYTES + " must be >= 1024 (got " + maxQueuedBytes + ")");
    }
    this.maxQueuedBytes = maxQueuedBytes;
    return this;
  }

  public int getMaxSessions() {
    return maxSessions;
  }

  public WebSocketOptions setMaxSessions(int maxSessions) {
    this.maxSessions = positive(MAX_SESSIONS, maxSessions);
    return this;
  }

  public int getMaxRefLength() {
    return maxRefLength;
  }

  public WebSocketOptions setMaxRefLength(int maxRefLength) {
    this.maxRefLength = positive(MAX_REF_LENGTH, maxRefLength);
    return this;
  }

  private static int positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("http.websocket." + name + " must be > 0 (got " + value + ")");
    }
    return value;
  }
}
