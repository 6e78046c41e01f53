package io.mastermind.node;

import io.vertx.core.json.JsonObject;

/**
 * The {@code management} section: a small HTTP listener serving {@code /metrics} and {@code /health*}
 * on any node, above all on one without the gateway role (SPEC section 10). Off unless a port is set.
 */
public final class ManagementOptions {

  /** Loopback unless said otherwise, as the gateway's HTTP host. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  private String host = DEFAULT_HOST;
  /** Null: no listener. */
  private Integer port;

  public ManagementOptions() {
  }

  /** From {@code {"host": ..., "port": ...}}; a missing or null port leaves the listener off. */
  public ManagementOptions(JsonObject json) {
    Object rawPort = json.getValue("port");
    if (rawPort != null && !(rawPort instanceof Number)) {
      throw new IllegalArgumentException("management.port must be a number");
    }
    setHost(json.getString("host", DEFAULT_HOST));
    setPort(rawPort == null ? null : ((Number) rawPort).intValue());
  }

  public String getHost() {
    return host;
  }

  public ManagementOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("management.host must not be empty");
    }
    this.host = host;
    return this;
  }

  /** The port, or null when the listener is off; 0 picks a free one. */
  public Integer getPort() {
    return port;
  }

  public ManagementOptions setPort(Integer port) {
    if (port != null && (port < 0 || port > 65_535)) {
      throw new IllegalArgumentException("management.port must be 0-65535");
    }
    this.port = port;
    return this;
  }

  public boolean isEnabled() {
    return port != null;
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port);
  }
}
