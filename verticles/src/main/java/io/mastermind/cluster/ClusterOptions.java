package io.mastermind.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * How a node joins the cluster: its cluster name, the address Hazelcast and the event bus bind to,
 * the members to contact, and how fast a silent member is dropped. Loopback and TCP/IP join by
 * default: nothing is sent to any other host unless the config says so.
 */
public final class ClusterOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;
  /** Hazelcast heartbeat period; with the default max-no-heartbeat, a frozen member is dropped after 5 s. */
  public static final int DEFAULT_HEARTBEAT_SECONDS = 1;
  public static final int DEFAULT_MAX_NO_HEARTBEAT_SECONDS = 5;

  private boolean enabled;
  private String name = "mastermind";
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private List<String> join = new ArrayList<>();
  private int heartbeatSeconds = DEFAULT_HEARTBEAT_SECONDS;
  private int maxNoHeartbeatSeconds = DEFAULT_MAX_NO_HEARTBEAT_SECONDS;
  /** The clustered event bus's port; 0 picks a free one (fine on one machine, fix it across a firewall). */
  private int eventBusPort;

  public ClusterOptions() {
  }

  /** From the node config's {@code cluster} section. */
  public ClusterOptions(JsonObject json) {
    enabled = json.getBoolean("enabled", false);
    setName(json.getString("name", name));
    setHost(json.getString("host", host));
    setPort(json.getInteger("port", port));
    JsonArray members = json.getJsonArray("join", new JsonArray());
    members.forEach(m -> join.add(String.valueOf(m)));
    setHeartbeatSeconds(json.getInteger("heartbeatSeconds", heartbeatSeconds));
    setMaxNoHeartbeatSeconds(json.getInteger("maxNoHeartbeatSeconds", maxNoHeartbeatSeconds));
    setEventBusPort(json.getInteger("eventBusPort", eventBusPort));
  }

  public int getEventBusPort() {
    return eventBusPort;
  }

  public ClusterOptions setEventBusPort(int eventBusPort) {
    if (eventBusPort < 0 || eventBusPort > 65535) {
      throw new IllegalArgumentException("cluster.eventBusPort must be 0..65535");
    }
    this.eventBusPort = eventBusPort;
    return this;
  }

  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("name", name).put("host", host).put("port", port)
      .put("join", new JsonArray(List.copyOf(join))).put("heartbeatSeconds", heartbeatSeconds)
      .put("maxNoHeartbeatSeconds", maxNoHeartbeatSeconds).put("eventBusPort", eventBusPort);
  }

  public boolean isEnabled() {
    return enabled;
  }

  public ClusterOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getName() {
    return name;
  }

  public ClusterOptions setName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("cluster.name must not be empty");
    }
    this.name = name;
    return this;
  }

  public String getHost() {
    return host;
  }

  public ClusterOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("cluster.host must not be empty");
    }
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  public ClusterOptions setPort(int port) {
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("cluster.port must be 1..65535");
    }
    this.port = port;
    return this;
  }

  /** Members to contact, {@code host:port}; empty means "form a cluster of my own (and wait to be found)". */
  public List<String> getJoin() {
    return join;
  }

  public ClusterOptions setJoin(List<String> join) {
    for (String member : join) {
      int colon = member.lastIndexOf(':');
      if (colon <= 0 || !member.substring(colon + 1).matches("\\d{1,5}")) {
        throw new IllegalArgumentException("cluster.join: '" + member + "' must be HOST:PORT");
      }
    }
    this.join = new ArrayList<>(join);
    return this;
  }

  public int getHeartbeatSeconds() {
    return heartbeatSeconds;
  }

  public ClusterOptions setHeartbeatSeconds(int heartbeatSeconds) {
    if (heartbeatSeconds <= 0) {
      throw new IllegalArgumentException("cluster.heartbeatSeconds must be > 0");
    }
    this.heartbeatSeconds = heartbeatSeconds;
    return this;
  }

  public int getMaxNoHeartbeatSeconds() {
    return maxNoHeartbeatSeconds;
  }

  public ClusterOptions setMaxNoHeartbeatSeconds(int maxNoHeartbeatSeconds) {
    if (maxNoHeartbeatSeconds <= heartbeatSeconds) {
      throw new IllegalArgumentException("cluster.maxNoHeartbeatSeconds must be > heartbeatSeconds");
    }
    this.maxNoHeartbeatSeconds = maxNoHeartbeatSeconds;
    return this;
  }
}
