package io.mastermind.gateway;

import io.mastermind.protocol.WebSocketFrames;
import io.mastermind.events.EventPublisher;
import io.mastermind.protocol.WebSocketFrames.Op;
import io.mastermind.gateway.bridge.BridgeAccess;
import io.mastermind.gateway.security.ApiToken;
import io.mastermind.gateway.security.AuthFailureTracker;
import io.mastermind.gateway.security.Caller;
import io.mastermind.gateway.security.OriginPolicy;
import io.mastermind.gateway.security.RateLimiter;
import io.mastermind.gateway.security.RouteScopes;
import io.mastermind.gateway.security.Scope;
import io.mastermind.gateway.security.TokenBook;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's security, put together from its options (docs/security.md): the Host and Origin check on
 * every route, authentication (API tokens, JWTs) with scopes and rate limits on {@code /api/*}, authentication on
 * {@code /eventbus/*} with the bridge's frames checked one by one, and the same per WebSocket message. The
 * policies are the pure classes of {@link io.mastermind.gateway.security}; this class only adapts them to
 * routing contexts, sockets and bridge events.
 */
final class GatewaySecurity {

  private static final Logger LOG = LoggerFactory.getLogger(GatewaySecurity.class);

  private final GatewayOptions options;
  private final TokenBook tokens;
  /** Null when JWTs are not accepted. */
  private final JwtVerifier jwt;
  /** API tokens or JWTs are configured: callers must authenticate. */
  private final boolean authenticationOn;
  private final OriginPolicy origins;
  private final RouteScopes routeScopes;
  /** Null when rate limits are off. */
  private final RateLimiter limiter;
  private final AuthFailureTracker failures;
  private final SecurityAlerts alerts;

  /** @param publicUrl the URL others reach this gateway by ({@code nexus.publicUrl}), or null: its host is allowed */
  GatewaySecurity(Vertx vertx, GatewayOptions options, String publicUrl, MeterRegistry registry) {
    options.checkExposure();
    this.options = options;
    this.tokens = new TokenBook(options.getApiTokens());
    this.jwt = options.getJwt() == null ? null : new JwtVerifier(vertx, options.getJwt());
    this.authenticationOn = options.isAuthenticationOn();
    this.origins = new OriginPolicy(ownHosts(options.getHost(), publicUrl), options.getAllowedHosts(),
      options.getAllowedOrigins(), authenticationOn);
    this.routeScopes = new RouteScopes(options.getWebSocket().getPath());
    RateLimitOptions rate = options.getRateLimit();
    this.limiter = rate.isEnabled() ? new RateLimiter(rate.getRequestsPerSecond(), rate.effectiveBurst()) : null;
    AuthFailureOptions slow = options.getAuthFailures();
    this.failures = new AuthFailureTracker(slow.getMax(), TimeUnit.MILLISECONDS.toNanos(slow.getWindowMs()),
      TimeUnit.MILLISECONDS.toNanos(slow.getDelayMs()));
    this.alerts = new SecurityAlerts(new EventPublisher(vertx.eventBus(), options.getNodeId()), registry);
    warnAboutWeakSettings();
  }

  /** The Host and Origin check, on every route: install it before any other. */
  void guardAll(Router router) {
    router.route().handler(this::checkHostAndOrigin);
  }

  /** For {@code /api/*} (and the WebSocket path): tokens or JWTs, scopes, rate limits; {@code ?access_token=} on the WebSocket only. */
  Handler<RoutingContext> apiAuth() {
    String webSocketPath = options.getWebSocket().getPath();
    return new TokenAuthHandler(tokens, jwt, webSocketPath::equals, routeScopes, failures, options.getAuthFailures(), limiter, alerts);
  }

  /** For {@code /eventbus/*}: tokens or JWTs, in the header or as {@code ?access_token=} on every transport. */
  Handler<RoutingContext> bridgeAuth() {
    return new TokenAuthHandler(tokens, jwt, path -> true, null, failures, options.getAuthFailures(), limiter, alerts);
  }

  /** The WebSocket session's guard for the caller that opened it. */
  WebSocketSession.Guard sessionGuard(RoutingContext ctx) {
    Caller caller = callerOf(ctx);
    return new WebSocketSession.Guard() {
      @Override
      public ApiError admit() {
        long wait = acquire(limiter, caller, alerts);
        return wait == 0 ? null : new ApiError(ErrorCode.LIMIT_EXCEEDED, "rate limit of " + caller.label()
          + " exceeded (http.rateLimit); retry after " + retryAfterSeconds(wait) + " s");
      }

      @Override
      public ApiError permit(Op op) {
        Scope needed = switch (op) {
          case SUBSCRIBE -> Scope.READ;
          case SUBMIT, CANCEL -> Scope.SUBMIT;
          default -> null;
        };
        if (needed == null || caller.has(needed)) {
          return null;
        }
        alerts.refused(SecurityAlerts.FORBIDDEN);
        return new ApiError(ErrorCode.FORBIDDEN, caller.label() + " lacks the '" + needed.wireName() + "' scope that "
          + op.wireName() + " needs");
      }
    };
  }

  /** Scopes and rate limits of the SockJS bridge's frames. */
  BridgeAccess bridgeAccess() {
    return this::bridgeRefusal;
  }

  private BridgeAccess.Refusal bridgeRefusal(SockJSSocket socket, BridgeEventType type, String address) {
    Caller caller = callerOf(socket.routingContext());
    Scope needed = type == BridgeEventType.REGISTER && Addresses.EVENTS.equals(address) ? Scope.READ
      : type == BridgeEventType.SEND && Addresses.GATEWAY_SUBMIT.equals(address) ? Scope.SUBMIT : null;
    if (needed != null && !caller.has(needed)) {
      alerts.refused(SecurityAlerts.FORBIDDEN);
      return new BridgeAccess.Refusal(ErrorCode.FORBIDDEN, caller.label() + " lacks the '" + needed.wireName()
        + "' scope that " + type.name().toLowerCase(java.util.Locale.ROOT) + " to " + address + " needs");
    }
    long wait = acquire(limiter, caller, alerts);
    return wait == 0 ? null : new BridgeAccess.Refusal(ErrorCode.LIMIT_EXCEEDED, "rate limit of " + caller.label()
      + " exceeded (http.rateLimit); retry after " + retryAfterSeconds(wait) + " s");
  }

  /** Who opened the socket; with tokens on and no caller recorded (not expected), one who may do nothing. */
  private Caller callerOf(RoutingContext ctx) {
    Caller caller = ctx == null ? null : ctx.get(TokenAuthHandler.CALLER);
    if (caller != null) {
      return caller;
    }
    String address = ctx == null ? "unknown" : remoteAddress(ctx);
    return !authenticationOn ? Caller.anonymous(address) : new Caller("address:" + address, "address " + address, Set.of());
  }

  private void checkHostAndOrigin(RoutingContext ctx) {
    HostAndPort authority = ctx.request().authority();
    String host = authority == null ? null : authority.host();
    int port = authority == null ? -1 : authority.port();
    Optional<String> badHost = origins.refuseHost(host);
    Optional<String> refusal = badHost.isPresent() ? badHost
      : origins.refuseOrigin(ctx.request().getHeader(HttpHeaders.ORIGIN), host, port);
    if (refusal.isEmpty()) {
      ctx.next();
      return;
    }
    alerts.refused(badHost.isPresent() ? SecurityAlerts.HOST : SecurityAlerts.ORIGIN);
    LOG.debug("refused " + ctx.request().method() + " " + ctx.request().path() + " from " + remoteAddress(ctx) + ": " + refusal.get());
    HttpErrors.send(ctx, ErrorCode.FORBIDDEN, refusal.get(), null);
  }

  /** One request of {@code caller} against its rate limit: 0 when allowed, else nanoseconds to wait. */
  static long acquire(RateLimiter limiter, Caller caller, SecurityAlerts alerts) {
    if (limiter == null) {
      return 0;
    }
    long wait = limiter.acquire(caller.rateKey(), System.nanoTime());
    if (wait > 0) {
      alerts.refused(SecurityAlerts.RATE_LIMITED);
      alerts.alert(SecurityAlerts.ALERT_RATE_LIMITED, caller.rateKey(), new JsonObject().put("caller", caller.label()),
        caller.label() + " went over its rate limit (http.rateLimit)");
    }
    return wait;
  }

  /** {@code Retry-After} for a wait: whole seconds, at least 1. */
  static long retryAfterSeconds(long waitNanos) {
    return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
  }

  static String remoteAddress(RoutingContext ctx) {
    SocketAddress remote = ctx.request().remoteAddress();
    if (remote == null) {
      return "unknown";
    }
    return remote.hostAddress() != null ? remote.hostAddress() : String.valueOf(remote.host());
  }

  /**
   * The hosts a browser may name besides loopback ones: the bound host, or, when it is a wildcard, every
   * address of this machine's interfaces; and the host of the public URL.
   */
  static Set<String> ownHosts(String boundHost, String publicUrl) {
    Set<String> hosts = new LinkedHashSet<>();
    if (!OriginPolicy.isWildcard(boundHost)) {
      hosts.add(boundHost);
    } else {
      try {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          for (InetAddress address : Collections.list(nic.getInetAddresses())) {
            String text = address.getHostAddress();
            int zone = text.indexOf('%');
            hosts.add(zone < 0 ? text : text.substring(0, zone));
          }
        }
      } catch (SocketException e) {
        LOG.warn("cannot list this machine's addresses for the Host check: " + e.getMessage());
      }
    }
    if (publicUrl != null) {
      try {
        String host = URI.create(publicUrl).getHost();
        if (host != null) {
          hosts.add(host);
        }
      } catch (IllegalArgumentException e) {
        // nexus.publicUrl is validated where it is read
      }
    }
    return hosts;
  }

  private void warnAboutWeakSettings() {
    for (ApiToken token : tokens.tokens()) {
      if (token.length() < ApiToken.RECOMMENDED_MIN_LENGTH) {
        LOG.warn("API token " + token.id() + " has only " + token.length() + " characters; use at least "
          + ApiToken.RECOMMENDED_MIN_LENGTH + " random ones (e.g. openssl rand -hex 32)");
      }
    }
    boolean exposed = !OriginPolicy.isLoopback(options.getHost());
    if (exposed && authenticationOn && !options.getTls().isEnabled()) {
      LOG.warn("the gateway listens on " + options.getHost() + " without TLS: API tokens and JWTs cross the network in clear;"
        + " configure http.tls (docs/security.md) or terminate TLS in front of it");
    }
    JwtOptions jwtOptions = options.getJwt();
    if (jwtOptions != null && !jwtOptions.getVerificationKeys().isEmpty() && jwtOptions.getAudience().isEmpty()) {
      // an identity provider's keys sign the tokens of every service it serves
      LOG.warn("http.jwt has public keys but no audience: every token they verify is accepted, including those"
        + " issued for other services; set http.jwt.audience to the one issued for this gateway");
    }
    if (exposed && !authenticationOn) {
      LOG.warn("the gateway listens on " + options.getHost() + " without API tokens (http.allowUnauthenticated):"
        + " anyone who reaches it may submit tasks and remove nodes");
    }
  }
}
