package io.mastermind.gateway;

import io.mastermind.gateway.security.ApiToken;
import io.mastermind.gateway.security.OriginPolicy;
import io.mastermind.gateway.security.Scope;
import io.mastermind.gateway.security.TokenBook;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Settings of the HTTP gateway: where it listens, how big a body may be, who may call it (API tokens and
 * their scopes, JWTs, Origin and Host allow-lists, TLS, rate limits; docs/security.md).
 *
 * <p>Safe by default: without API tokens or JWTs the gateway must listen on a loopback address, unless
 * {@code allowUnauthenticated} says on purpose that it is exposed without authentication (behind an
 * authenticating proxy, say); {@link #checkExposure()} refuses anything else at start.
 */
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
  private static final String API_TOKENS = "apiTokens";
  private static final String ACCESS_LOG = "accessLog";
  private static final String ALLOW_UNAUTHENTICATED = "allowUnauthenticated";
  private static final String ALLOWED_ORIGINS = "allowedOrigins";
  private static final String ALLOWED_HOSTS = "allowedHosts";
  private static final String TLS = "tls";
  private static final String RATE_LIMIT = "rateLimit";
  private static final String AUTH_FAILURES = "authFailures";
  private static final String JWT = "jwt";
  private static final Set<String> TOKEN_KEYS = Set.of("token", "scopes", "name");

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private long bodyLimit = DEFAULT_BODY_LIMIT;
  private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  /** One log line per request ({@link AccessLogHandler}); off by default. */
  private boolean accessLog;
  private List<ApiToken> apiTokens = List.of();
  private WebSocketOptions webSocket = new WebSocketOptions();
  private InputLimits limits = new InputLimits();
  private boolean allowUnauthenticated;
  private List<String> allowedOrigins;
  private List<String> allowedHosts;
  private TlsOptions tls = new TlsOptions();
  private RateLimitOptions rateLimit = new RateLimitOptions();
  private AuthFailureOptions authFailures = new AuthFailureOptions();
  private JwtOptions jwt;
  private String nodeId;

  public GatewayOptions() {
  }

  /**
   * From the {@code http} section of the node config, plus its {@code apiTokens}. A node with the gateway
   * role also calls {@link #checkExposure()} (a worker may share a config file that exposes the gateway).
   *
   * @throws IllegalArgumentException naming the setting
   */
  public GatewayOptions(JsonObject json) {
    setHost(json.getString("host", host));
    setPort(json.getInteger("port", port));
    setBodyLimit(json.getLong("bodyLimit", bodyLimit));
    setRequestTimeoutMs(json.getLong("requestTimeoutMs", requestTimeoutMs));
    Object accessLog = json.getValue(ACCESS_LOG, false);
    if (!(accessLog instanceof Boolean)) {
      throw new IllegalArgumentException("http." + ACCESS_LOG + " must be true or false, not " + accessLog);
    }
    setAccessLog((Boolean) accessLog);
    setApiTokens(parseTokens(json.getJsonArray(API_TOKENS, new JsonArray())));
    setWebSocket(new WebSocketOptions(json.getJsonObject(WEBSOCKET, new JsonObject())));
    setLimits(new InputLimits(json.getJsonObject(LIMITS, new JsonObject())));
    setAllowUnauthenticated(json.getBoolean(ALLOW_UNAUTHENTICATED, false));
    setAllowedOrigins(strings(json.getJsonArray(ALLOWED_ORIGINS), "http." + ALLOWED_ORIGINS));
    setAllowedHosts(strings(json.getJsonArray(ALLOWED_HOSTS), "http." + ALLOWED_HOSTS));
    setTls(new TlsOptions(json.getJsonObject(TLS, new JsonObject())));
    setRateLimit(new RateLimitOptions(json.getJsonObject(RATE_LIMIT, new JsonObject())));
    setAuthFailures(new AuthFailureOptions(json.getJsonObject(AUTH_FAILURES, new JsonObject())));
    setJwt(JwtOptions.fromConfig(json.getValue(JWT)));
  }

  /**
   * Tokens are shown as {@code {"name","scopes"}}, never with their secret (so this JSON does not make a
   * gateway with the same tokens: they are refused for lacking {@code token}).
   */
  public JsonObject toJson() {
    JsonArray tokens = new JsonArray();
    apiTokens.forEach(t -> tokens.add(new JsonObject().put("name", t.id())
      .put("scopes", new JsonArray(t.scopes().stream().sorted().map(Scope::wireName).toList()))));
    return new JsonObject().put("host", host).put("port", port).put("bodyLimit", bodyLimit)
      .put("requestTimeoutMs", requestTimeoutMs).put(ACCESS_LOG, accessLog).put(API_TOKENS, tokens)
      .put(WEBSOCKET, webSocket.toJson()).put(ALLOW_UNAUTHENTICATED, allowUnauthenticated)
      .put(ALLOWED_ORIGINS, allowedOrigins == null ? null : new JsonArray(allowedOrigins))
      .put(ALLOWED_HOSTS, allowedHosts == null ? null : new JsonArray(allowedHosts))
      .put(TLS, tls.toJson()).put(RATE_LIMIT, rateLimit.toJson()).put(AUTH_FAILURES, authFailures.toJson())
      .put(LIMITS, limits.toJson()).put(JWT, jwt == null ? null : jwt.toJson());
  }

  /**
   * Refuses a gateway that other machines can reach while nobody has to authenticate: no API tokens and
   * no JWTs, a host that is not loopback ({@code 0.0.0.0}, an interface address, a name), and no
   * {@code allowUnauthenticated}. A name other than {@code localhost} counts as reachable: it is not
   * resolved here. The gateway checks this at start.
   *
   * @throws IllegalArgumentException saying how to fix it
   */
  public void checkExposure() {
    if (!isAuthenticationOn() && !allowUnauthenticated && !OriginPolicy.isLoopback(host)) {
      throw new IllegalArgumentException("http.host is " + host + ", which other machines can reach, and no API"
        + " tokens are configured, so anyone reaching the port could submit tasks and remove nodes. Configure"
        + " apiTokens (or MASTERMIND_API_TOKENS) or http.jwt, or set http.allowUnauthenticated to true to serve without"
        + " authentication on purpose (e.g. behind an authenticating proxy), or bind 127.0.0.1");
    }
  }

  /**
   * {@code apiTokens}: each entry a string (every scope) or {@code {"token","scopes"?,"name"?}} (scopes
   * absent: every scope). Null, empty or blank tokens and duplicates are refused.
   */
  static List<ApiToken> parseTokens(JsonArray entries) {
    List<ApiToken> tokens = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String where = API_TOKENS + "[" + i + "]";
      Object entry = entries.getValue(i);
      if (entry instanceof String secret) {
        tokens.add(new ApiToken(secret, Scope.ALL, null, where));
      } else if (entry instanceof JsonObject object) {
        tokens.add(parseToken(object, where));
      } else if (entry == null) {
        throw new IllegalArgumentException(where + ": an API token must not be null; remove the entry or give a secret");
      } else {
        throw new IllegalArgumentException(where + ": must be a token (a string) or {\"token\": ..., \"scopes\": [...]}");
      }
    }
    new TokenBook(tokens); // refuses duplicates
    return tokens;
  }

  private static ApiToken parseToken(JsonObject object, String where) {
    for (String key : object.fieldNames()) {
      if (!TOKEN_KEYS.contains(key)) {
        throw new IllegalArgumentException(where + ": unknown key '" + key + "' (known: token, scopes, name)");
      }
    }
    if (!(object.getValue("token") instanceof String secret)) {
      throw new IllegalArgumentException(where + ".token: an API token must be a non-empty string");
    }
    Set<Scope> scopes = Scope.ALL;
    if (object.containsKey("scopes")) {
      if (!(object.getValue("scopes") instanceof JsonArray names)) {
        throw new IllegalArgumentException(where + ".scopes: must be a list such as [\"read\", \"submit\"]");
      }
      scopes = EnumSet.noneOf(Scope.class);
      for (Object name : names) {
        scopes.add(Scope.parse(name instanceof String text ? text : String.valueOf(name), where + ".scopes"));
      }
    }
    if (object.containsKey("name") && !(object.getValue("name") instanceof String)) {
      throw new IllegalArgumentException(where + ".name: must be a string");
    }
    return new ApiToken(secret, scopes, object.getString("name"), where);
  }

  private static List<String> strings(JsonArray array, String key) {
    if (array == null) {
      return null;
    }
    List<String> list = new ArrayList<>();
    for (Object value : array) {
      if (!(value instanceof String text) || text.isBlank()) {
        throw new IllegalArgumentException(key + ": every entry must be a non-empty string");
      }
      list.add(text.strip());
    }
    return list;
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

  public boolean isAccessLog() {
    return accessLog;
  }

  public GatewayOptions setAccessLog(boolean accessLog) {
    this.accessLog = accessLog;
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

  /** Callers must authenticate: API tokens or JWTs are configured. */
  public boolean isAuthenticationOn() {
    return !apiTokens.isEmpty() || jwt != null;
  }

  /** Empty, with no {@link #getJwt() JWTs} either: authentication is off. */
  public List<ApiToken> getApiTokens() {
    return apiTokens;
  }

  public GatewayOptions setApiTokens(List<ApiToken> apiTokens) {
    this.apiTokens = new TokenBook(apiTokens).tokens();
    return this;
  }

  public boolean isAllowUnauthenticated() {
    return allowUnauthenticated;
  }

  /** Lets a gateway without tokens listen on a non-loopback host (see {@link #checkExposure()}). */
  public GatewayOptions setAllowUnauthenticated(boolean allowUnauthenticated) {
    this.allowUnauthenticated = allowUnauthenticated;
    return this;
  }

  /** Null: the gateway's own origin and pages on loopback or on the gateway's host (docs/security.md). */
  public List<String> getAllowedOrigins() {
    return allowedOrigins;
  }

  /** Origins as {@code scheme://host[:port]}, or {@code "*"} for any; null for the default. */
  public GatewayOptions setAllowedOrigins(List<String> allowedOrigins) {
    if (allowedOrigins != null) {
      new OriginPolicy(Set.of(), null, allowedOrigins, true); // refuses what is not an origin
    }
    this.allowedOrigins = allowedOrigins == null ? null : List.copyOf(allowedOrigins);
    return this;
  }

  /** Null: loopback names and the addresses the gateway listens on. */
  public List<String> getAllowedHosts() {
    return allowedHosts;
  }

  /** Host names (no port), or {@code "*"} for any; null for the default. */
  public GatewayOptions setAllowedHosts(List<String> allowedHosts) {
    this.allowedHosts = allowedHosts == null ? null : List.copyOf(allowedHosts);
    return this;
  }

  /** The {@code tls} section: HTTPS when a certificate is configured. */
  public TlsOptions getTls() {
    return tls;
  }

  public GatewayOptions setTls(TlsOptions tls) {
    if (tls == null) {
      throw new IllegalArgumentException("http.tls must not be null");
    }
    this.tls = tls;
    return this;
  }

  /** The {@code rateLimit} section: off by default. */
  public RateLimitOptions getRateLimit() {
    return rateLimit;
  }

  public GatewayOptions setRateLimit(RateLimitOptions rateLimit) {
    if (rateLimit == null) {
      throw new IllegalArgumentException("http.rateLimit must not be null");
    }
    this.rateLimit = rateLimit;
    return this;
  }

  /** The {@code authFailures} section: the slow-down after repeated 401s. */
  public AuthFailureOptions getAuthFailures() {
    return authFailures;
  }

  public GatewayOptions setAuthFailures(AuthFailureOptions authFailures) {
    if (authFailures == null) {
      throw new IllegalArgumentException("http.authFailures must not be null");
    }
    this.authFailures = authFailures;
    return this;
  }

  /** The {@code jwt} section; null when JWTs are not accepted. */
  public JwtOptions getJwt() {
    return jwt;
  }

  /** Null turns JWTs off. */
  public GatewayOptions setJwt(JwtOptions jwt) {
    this.jwt = jwt;
    return this;
  }

  /** The node this gateway runs in, named in the {@code alert} events it publishes (not an {@code http} key). */
  public String getNodeId() {
    return nodeId;
  }

  public GatewayOptions setNodeId(String nodeId) {
    this.nodeId = nodeId;
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
