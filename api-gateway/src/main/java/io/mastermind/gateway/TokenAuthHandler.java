package io.mastermind.gateway;

import io.mastermind.gateway.security.ApiToken;
import io.mastermind.gateway.security.AuthFailureTracker;
import io.mastermind.gateway.security.Caller;
import io.mastermind.gateway.security.JwtClaims;
import io.mastermind.gateway.security.RateLimiter;
import io.mastermind.gateway.security.RouteScopes;
import io.mastermind.gateway.security.Scope;
import io.mastermind.gateway.security.TokenBook;
import io.mastermind.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Who is calling, and may they: with API tokens or JWTs configured, a call needs {@code Authorization: Bearer
 * TOKEN} (the WebSocket upgrade and the SockJS bridge also take {@code ?access_token=TOKEN}, since browsers
 * cannot set headers there; nowhere else, as query strings end up in proxy logs), else 401. The token is
 * looked up among the configured API tokens first; one that is not among them and has the shape of a JWT
 * is then verified as one ({@link JwtVerifier}). Then, for {@code /api/} routes, the caller's scopes
 * ({@link RouteScopes}, else 403 {@code FORBIDDEN}) and rate limit (else 429 {@code LIMIT_EXCEEDED}). The
 * {@link Caller} is left in the routing context under {@link #CALLER} for the WebSocket session and the bridge.
 *
 * <p>An address with too many failed authentications (an unknown token or a JWT that does not verify alike)
 * is slowed down ({@link AuthFailureTracker}).
 */
final class TokenAuthHandler implements Handler<RoutingContext> {

  /** The routing-context key of the {@link Caller}. */
  static final String CALLER = "mastermind.caller";

  private static final Logger LOG = LoggerFactory.getLogger(TokenAuthHandler.class);
  private static final String TOKEN_REQUIRED = "a valid API token is required (Authorization: Bearer TOKEN)";

  private final TokenBook tokens;
  /** Null when JWTs are not accepted. */
  private final JwtVerifier jwt;
  private final Predicate<String> queryTokenAt;
  private final RouteScopes scopes;
  private final AuthFailureTracker failures;
  private final RateLimiter limiter;
  private final SecurityAlerts alerts;
  private final AuthFailureOptions failureOptions;

  /**
   * @param jwt          null when JWTs are not accepted
   * @param queryTokenAt the (normalised) paths where {@code ?access_token=} is accepted
   * @param scopes       the scope table of {@code /api/} routes, or null to check no scope and count no
   *                     request here (the bridge checks its frames itself)
   * @param limiter      null when rate limits are off
   */
  TokenAuthHandler(TokenBook tokens, JwtVerifier jwt, Predicate<String> queryTokenAt, RouteScopes scopes,
                   AuthFailureTracker failures, AuthFailureOptions failureOptions, RateLimiter limiter, SecurityAlerts alerts) {
    this.tokens = tokens;
    this.jwt = jwt;
    this.queryTokenAt = queryTokenAt;
    this.scopes = scopes;
    this.failures = failures;
    this.failureOptions = failureOptions;
    this.limiter = limiter;
    this.alerts = alerts;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Caller known = ctx.get(CALLER);
    if (known != null) {
      proceed(ctx, known);
      return;
    }
    String address = GatewaySecurity.remoteAddress(ctx);
    if (tokens.isEmpty() && jwt == null) {
      authenticated(ctx, Caller.anonymous(address));
      return;
    }
    long wait = failures.admit(address, System.nanoTime());
    if (wait > 0) {
      alerts.refused(SecurityAlerts.SLOWED);
      refuseForNow(ctx, wait, "too many failed authentications from " + address + "; try again later");
      return;
    }
    String presented = presented(ctx);
    Optional<ApiToken> token = tokens.find(presented);
    if (token.isPresent()) {
      authenticated(ctx, Caller.of(token.get()));
    } else if (jwt != null && JwtClaims.looksLikeJwt(presented)) {
      verifyJwt(ctx, presented, address);
    } else {
      unauthorized(ctx, address, "Bearer", TOKEN_REQUIRED);
    }
  }

  /**
   * JWTAuth answers with a future. Today's completes at once, and the request goes on untouched, as with
   * an API token; should one complete later, the request is paused meanwhile so that no body chunk is lost
   * before the body handler is installed (as Vert.x Web's own authentication handlers do).
   */
  private void verifyJwt(RoutingContext ctx, String presented, String address) {
    Future<Caller> verdict = jwt.verify(presented);
    if (verdict.isComplete()) {
      settle(ctx, verdict, address);
      return;
    }
    HttpServerRequest request = ctx.request();
    boolean paused = !request.isEnded();
    if (paused) {
      request.pause();
    }
    verdict.onComplete(done -> {
      if (paused) {
        request.resume();
      }
      settle(ctx, verdict, address);
    });
  }

  private void settle(RoutingContext ctx, Future<Caller> verdict, String address) {
    if (verdict.succeeded()) {
      authenticated(ctx, verdict.result());
      return;
    }
    String reason = JwtVerifier.reason(verdict.cause());
    LOG.debug("refused a JWT from " + address + ": " + reason);
    unauthorized(ctx, address, "Bearer error=\"invalid_token\"", "the bearer token was taken for a JWT and refused: "
      + reason + "; " + TOKEN_REQUIRED);
  }

  private void authenticated(RoutingContext ctx, Caller caller) {
    ctx.put(CALLER, caller);
    proceed(ctx, caller);
  }

  private void proceed(RoutingContext ctx, Caller caller) {
    if (scopes != null && (refusedScope(ctx, caller) || limited(ctx, caller))) {
      return;
    }
    ctx.next();
  }

  /** 401, counted as a failed authentication of {@code address} (which may start its slow-down). */
  private void unauthorized(RoutingContext ctx, String address, String challenge, String message) {
    alerts.refused(SecurityAlerts.UNAUTHORIZED);
    if (failures.failed(address, System.nanoTime())) {
      alerts.alert(SecurityAlerts.ALERT_AUTH_FAILURES, address, new JsonObject().put("address", address)
          .put("failures", failureOptions.getMax()).put("windowMs", failureOptions.getWindowMs())
          .put("delayMs", failureOptions.getDelayMs()),
        failureOptions.getMax() + " failed authentications from " + address + " within " + failureOptions.getWindowMs()
          + " ms; it now gets one attempt per " + failureOptions.getDelayMs() + " ms");
    }
    ctx.response().putHeader("WWW-Authenticate", challenge);
    HttpErrors.send(ctx, ErrorCode.UNAUTHORIZED, message, null);
  }

  private boolean refusedScope(RoutingContext ctx, Caller caller) {
    String method = ctx.request().method().name();
    Optional<Scope> needed = scopes.required(method, ctx.normalizedPath());
    if (needed.isEmpty() || caller.has(needed.get())) {
      return false;
    }
    alerts.refused(SecurityAlerts.FORBIDDEN);
    HttpErrors.send(ctx, ErrorCode.FORBIDDEN, caller.label() + " lacks the '" + needed.get().wireName()
      + "' scope that " + method + " " + ctx.normalizedPath() + " needs", null);
    return true;
  }

  private boolean limited(RoutingContext ctx, Caller caller) {
    long wait = GatewaySecurity.acquire(limiter, caller, alerts);
    if (wait > 0) {
      refuseForNow(ctx, wait, "rate limit of " + caller.label() + " exceeded (http.rateLimit)");
      return true;
    }
    return false;
  }

  private static void refuseForNow(RoutingContext ctx, long waitNanos, String message) {
    long seconds = GatewaySecurity.retryAfterSeconds(waitNanos);
    ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
    HttpErrors.send(ctx, ErrorCode.LIMIT_EXCEEDED, message + "; retry after " + seconds + " s", null);
  }

  private String presented(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    return queryTokenAt.test(ctx.normalizedPath()) ? ctx.request().getParam("access_token") : null;
  }

}
