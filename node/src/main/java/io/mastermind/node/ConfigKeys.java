package io.mastermind.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.commons.text.similarity.LevenshteinDistance;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every key a node's config accepts, with its type: the one list that the config file is checked
 * against (an unknown key stops the node), that environment variables ({@code MASTERMIND_HTTP_PORT})
 * and system properties ({@code -Dmastermind.http.port=}) are mapped through, and that says which
 * values {@code --print-config} masks. A section (e.g. {@code http.tls}) is any prefix of a key.
 *
 * <p>What each key does is the business of the component's options class; this registry only knows
 * the key's path and JSON type. A new key is added here and in that options class.
 */
public final class ConfigKeys {

  /** Environment variables: this prefix, then the key path in upper case with {@code _} between parts. */
  public static final String ENV_PREFIX = "MASTERMIND_";
  /** System properties: this prefix, then the key path. */
  public static final String PROPERTY_PREFIX = "mastermind.";
  /** What a masked value is printed as. */
  public static final String MASK = "***";

  /** The JSON type of a key; strings from the environment or a system property are converted to it. */
  public enum Type {
    INT("a whole number"), LONG("a whole number"), DOUBLE("a number"), BOOLEAN("true or false"), STRING("a string"),
    /** A list of strings; from the environment, comma separated. */
    STRINGS("a list of strings"),
    /** A string or a list of strings. */
    STRING_OR_STRINGS("a string or a list of strings"),
    /** Checked by its options class (e.g. {@code apiTokens}: strings or objects); not set from the environment. */
    ANY("any JSON value");

    final String description;

    Type(String description) {
      this.description = description;
    }
  }

  /** One key: its dotted path, type, and whether its value is a secret (masked when printed). */
  public record Key(String path, Type type, boolean secret) {

    /** {@code MASTERMIND_HTTP_PORT} for {@code http.port}. */
    public String envName() {
      return ENV_PREFIX + path.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** {@code mastermind.http.port} for {@code http.port}. */
    public String propertyName() {
      return PROPERTY_PREFIX + path;
    }
  }

  /** Keys that are sections holding no keys of their own but may be null (e.g. {@code http.jwt}: no JWTs). */
  private static final Set<String> NULLABLE_SECTIONS = Set.of("http.jwt");

  private static final Map<String, Key> KEYS = new LinkedHashMap<>();

