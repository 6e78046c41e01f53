package io.mastermind.node;

import io.mastermind.cluster.ClusterOptions;
import io.mastermind.coordinator.CoordinatorOptions;
import io.mastermind.gateway.AuthFailureOptions;
import io.mastermind.gateway.GatewayOptions;
import io.mastermind.gateway.InputLimits;
import io.mastermind.gateway.RateLimitOptions;
import io.mastermind.gateway.TlsOptions;
import io.mastermind.gateway.WebSocketOptions;
import io.mastermind.gateway.bridge.BridgeOptions;
import io.mastermind.gateway.nexus.NexusOptions;
import io.mastermind.gateway.security.ApiToken;
import io.mastermind.protocol.NodeConfig;
import io.mastermind.security.ClusterSecurity;
import io.mastermind.worker.WorkerOptions;
import io.mastermind.worker.metrics.NodeMetrics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The whole configuration of one node, merged from built-in defaults, the config file and the command
 * line (in that order, later wins), then split into each component's options. Invalid values throw
 * IllegalArgumentException with a message naming the setting.
 */
public final class NodeSettings {

  public static final Set<String> ALL_ROLES = Set.of("coordinator", "gateway", "worker");
  public static final long DEFAULT_DRAIN_TIMEOUT_MS = 30_000;

  private final JsonObject json;

  private NodeSettings(JsonObject json) {
    this.json = json;
  }

  /** Built-in defaults: every role, HTTP on 127.0.0.1:8080, resources read from this machine. */
  public static JsonObject defaults() {
    return new JsonObject()
      .put("nodeId", null)
      .put("roles", new JsonArray(List.of("coordinator", "gateway", "worker")))
      .put("clusterName", CoordinatorOptions.DEFAULT_CLUSTER_NAME)
      .put("http", new JsonObject()
        .put("host", GatewayOptions.DEFAULT_HOST)
        .put("port", GatewayOptions.DEFAULT_PORT)
        .put("bodyLimit", GatewayOptions.DEFAULT_BODY_LIMIT)
        .put("requestTimeoutMs", GatewayOptions.DEFAULT_REQUEST_TIMEOUT_MS)
        .put("accessLog", false)
        .put("websocket", new WebSocketOptions().toJson())
        .put("limits", new InputLimits().toJson())
        .put("allowUnauthenticated", false)
        .put("allowedOrigins", null)
        .put("allowedHosts", null)
        .put("tls", new TlsOptions().toJson())
        .put("rateLimit", new RateLimitOptions().toJson())
        .put("authFailures", new AuthFailureOptions().toJson())
        .put("jwt", null))
      .put("management", new ManagementOptions().toJson())
      .put("logging", new JsonObject().put("format", "text"))
      .put("tracing", new TracingOptions().toJson())
      .put("metrics", new JsonObject().put("eventBus", false))
      .put("apiTokens", new JsonArray())
      .put("bridge", new BridgeOptions().toJson())
      .put("nexus", new NexusOptions().toJson())
      .put("worker", new JsonObject()
        .put("capabilities", new JsonArray(NodeConfig.DEFAULT_CAPABILITIES.stream().sorted().toList()))
        .put("cpu", null)
        .put("memory", null)
        .put("gpu", false)
        .put("pluginsDir", WorkerOptions.DEFAULT_PLUGINS_DIR)
        .put("progressIntervalMs", WorkerOptions.DEFAULT_PROGRESS_INTERVAL_MS)
        .put("runningReportDelayMs", WorkerOptions.DEFAULT_RUNNING_REPORT_DELAY_MS)
        .put("resultBatchDelayMs", WorkerOptions.DEFAULT_RESULT_BATCH_DELAY_MS)
        .put("outcomeResendMs", WorkerOptions.DEFAULT_OUTCOME_RESEND_MS)
        .put("maxResultBytes", WorkerOptions.DEFAULT_MAX_RESULT_BYTES)
        .put("prefetch", WorkerOptions.DEFAULT_PREFETCH))
      .put("scheduler", new CoordinatorOptions().toJson())
      .put("cluster", new JsonObject().put("enabled", false).put("host", "127.0.0.1").put("port", 5701)
        .put("join", new JsonArray()).put("secret", null).put("nodeKey", null)
        .put("maxClockSkewMs", ClusterSecurity.DEFAULT_MAX_CLOCK_SKEW_MS)
        .put("authTimeoutMs", ClusterOptions.DEFAULT_AUTH_TIMEOUT_MS)
        .put("tls", new JsonObject())
        .put("discovery", ClusterOptions.Discovery.TCP.wireName())
        .put("kubernetes", new JsonObject().put("serviceDns", null).put("serviceName", null).put("namespace", null)
          .put("servicePort", null)))
      .put("nodes", new JsonObject().put("min", 1).put("max", 10).put("autoScale", false))
      .put("healthCheck", new JsonObject().put("interval", 1000).put("timeout", 3000).put("retries", 3))
      .put("drainTimeoutMs", DEFAULT_DRAIN_TIMEOUT_MS);
  }

