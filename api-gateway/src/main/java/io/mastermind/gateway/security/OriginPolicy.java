package io.mastermind.gateway.security;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Origin and Host checks that keep web pages from driving the gateway through a user's browser.
 *
 * <ul>
 *   <li><b>Host</b> (DNS rebinding: a page of {@code evil.example} whose name is made to resolve to
 *       127.0.0.1 reads the API as same-origin; its requests still say {@code Host: evil.example}). The
 *       Host must be a loopback name, one of this machine's own addresses the gateway listens on (the
 *       "automatic" hosts), or listed in {@code http.allowedHosts}. Checked when tokens are off, since a
 *       rebinding page cannot present a token it does not know, or whenever {@code http.allowedHosts} is
 *       set.</li>
 *   <li><b>Origin</b> (cross-site requests and cross-site WebSocket hijacking: browsers send
 *       {@code Origin} on every cross-origin request, every POST and every WebSocket handshake). A request
 *       without one (curl, the Java client, the CLI) passes; one with an Origin passes when it is the
 *       gateway's own origin (the dashboard), or, unless {@code http.allowedOrigins} is set, a page on an
 *       automatic host (any port); when set, an origin in that list. Always checked. {@code "null"} (a
 *       sandboxed frame, a {@code file:} page) is refused unless the list holds {@code "*"}.</li>
 * </ul>
 */
public final class OriginPolicy {

  /** In {@code allowedOrigins} or {@code allowedHosts}: anything. */
  public static final String ANY = "*";

  private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-f]*:[0-9a-f:.]*");
  private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "0:0:0:0:0:0:0:0");

  private final Set<String> autoHosts;
  private final Set<String> allowedHosts;
  private final Set<String> allowedOrigins;
  private final boolean checkHosts;

  /**
   * @param autoHosts      this gateway's own names and addresses besides the loopback ones (the bound host,
   *                       or every interface address when it binds a wildcard)
   * @param allowedHosts   {@code http.allowedHosts}, or null for the automatic hosts
   * @param allowedOrigins {@code http.allowedOrigins}, or null for same-origin and pages on automatic hosts
   * @param tokensOn       API tokens are configured
   */
  public OriginPolicy(Set<String> autoHosts, List<String> allowedHosts, List<String> allowedOrigins, boolean tokensOn) {
    this.autoHosts = normalizedHosts(autoHosts);
    this.allowedHosts = allowedHosts == null ? null : normalizedHosts(allowedHosts);
    this.allowedOrigins = allowedOrigins == null ? null : normalizedOrigins(allowedOrigins);
    this.checkHosts = !tokensOn || allowedHosts != null;
  }

  /**
   * @param host the request's Host without its port (null when the request had none: HTTP/1.0)
   * @return why it is refused, or empty
   */
  public Optional<String> refuseHost(String host) {
    if (!checkHosts || host == null) {
      return Optional.empty();
    }
    String name = normalizeHost(host);
    boolean ok = allowedHosts == null ? isLoopback(name) || autoHosts.contains(name)
      : allowedHosts.contains(ANY) || allowedHosts.contains(name);
    return ok ? Optional.empty() : Optional.of("Host '" + host + "' is not allowed here; list it in http.allowedHosts");
  }

  /**
   * @param origin      the request's Origin header, or null
   * @param requestHost the request's Host without its port
   * @param requestPort the Host's port, or -1 when it named none
   * @return why it is refused, or empty
   */
  public Optional<String> refuseOrigin(String origin, String requestHost, int requestPort) {
    if (origin == null || (allowedOrigins != null && allowedOrigins.contains(ANY))) {
      return Optional.empty();
    }
    String canonical = canonicalOrigin(origin);
    if (canonical != null) {
      URI uri = URI.create(canonical);
      boolean sameOrigin = requestHost != null && uri.getHost().equals(normalizeHost(requestHost))
        && uri.getPort() == (requestPort < 0 ? defaultPort(uri.getScheme()) : requestPort);
      boolean listed = allowedOrigins == null
        ? isLoopback(uri.getHost()) || autoHosts.contains(uri.getHost())
        : allowedOrigins.contains(canonical);
      if (sameOrigin || listed) {
        return Optional.empty();
      }
    }
    return Optional.of("Origin '" + origin + "' is not allowed here; list it in http.allowedOrigins");
  }

  /** A loopback name or address: {@code localhost}, {@code *.localhost}, 127.0.0.0/8, {@code ::1}. */
  public static boolean isLoopback(String host) {
    String name = normalizeHost(host);
    if (name.equals("localhost") || name.endsWith(".localhost")) {
      return true;
    }
    if (IPV4.matcher(name).matches()) {
      return name.startsWith("127.");
    }
    if (IPV6.matcher(name).matches()) {
      try {
        return InetAddress.getByName(name).isLoopbackAddress(); // a literal with ':' is never looked up
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return false;
  }

  /** {@code 0.0.0.0} or {@code ::}: every interface. */
  public static boolean isWildcard(String host) {
    return WILDCARDS.contains(normalizeHost(host));
  }

  /** Lower case, without IPv6 brackets or a trailing dot. */
  public static String normalizeHost(String host) {
    String name = host.strip().toLowerCase(Locale.ROOT);
    if (name.startsWith("[") && name.endsWith("]")) {
      name = name.substring(1, name.length() - 1);
    }
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  /** {@code scheme://host:port} with the port always present, or null when not an http(s) origin. */
  static String canonicalOrigin(String origin) {
    try {
      URI uri = new URI(origin.strip());
      String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null) {
        return null;
      }
      String host = normalizeHost(uri.getHost());
      int port = uri.getPort() < 0 ? defaultPort(scheme) : uri.getPort();
      return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static int defaultPort(String scheme) {
    return "https".equals(scheme) ? 443 : 80;
  }

  private static Set<String> normalizedHosts(Iterable<String> hosts) {
    Set<String> set = new LinkedHashSet<>();
    for (String host : hosts) {
      set.add(normalizeHost(host));
    }
    return set;
  }

  private static Set<String> normalizedOrigins(List<String> origins) {
    Set<String> set = new LinkedHashSet<>();
    for (String origin : origins) {
      if (ANY.equals(origin.strip())) {
        set.add(ANY);
        continue;
      }
      String canonical = canonicalOrigin(origin);
      if (canonical == null) {
        throw new IllegalArgumentException("http.allowedOrigins: '" + origin
          + "' is not an origin; write scheme://host[:port], e.g. https://dashboard.example.com, or \"*\"");
      }
      set.add(canonical);
    }
    return set;
  }
}