  static {
    key("nodeId", Type.STRING);
    key("roles", Type.STRINGS);
    key("clusterName", Type.STRING);
    key("drainTimeoutMs", Type.LONG);
    key("apiTokens", Type.ANY, true);

    key("http.host", Type.STRING);
    key("http.port", Type.INT);
    key("http.bodyLimit", Type.LONG);
    key("http.requestTimeoutMs", Type.LONG);
    key("http.allowUnauthenticated", Type.BOOLEAN);
    key("http.allowedOrigins", Type.STRINGS);
    key("http.allowedHosts", Type.STRINGS);
    keys("http.websocket", Type.INT, "maxQueuedFrames", "maxFrameSize", "maxSubscriptions", "maxTrackedTasks",
      "maxSessions", "maxRefLength");
    key("http.websocket.maxQueuedBytes", Type.LONG);
    key("http.websocket.path", Type.STRING);
    keys("http.limits", Type.INT, "maxJsonDepth", "maxStringLength", "maxConnections", "maxWaiters");
    keys("http.tls", Type.STRING, "certPath", "keyPath", "keyStorePath");
    key("http.tls.keyStorePassword", Type.STRING, true);
    key("http.tls.http2", Type.BOOLEAN);
    keys("http.rateLimit", Type.DOUBLE, "requestsPerSecond");
    keys("http.rateLimit", Type.INT, "burst");
    keys("http.authFailures", Type.INT, "max");
    keys("http.authFailures", Type.LONG, "windowMs", "delayMs");
    keys("http.jwt", Type.STRING_OR_STRINGS, "publicKeys", "publicKeyPaths", "audience");
    key("http.jwt.hmacSecret", Type.STRING, true);
    keys("http.jwt", Type.STRING, "issuer", "scopesClaim");
    key("http.jwt.leewaySeconds", Type.LONG);

    key("http.accessLog", Type.BOOLEAN);
    keys("tracing", Type.STRING, "otlpEndpoint", "serviceName");
    key("metrics.eventBus", Type.BOOLEAN);

    key("management.host", Type.STRING);
    key("management.port", Type.INT);
    key("logging.format", Type.STRING);

    key("bridge.enabled", Type.BOOLEAN);
    keys("bridge", Type.INT, "maxAddressLength", "maxHandlersPerSocket");
    keys("bridge", Type.LONG, "pingTimeoutMs", "replyTimeoutMs", "sessionTimeoutMs", "heartbeatIntervalMs");

    keys("nexus", Type.STRING, "url", "publicUrl");
    keys("nexus", Type.LONG, "registerBaseBackoffMs", "registerMaxBackoffMs", "requestTimeoutMs", "taskWaitMs");

    key("worker.capabilities", Type.STRINGS);
    key("worker.cpu", Type.DOUBLE);
    key("worker.memory", Type.LONG);
    key("worker.gpu", Type.BOOLEAN);
    key("worker.pluginsDir", Type.STRING);
    keys("worker", Type.LONG, "progressIntervalMs", "runningReportDelayMs", "resultBatchDelayMs", "outcomeResendMs",
      "maxResultBytes");
    key("worker.prefetch", Type.INT);

    key("scheduler.strategy", Type.STRING);
    keys("scheduler", Type.LONG, "agingIntervalMs", "retryBaseMs", "retryMaxMs", "assignmentTimeoutMs", "rejoinGraceMs",
      "retainedBytes", "retainedForMs", "prefetchWindowMs", "maxTimeoutMs");
    keys("scheduler", Type.INT, "schedulingBatch", "retainedTasks", "maxQueuedTasks", "maxNodeLosses", "storeBatch");
    key("events.maxResultBytes", Type.INT);

    key("cluster.enabled", Type.BOOLEAN);
    key("cluster.host", Type.STRING);
    keys("cluster", Type.INT, "port", "eventBusPort", "heartbeatSeconds", "maxNoHeartbeatSeconds");
    key("cluster.join", Type.STRINGS);
    key("cluster.discovery", Type.STRING);
    keys("cluster.kubernetes", Type.STRING, "serviceDns", "serviceName", "namespace");
    key("cluster.kubernetes.servicePort", Type.INT);
    key("cluster.secret", Type.STRING, true);
    key("cluster.nodeKey", Type.STRING, true);
    keys("cluster", Type.LONG, "maxClockSkewMs", "authTimeoutMs");
    keys("cluster.tls", Type.STRING, "certPath", "keyPath", "caPath", "keyStorePath", "trustStorePath");
    keys("cluster.tls", Type.STRING, true, "keyStorePassword", "trustStorePassword");

    // shown by GET /api/v1/cluster (SPEC section 5); nodes.autoScale: true is refused (NodeSettings)
    keys("nodes", Type.INT, "min", "max");
    key("nodes.autoScale", Type.BOOLEAN);
    keys("healthCheck", Type.LONG, "interval", "timeout");
    key("healthCheck.retries", Type.INT);
  }

  private ConfigKeys() {
  }

  private static void key(String path, Type type) {
    key(path, type, false);
  }

  private static void key(String path, Type type, boolean secret) {
    if (KEYS.put(path, new Key(path, type, secret)) != null) {
      throw new IllegalStateException("config key listed twice: " + path);
    }
  }

  private static void keys(String section, Type type, String... names) {
    keys(section, type, false, names);
  }

  private static void keys(String section, Type type, boolean secret, String... names) {
    Arrays.stream(names).forEach(name -> key(section + "." + name, type, secret));
  }

  /** Every key, in the order listed. */
  public static List<Key> all() {
    return List.copyOf(KEYS.values());
  }

  public static Optional<Key> key(String path) {
    return Optional.ofNullable(KEYS.get(path));
  }

  /** True when {@code path} is a section: a proper prefix of some key (e.g. {@code http}, {@code http.tls}). */
  public static boolean isSection(String path) {
    String prefix = path + ".";
    return KEYS.keySet().stream().anyMatch(k -> k.startsWith(prefix));
  }