  /**
   * Defaults, then {@code file} (may be null; every key checked against {@link ConfigKeys}), then the
   * environment ({@code MASTERMIND_} + key path, e.g. {@code MASTERMIND_HTTP_PORT}), then the system
   * properties ({@code -Dmastermind.http.port=}), then {@code overrides}, each merged deeply;
   * {@code MASTERMIND_API_TOKENS} adds to the tokens: comma separated, each {@code token} (every scope)
   * or {@code token:scope+scope} (SPEC section 10).
   */
  public static NodeSettings of(JsonObject file, JsonObject overrides) {
    return of(file, overrides, System.getenv(), systemProperties());
  }

  /** As {@link #of(JsonObject, JsonObject)} with what {@link NodeConfigSources} read at start-up. */
  public static NodeSettings fromSources(NodeConfigSources sources, JsonObject overrides) {
    return of(sources.file(), sources.path() == null ? "config" : "config file " + sources.path(), overrides,
      sources.environment(), sources.properties());
  }

  static NodeSettings of(JsonObject file, JsonObject overrides, Map<String, String> env) {
    return of(file, overrides, env, Map.of());
  }

  static NodeSettings of(JsonObject file, JsonObject overrides, Map<String, String> env, Map<String, String> properties) {
    return of(file, "config file", overrides, env, properties);
  }

  private static NodeSettings of(JsonObject file, String fileName, JsonObject overrides, Map<String, String> env,
                                 Map<String, String> properties) {
    if (file != null) {
      ConfigKeys.check(file, fileName);
    }
    JsonObject merged = defaults().mergeIn(file == null ? new JsonObject() : file, true);
    merged.mergeIn(ConfigKeys.fromEnvironment(env), true);
    merged.mergeIn(ConfigKeys.fromProperties(properties), true);
    merged.mergeIn(overrides == null ? new JsonObject() : overrides, true);
    String tokens = env.get("MASTERMIND_API_TOKENS");
    if (tokens != null && !tokens.isBlank()) {
      JsonArray all = merged.getJsonArray("apiTokens", new JsonArray()).copy();
      String[] entries = tokens.split(",", -1);
      for (int i = 0; i < entries.length; i++) {
        ApiToken.EnvEntry token = ApiToken.parseEnvEntry(entries[i], "MASTERMIND_API_TOKENS entry " + (i + 1));
        JsonArray scopes = new JsonArray();
        token.scopes().stream().sorted().forEach(scope -> scopes.add(scope.wireName()));
        all.add(new JsonObject().put("token", token.secret()).put("scopes", scopes));
      }
      merged.put("apiTokens", all);
    }
    if (merged.getString("nodeId") == null) {
      merged.put("nodeId", "node-" + UUID.randomUUID().toString().substring(0, 8));
    }
    NodeSettings settings = new NodeSettings(merged);
    settings.validate();
    return settings;
  }

