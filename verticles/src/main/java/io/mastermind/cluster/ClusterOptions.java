package io.mastermind.cluster;

import io.mastermind.security.ClusterSecurity;
import io.mastermind.security.EnvelopeSigner;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a node joins the cluster: its cluster name, the address Hazelcast and the event bus bind to,
 * the members to contact, and how fast a silent member is dropped. Loopback and TCP/IP join by
 * default: nothing is sent to any other host unless the config says so.
 *
 * <p>Node authentication: {@code secret} (the cluster secret; every message between nodes is signed
 * with a key derived from it) or {@code nodeKey} (this node's own derived key only: it can then not
 * speak for any other node; see {@link EnvelopeSigner}), the clock skew a signed message may show
 * ({@code maxClockSkewMs}), how long a member has to prove the secret ({@code authTimeoutMs}), and
 * event-bus mutual TLS ({@code tls}, {@link ClusterTlsOptions}). A cluster bound to a non-loopback
 * address refuses to start without a secret or node key.
 */
public final class ClusterOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;
  /** Hazelcast heartbeat period; with the default max-no-heartbeat, a frozen member is dropped after 5 s. */
  public static final int DEFAULT_HEARTBEAT_SECONDS = 1;
  public static final int DEFAULT_MAX_NO_HEARTBEAT_SECONDS = 5;
  /** How long a new member has to prove the cluster secret to the leader before it is listed rejected. */
  public static final long DEFAULT_AUTH_TIMEOUT_MS = 10_000;

  private boolean enabled;
  private String name = "mastermind";
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private List<String> join = new ArrayList<>();
  private int heartbeatSeconds = DEFAULT_HEARTBEAT_SECONDS;
  private int maxNoHeartbeatSeconds = DEFAULT_MAX_NO_HEARTBEAT_SECONDS;
  /** The clustered event bus's port; 0 picks a free one (fine on one machine, fix it across a firewall). */
  private int eventBusPort;
  private String secret;
  private String nodeKey;
  private long maxClockSkewMs = ClusterSecurity.DEFAULT_MAX_CLOCK_SKEW_MS;
  private long authTimeoutMs = DEFAULT_AUTH_TIMEOUT_MS;
  private ClusterTlsOptions tls = new ClusterTlsOptions();
  private Discovery discovery = Discovery.TCP;
  private String kubernetesServiceDns;
  private String kubernetesServiceName;
  private String kubernetesNamespace;
  private Integer kubernetesServicePort;

  /**
   * How members find each other: {@code tcp} (the {@code join} seeds; the default), {@code multicast}
   * (off unless chosen) or {@code kubernetes} (Hazelcast's Kubernetes discovery, through a headless
   * service's DNS name, {@code kubernetes.serviceDns}, or the Kubernetes API, {@code kubernetes.serviceName}
   * and {@code kubernetes.namespace}).
   */
  public enum Discovery {
    TCP, MULTICAST, KUBERNETES;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Discovery parse(String name) {
      for (Discovery d : values()) {
        if (d.wireName().equals(name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT))) {
          return d;
        }
      }
      throw new IllegalArgumentException("cluster.discovery must be tcp, multicast or kubernetes, not '" + name + "'");
    }
  }

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
    setSecret(json.getString("secret"));
    setNodeKey(json.getString("nodeKey"));
    setMaxClockSkewMs(json.getLong("maxClockSkewMs", maxClockSkewMs));
    setAuthTimeoutMs(json.getLong("authTimeoutMs", authTimeoutMs));
    tls = new ClusterTlsOptions(json.getJsonObject("tls", new JsonObject()));
    setDiscovery(Discovery.parse(json.getString("discovery", Discovery.TCP.wireName())));
    JsonObject kubernetes = json.getJsonObject("kubernetes", new JsonObject());
    kubernetesServiceDns = blankToNull(kubernetes.getString("serviceDns"));
    kubernetesServiceName = blankToNull(kubernetes.getString("serviceName"));
    kubernetesNamespace = blankToNull(kubernetes.getString("namespace"));
    kubernetesServicePort = kubernetes.getInteger("servicePort");
    validateDiscovery();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The discovery settings go together: Kubernetes needs a service to look members up by, seeds are for tcp only. */
  public void validateDiscovery() {
    if (discovery != Discovery.TCP && !join.isEmpty()) {
      throw new IllegalArgumentException("cluster.join lists seeds for cluster.discovery tcp; remove it with "
        + discovery.wireName());
    }
    if (discovery == Discovery.KUBERNETES) {
      if ((kubernetesServiceDns == null) == (kubernetesServiceName == null)) {
        throw new IllegalArgumentException("cluster.discovery kubernetes needs cluster.kubernetes.serviceDns (a headless"
          + " service's DNS name) or cluster.kubernetes.serviceName (looked up through the Kubernetes API), one of them");
      }
      if (kubernetesNamespace != null && kubernetesServiceName == null) {
        throw new IllegalArgumentException("cluster.kubernetes.namespace goes with cluster.kubernetes.serviceName");
      }
    }
    if (kubernetesServicePort != null && (kubernetesServicePort <= 0 || kubernetesServicePort > 65535)) {
      throw new IllegalArgumentException("cluster.kubernetes.servicePort must be 1..65535");
    }
  }

  public Discovery getDiscovery() {
    return discovery;
  }

  public ClusterOptions setDiscovery(Discovery discovery) {
    this.discovery = java.util.Objects.requireNonNull(discovery, "discovery");
    return this;
  }

  /** The headless service's DNS name, e.g. {@code mastermind-hz.default.svc.cluster.local}; null: none. */
  public String getKubernetesServiceDns() {
    return kubernetesServiceDns;
  }

  public ClusterOptions setKubernetesServiceDns(String serviceDns) {
    this.kubernetesServiceDns = blankToNull(serviceDns);
    return this;
  }

  public String getKubernetesServiceName() {
    return kubernetesServiceName;
  }

  public ClusterOptions setKubernetesServiceName(String serviceName) {
    this.kubernetesServiceName = blankToNull(serviceName);
    return this;
  }

  /** The namespace of {@link #getKubernetesServiceName()}; null: the pod's own. */
  public String getKubernetesNamespace() {
    return kubernetesNamespace;
  }

  public ClusterOptions setKubernetesNamespace(String namespace) {
    this.kubernetesNamespace = blankToNull(namespace);
    return this;
  }

  /** The Hazelcast port behind the service; null: Hazelcast's default (5701). */
  public Integer getKubernetesServicePort() {
    return kubernetesServicePort;
  }

  public ClusterOptions setKubernetesServicePort(Integer servicePort) {
    this.kubernetesServicePort = servicePort;
    return this;
  }

  public String getSecret() {
    return secret;
  }

  /** The cluster secret (at least {@value EnvelopeSigner#MIN_SECRET_BYTES} bytes); null or blank: none. */
  public ClusterOptions setSecret(String secret) {
    this.secret = secret == null || secret.isBlank() ? null : secret;
    if (this.secret != null) {
      EnvelopeSigner.master(this.secret); // throws for a short one
    }
    return this;
  }

  public String getNodeKey() {
    return nodeKey;
  }

  /** This node's own key, hex ({@code mastermind node-key}); null or blank: none. */
  public ClusterOptions setNodeKey(String nodeKey) {
    this.nodeKey = nodeKey == null || nodeKey.isBlank() ? null : nodeKey.trim();
    return this;
  }

  public long getMaxClockSkewMs() {
    return maxClockSkewMs;
  }

  public ClusterOptions setMaxClockSkewMs(long maxClockSkewMs) {
    if (maxClockSkewMs <= 0) {
      throw new IllegalArgumentException("cluster.maxClockSkewMs must be > 0");
    }
    this.maxClockSkewMs = maxClockSkewMs;
    return this;
  }

  public long getAuthTimeoutMs() {
    return authTimeoutMs;
  }

  public ClusterOptions setAuthTimeoutMs(long authTimeoutMs) {
    if (authTimeoutMs <= 0) {
      throw new IllegalArgumentException("cluster.authTimeoutMs must be > 0");
    }
    this.authTimeoutMs = authTimeoutMs;
    return this;
  }

  public ClusterTlsOptions getTls() {
    return tls;
  }

  public ClusterOptions setTls(ClusterTlsOptions tls) {
    this.tls = tls;
    return this;
  }

  /** True when {@code host} is a loopback address (only processes on this machine can reach it). */
  public boolean bindsLoopback() {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Checks what node authentication needs; IllegalArgumentException naming the setting otherwise. A
   * cluster bound beyond loopback needs a secret (or node key): without one, any process that reaches
   * the cluster port would be a trusted member.
   */
  public void validateSecurity(String nodeId) {
    if (secret != null && nodeKey != null) {
      throw new IllegalArgumentException("set cluster.secret or cluster.nodeKey, not both");
    }
    if (nodeKey != null) {
      EnvelopeSigner.node(nodeId, nodeKey);
    }
    tls.validate();
    if (enabled && secret == null && nodeKey == null && !bindsLoopback()) {
      throw new IllegalArgumentException("cluster.secret (or MASTERMIND_CLUSTER_SECRET) is required when the cluster binds "
        + host + ", a non-loopback address: without it any process that reaches the cluster port is a trusted member."
        + " Give every node the same secret (at least " + EnvelopeSigner.MIN_SECRET_BYTES + " bytes)");
    }
  }

  /** Whether {@link #security} signs: a secret or a node key is set. */
  public boolean isSigning() {
    return secret != null || nodeKey != null;
  }

  /** Node authentication as configured: signing with the secret or node key, else off. */
  public ClusterSecurity security(String nodeId) {
    if (secret != null) {
      return ClusterSecurity.signing(EnvelopeSigner.master(secret), nodeId, maxClockSkewMs);
    }
    if (nodeKey != null) {
      return ClusterSecurity.signing(EnvelopeSigner.node(nodeId, nodeKey), nodeId, maxClockSkewMs);
    }
    return ClusterSecurity.off();
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
      .put("maxNoHeartbeatSeconds", maxNoHeartbeatSeconds).put("eventBusPort", eventBusPort)
      .put("secret", secret == null ? null : "***").put("nodeKey", nodeKey == null ? null : "***")
      .put("maxClockSkewMs", maxClockSkewMs).put("authTimeoutMs", authTimeoutMs).put("tls", tls.toJson())
      .put("discovery", discovery.wireName())
      .put("kubernetes", new JsonObject().put("serviceDns", kubernetesServiceDns).put("serviceName", kubernetesServiceName)
        .put("namespace", kubernetesNamespace).put("servicePort", kubernetesServicePort));
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