  /** The key whose {@link Key#envName()} is {@code name}, if any. */
  public static Optional<Key> forEnv(String name) {
    return KEYS.values().stream().filter(k -> k.envName().equals(name)).findFirst();
  }

  /** The key whose {@link Key#propertyName()} is {@code name}, ignoring case, if any. */
  public static Optional<Key> forProperty(String name) {
    return KEYS.values().stream().filter(k -> k.propertyName().equalsIgnoreCase(name)).findFirst();
  }

  /** The valid key or section path closest to {@code path} by edit distance. */
  public static String closest(String path) {
    Set<String> candidates = new TreeSet<>(KEYS.keySet());
    for (String key : KEYS.keySet()) {
      for (int dot = key.indexOf('.'); dot > 0; dot = key.indexOf('.', dot + 1)) {
        candidates.add(key.substring(0, dot));
      }
    }
    LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
    String lower = path.toLowerCase(Locale.ROOT);
    // a key cut short (leeway for leewaySeconds) is nearer in meaning than one a few letters away
    Optional<String> completed = candidates.stream().filter(c -> c.toLowerCase(Locale.ROOT).startsWith(lower))
      .min(Comparator.comparingInt(String::length).thenComparing(c -> c));
    if (completed.isPresent()) {
      return completed.get();
    }
    return candidates.stream()
      .min(Comparator.comparingInt((String c) -> distance.apply(lower, c.toLowerCase(Locale.ROOT))).thenComparing(c -> c))
      .orElseThrow();
  }

  /**
   * Checks a config file's content: every key known, every value of its key's type (null always allowed:
   * it means the default or "off"). IllegalArgumentException naming the key path and, for an unknown
   * key, the closest valid one.
   */
  public static void check(JsonObject config, String source) {
    check(config, "", source);
  }

  private static void check(JsonObject section, String prefix, String source) {
    for (Map.Entry<String, Object> entry : section) {
      String path = prefix + entry.getKey();
      Object value = entry.getValue();
      Key key = KEYS.get(path);
      if (key != null) {
        if (value != null && !matches(key.type(), value)) {
          throw new IllegalArgumentException(source + ": " + path + " must be " + key.type().description + ", not "
            + describe(value));
        }
      } else if (isSection(path)) {
        if (value instanceof JsonObject nested) {
          check(nested, path + ".", source);
        } else if (value != null || !NULLABLE_SECTIONS.contains(path)) {
          throw new IllegalArgumentException(source + ": " + path + " must be an object (a section), not " + describe(value));
        }
      } else {
        throw new UnknownKeyException(path, closest(path), source);
      }
    }
  }

  private static boolean matches(Type type, Object value) {
    return switch (type) {
      case INT -> integral(value) && fitsInt(value);
      case LONG -> integral(value);
      case DOUBLE -> value instanceof Number;
      case BOOLEAN -> value instanceof Boolean;
      case STRING -> value instanceof String;
      case STRINGS -> value instanceof JsonArray array && array.stream().allMatch(String.class::isInstance);
      case STRING_OR_STRINGS -> value instanceof String || matches(Type.STRINGS, value);
      case ANY -> true;
    };
  }

  private static boolean integral(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return true;
    }
    if (value instanceof Number number) {
      try {
        new BigDecimal(number.toString()).longValueExact();
        return true;
      } catch (ArithmeticException | NumberFormatException e) {
        return false;
      }
    }
    return false;
  }

  private static boolean fitsInt(Object value) {
    long n = new BigDecimal(value.toString()).longValue();
    return n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE;
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    String kind = value instanceof JsonObject ? "an object" : value instanceof JsonArray ? "a list"
      : value instanceof String ? "a string" : value instanceof Boolean ? "a boolean" : "a number";
    String shown = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    return kind + " (" + (shown.length() > 60 ? shown.substring(0, 60) + "…" : shown) + ")";
  }