  static Map<String, String> systemProperties() {
    Map<String, String> properties = new java.util.HashMap<>();
    System.getProperties().forEach((k, v) -> properties.put(String.valueOf(k), String.valueOf(v)));
    return properties;
  }

  private void validate() {
    if (json.getJsonObject("nodes", new JsonObject()).getBoolean("autoScale", false)) {
      // the key is shown by GET /api/v1/cluster (SPEC section 5) but nothing scales: say so rather than pretend
      throw new IllegalArgumentException("nodes.autoScale: true is not supported (a node does not start or stop others);"
        + " set it to false or remove it");
    }
    if (roles().isEmpty()) {
      throw new IllegalArgumentException("roles must name at least one of " + ALL_ROLES);
    }
    for (String role : roles()) {
      if (!ALL_ROLES.contains(role)) {
        throw new IllegalArgumentException("roles: unknown role '" + role + "', choose from " + ALL_ROLES);
      }
    }
    if (!nodeId().matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("nodeId must be 1-64 letters, digits, '.', '_' or '-'");
    }
    GatewayOptions gateway = gatewayOptions();
    if (hasRole("gateway")) {
      gateway.checkExposure(); // no unauthenticated gateway beyond loopback, unless said on purpose
    }
    managementOptions();
    tracingOptions();
    bridgeOptions();
    nexusOptions();
    clusterOptions().setJoin(clusterOptions().getJoin());
    clusterOptions().validateSecurity(nodeId());
    coordinatorOptions();
    workerOptions();
    nodeConfig();
    if (drainTimeoutMs() < 0) {
      throw new IllegalArgumentException("drainTimeoutMs must be >= 0");
    }
    logFormat();
    eventBusMetrics();
  }

  public JsonObject toJson() {
    return json.copy();
  }

  /** The effective config with secrets and API tokens masked: what {@code --print-config} prints. */
  public JsonObject toMaskedJson() {
    return ConfigKeys.masked(json);
  }

  public String nodeId() {
    return json.getString("nodeId");
  }

  /** {@code logging.format}: {@code text} (default) or {@code json}, JSON lines from logback's JSON encoder. */
  public String logFormat() {
    Object raw = json.getJsonObject("logging", new JsonObject()).getValue("format", "text");
    String format = raw instanceof String s ? s.trim().toLowerCase(Locale.ROOT) : null;
    if (!"text".equals(format) && !"json".equals(format)) {
      throw new IllegalArgumentException("logging.format must be text or json, not " + raw);
    }
    return format;
  }

  /** {@code metrics.eventBus}: Vert.x's event-bus metrics (by address, bounded), off by default for their cost. */
  public boolean eventBusMetrics() {
    Object raw = json.getJsonObject("metrics", new JsonObject()).getValue("eventBus", false);
    if (!(raw instanceof Boolean on)) {
      throw new IllegalArgumentException("metrics.eventBus must be true or false, not " + raw);
    }
    return on;
  }

  public Set<String> roles() {
    Set<String> roles = new LinkedHashSet<>();
    json.getJsonArray("roles", new JsonArray()).forEach(r -> roles.add(String.valueOf(r).trim().toLowerCase(Locale.ROOT)));
    return roles;
  }

  public boolean hasRole(String role) {
    return roles().contains(role);
  }

  public long drainTimeoutMs() {
    return json.getLong("drainTimeoutMs");
  }

  public GatewayOptions gatewayOptions() {
    return new GatewayOptions(json.getJsonObject("http").copy().put("apiTokens", json.getJsonArray("apiTokens")))
      .setNodeId(nodeId());
  }

  /** The {@code management} section: the management port, off unless {@code management.port} is set. */
  public ManagementOptions managementOptions() {
    return new ManagementOptions(json.getJsonObject("management", new JsonObject()));
  }

  /** The {@code tracing} section: OpenTelemetry tracing of tasks, off unless {@code tracing.otlpEndpoint} is set. */
  public TracingOptions tracingOptions() {
    return new TracingOptions(json.getJsonObject("tracing", new JsonObject()));
  }

