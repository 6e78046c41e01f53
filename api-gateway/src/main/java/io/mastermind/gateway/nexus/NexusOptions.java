package io.mastermind.gateway.nexus;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Settings of the Central Nexus bridge (SPEC section 8): the {@code nexus} section of the node config,
 * {@code url} also from {@code MASTERMIND_NEXUS_URL}. Without a {@code url} nothing is registered, and
 * the task endpoints still answer.
 */
public final class NexusOptions {

  /** First retry of a refused registration after 1 s, then 2 s, 4 s, ... */
  public static final long DEFAULT_REGISTER_BASE_BACKOFF_MS = 1_000;
  /** ... up to one attempt a minute, for as long as the node runs. */
  public static final long DEFAULT_REGISTER_MAX_BACKOFF_MS = 60_000;
  /** One registration call (connect to answer) is given up after this long, and retried. */
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
  /** The longest a NexusTask is waited for before it is answered with status {@code error}. */
  public static final long DEFAULT_TASK_WAIT_MS = 60_000;

  private String url;
  private String publicUrl;
  private long registerBaseBackoffMs = DEFAULT_REGISTER_BASE_BACKOFF_MS;
  private long registerMaxBackoffMs = DEFAULT_REGISTER_MAX_BACKOFF_MS;
  private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  private long taskWaitMs = DEFAULT_TASK_WAIT_MS;

  public NexusOptions() {
  }

  /** From the {@code nexus} section of the node config; absent keys keep their defaults. */
  public NexusOptions(JsonObject json) {
    setUrl(json.getString("url"));
    setPublicUrl(json.getString("publicUrl"));
    setRegisterBaseBackoffMs(json.getLong("registerBaseBackoffMs", registerBaseBackoffMs));
    setRegisterMaxBackoffMs(json.getLong("registerMaxBackoffMs", registerMaxBackoffMs));
    setRequestTimeoutMs(json.getLong("requestTimeoutMs", requestTimeoutMs));
    setTaskWaitMs(json.getLong("taskWaitMs", taskWaitMs));
    validate();
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("url", url)
      .put("publicUrl", publicUrl)
      .put("registerBaseBackoffMs", registerBaseBackoffMs)
      .put("registerMaxBackoffMs", registerMaxBackoffMs)
      .put("requestTimeoutMs", requestTimeoutMs)
      .put("taskWaitMs", taskWaitMs);
  }

  /** The Nexus base URL ({@code POST {url}/systems} registers), or null: do not register. */
  public String getUrl() {
    return url;
  }

  public NexusOptions setUrl(String url) {
    this.url = httpUrl(url, "nexus.url");
    return this;
  }

  /**
   * This gateway's base URL as the Nexus reaches it, or null for {@code http://{http.host}:{port}}.
   * Set it when the gateway binds 0.0.0.0 or sits behind a proxy.
   */
  public String getPublicUrl() {
    return publicUrl;
  }

  public NexusOptions setPublicUrl(String publicUrl) {
    this.publicUrl = httpUrl(publicUrl, "nexus.publicUrl");
    return this;
  }

  public long getRegisterBaseBackoffMs() {
    return registerBaseBackoffMs;
  }

  public NexusOptions setRegisterBaseBackoffMs(long registerBaseBackoffMs) {
    if (registerBaseBackoffMs <= 0) {
      throw new IllegalArgumentException("nexus.registerBaseBackoffMs must be > 0");
    }
    this.registerBaseBackoffMs = registerBaseBackoffMs;
    return this;
  }

  public long getRegisterMaxBackoffMs() {
    return registerMaxBackoffMs;
  }

  /** Checked against the base when the registrar starts, so the two may be set in any order. */
  public NexusOptions setRegisterMaxBackoffMs(long registerMaxBackoffMs) {
    if (registerMaxBackoffMs <= 0) {
      throw new IllegalArgumentException("nexus.registerMaxBackoffMs must be > 0");
    }
    this.registerMaxBackoffMs = registerMaxBackoffMs;
    return this;
  }

  public long getRequestTimeoutMs() {
    return requestTimeoutMs;
  }

  public NexusOptions setRequestTimeoutMs(long requestTimeoutMs) {
    if (requestTimeoutMs <= 0) {
      throw new IllegalArgumentException("nexus.requestTimeoutMs must be > 0");
    }
    this.requestTimeoutMs = requestTimeoutMs;
    return this;
  }

  public long getTaskWaitMs() {
    return taskWaitMs;
  }

  public NexusOptions setTaskWaitMs(long taskWaitMs) {
    if (taskWaitMs <= 0) {
      throw new IllegalArgumentException("nexus.taskWaitMs must be > 0");
    }
    this.taskWaitMs = taskWaitMs;
    return this;
  }

  /** Both backoffs together: the max must not be below the base. */
  public NexusOptions validate() {
    if (registerMaxBackoffMs < registerBaseBackoffMs) {
      throw new IllegalArgumentException("nexus.registerMaxBackoffMs must be >= nexus.registerBaseBackoffMs");
    }
    return this;
  }

  /** Null for null or blank; else an absolute http(s) URL without a trailing slash. */
  private static String httpUrl(String value, String name) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.trim();
    try {
      URI uri = new URI(trimmed);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new IllegalArgumentException(name + " must be an http:// or https:// URL (got " + value + ")");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(name + " is not a URL: " + e.getMessage(), e);
    }
    return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }
}