  /**
   * The keys set by these environment variables, typed; names that map to no key are ignored, as are
   * blank values and {@code apiTokens} (its variable is {@code MASTERMIND_API_TOKENS}, see NodeSettings).
   */
  public static JsonObject fromEnvironment(Map<String, String> env) {
    JsonObject config = new JsonObject();
    env.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      if (e.getKey().startsWith(ENV_PREFIX)) {
        forEnv(e.getKey()).ifPresent(key -> set(config, key, e.getValue(), e.getKey()));
      }
    });
    return config;
  }

  /** The keys set by these system properties ({@code mastermind.} + key path, any case), typed; others are ignored. */
  public static JsonObject fromProperties(Map<String, String> properties) {
    JsonObject config = new JsonObject();
    properties.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      if (e.getKey().regionMatches(true, 0, PROPERTY_PREFIX, 0, PROPERTY_PREFIX.length())) {
        forProperty(e.getKey()).ifPresent(key -> set(config, key, e.getValue(), e.getKey()));
      }
    });
    return config;
  }

  private static void set(JsonObject config, Key key, String raw, String source) {
    if (raw == null || raw.isBlank() || key.type() == Type.ANY) {
      return;
    }
    Object value = convert(key, raw, source);
    String[] parts = key.path().split("\\.");
    JsonObject section = config;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject next = section.getJsonObject(parts[i]);
      if (next == null) {
        next = new JsonObject();
        section.put(parts[i], next);
      }
      section = next;
    }
    section.put(parts[parts.length - 1], value);
  }

  /** {@code raw} as {@code key}'s type; IllegalArgumentException naming {@code source} and the key otherwise. */
  static Object convert(Key key, String raw, String source) {
    String value = key.secret() ? raw : raw.trim();
    try {
      return switch (key.type()) {
        case INT -> Integer.parseInt(value);
        case LONG -> Long.parseLong(value);
        case DOUBLE -> Double.parseDouble(value);
        case BOOLEAN -> {
          if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new NumberFormatException();
          }
          yield Boolean.parseBoolean(value);
        }
        case STRING, ANY -> value;
        case STRINGS, STRING_OR_STRINGS -> {
          List<String> items = new ArrayList<>();
          for (String item : value.split(",")) {
            if (!item.isBlank()) {
              items.add(item.trim());
            }
          }
          yield new JsonArray(items);
        }
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(source + ": " + key.path() + " must be " + key.type().description + ", not '"
        + (key.secret() ? MASK : value) + "'");
    }
  }

  /** A copy of {@code config} with every secret value (and every API token) replaced by {@value #MASK}. */
  public static JsonObject masked(JsonObject config) {
    return mask(config.copy(), "");
  }

  private static JsonObject mask(JsonObject section, String prefix) {
    for (String name : new ArrayList<>(section.fieldNames())) {
      String path = prefix + name;
      Object value = section.getValue(name);
      Key key = KEYS.get(path);
      if (value instanceof JsonObject nested && key == null) {
        mask(nested, path + ".");
      } else if (key != null && key.secret() && value != null) {
        section.put(name, maskValue(value));
      }
    }
    return section;
  }

  /** A token list keeps its shape (scopes stay visible); every secret string becomes {@value #MASK}. */
  private static Object maskValue(Object value) {
    if (value instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      array.forEach(item -> out.add(item instanceof JsonObject entry && entry.containsKey("token")
        ? entry.copy().put("token", MASK) : MASK));
      return out;
    }
    return MASK;
  }

  /** Every environment variable name a key maps to, sorted. */
  public static List<String> environmentNames() {
    List<String> names = new ArrayList<>(KEYS.values().stream().filter(k -> k.type() != Type.ANY).map(Key::envName).toList());
    Collections.sort(names);
    return names;
  }

  /** An unknown key in a config file: names it and the closest valid key. */
  public static final class UnknownKeyException extends IllegalArgumentException {

    private final String path;
    private final String suggestion;

    UnknownKeyException(String path, String suggestion, String source) {
      super(source + ": unknown key '" + path + "'; did you mean '" + suggestion + "'?");
      this.path = path;
      this.suggestion = suggestion;
    }

    public String path() {
      return path;
    }

    public String suggestion() {
      return suggestion;
    }
  }
}