  /** The {@code bridge} section: the SockJS event-bus bridge's limits. */
  public BridgeOptions bridgeOptions() {
    return new BridgeOptions(json.getJsonObject("bridge"));
  }

  /** The {@code nexus} section: the Central Nexus URL, registration backoff, task wait. */
  public NexusOptions nexusOptions() {
    return new NexusOptions(json.getJsonObject("nexus"));
  }

  /** The {@code cluster} section, named after {@code clusterName}. */
  public ClusterOptions clusterOptions() {
    return new ClusterOptions(json.getJsonObject("cluster").copy().put("name", json.getString("clusterName")));
  }

  public boolean clustered() {
    return clusterOptions().isEnabled();
  }

  public CoordinatorOptions coordinatorOptions() {
    JsonObject events = json.getJsonObject("events", new JsonObject());
    return new CoordinatorOptions(json.getJsonObject("scheduler"))
      .setMaxEventResultBytes(events.getInteger("maxResultBytes", CoordinatorOptions.DEFAULT_MAX_EVENT_RESULT_BYTES))
      .setClusterName(json.getString("clusterName"))
      // the cluster name is what a Hazelcast member needs to join: shown over HTTP only to callers that
      // passed a token (an API token or a JWT), or when there is no cluster to join
      .setClusterNameShown(!clustered() || !json.getJsonArray("apiTokens", new JsonArray()).isEmpty()
        || json.getJsonObject("http").getValue("jwt") != null)
      .setMemberAuthTimeoutMs(clusterOptions().getAuthTimeoutMs())
      .setClusterConfig(new JsonObject().put("nodes", json.getJsonObject("nodes"))
        .put("healthCheck", json.getJsonObject("healthCheck")));
  }

  /** The {@code worker} section's worker settings; the heartbeat period is {@code healthCheck.interval}. */
  public WorkerOptions workerOptions() {
    JsonObject worker = json.getJsonObject("worker");
    try {
      return new WorkerOptions(new JsonObject()
        .put("pluginsDir", worker.getString("pluginsDir"))
        .put("progressIntervalMs", worker.getLong("progressIntervalMs"))
        .put("runningReportDelayMs", worker.getLong("runningReportDelayMs"))
        .put("resultBatchDelayMs", worker.getLong("resultBatchDelayMs"))
        .put("outcomeResendMs", worker.getLong("outcomeResendMs"))
        .put("maxResultBytes", worker.getLong("maxResultBytes"))
        .put("prefetch", worker.getInteger("prefetch")))
        .setHeartbeatIntervalMs(json.getJsonObject("healthCheck").getLong("interval"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().startsWith("heartbeatIntervalMs")
        ? "healthCheck.interval" + e.getMessage().substring("heartbeatIntervalMs".length())
        : "worker." + e.getMessage(), e);
    }
  }

  /** What this node's worker announces; resources not configured are read from the machine. */
  public NodeConfig nodeConfig() {
    JsonObject worker = json.getJsonObject("worker");
    Double cpu = worker.getDouble("cpu");
    Long memory = worker.getLong("memory");
    JsonObject resources = new JsonObject()
      .put("cpu", cpu == null ? NodeMetrics.availableProcessors() : cpu)
      .put("memory", memory == null ? NodeMetrics.totalMemoryMb() : memory)
      .put("gpu", worker.getBoolean("gpu", false));
    JsonObject http = json.getJsonObject("http");
    try {
      return NodeConfig.fromJson(new JsonObject()
        .put("id", nodeId())
        .put("host", http.getString("host"))
        .put("port", http.getInteger("port"))
        .put("capabilities", worker.getJsonArray("capabilities"))
        .put("resources", resources)
        .put("functions", new JsonObject(Map.of())));
    } catch (io.mastermind.protocol.ValidationException e) {
      throw new IllegalArgumentException("worker." + e.field() + ": " + e.getMessage(), e);
    }
  }
}
