package io.mastermind.gateway;

import io.mastermind.gateway.security.ApiToken;
import io.mastermind.gateway.security.AuthFailureTracker;
import io.mastermind.gateway.security.Caller;
import io.mastermind.gateway.security.RateLimiter;
import io.mastermind.gateway.security.RouteScopes;
import io.mastermind.gateway.security.Scope;
import io.mastermind.gateway.security.TokenBook;
import io.mastermind.protocol.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Who is calling, and may they: with API tokens configured, a call needs {@code Authorization: Bearer
 * TOKEN} (the WebSocket upgrade and the SockJS bridge also take {@code ?access_token=TOKEN}, since browsers
 * cannot set headers there; nowhere else, as query strings end up in proxy logs), else 401. Then, for
 * {@code /api/} routes, the token's scopes ({@link RouteScopes}, else 403 {@code FORBIDDEN}) and the
 * caller's rate limit (else 429 {@code LIMIT_EXCEEDED}). The {@link Caller} is left in the routing
 * context under {@link #CALLER} for the WebSocket session and the bridge.
 *
 * <p>An address with too many failed authentications is slowed down ({@link AuthFailureTracker}).
 */
final class TokenAuthHandler implements Handler<RoutingContext> {

  /** The routing-context key of the {@link Caller}. */
  static final String CALLER = "mastermind.caller";

  private final TokenBook tokens;
  private final Predicate<String> queryTokenAt;
  private final RouteScopes scopes;
  private final AuthFailureTracker failures;
  private final RateLimiter limiter;
  private final SecurityAlerts alerts;
  private final AuthFailureOptions failureOptions;

  /**
   * @param queryTokenAt the (normalised) paths where {@code ?access_token=} is accepted
   * @param scopes     the scope table of {@code /api/} routes, or null to check no scope and count no
   *                   request here (the bridge checks its frames itself)
   * @param limiter    null when rate limits are off
   */
  TokenAuthHandler(TokenBook tokens, Predicate<String> queryTokenAt, RouteScopes scopes, AuthFailureTracker failures,
                   AuthFailureOptions failureOptions, RateLimiter limiter, SecurityAlerts alerts) {
    this.tokens = tokens;
    this.queryTokenAt = queryTokenAt;
    this.scopes = scopes;
    this.failures = failures;
    this.failureOptions = failureOptions;
    this.limiter = limiter;
    this.alerts = alerts;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Caller caller = ctx.get(CALLER);
    if (caller == null) {
      caller = authenticate(ctx);
      if (caller == null) {
        return;
      }
      ctx.put(CALLER, caller);
    }
    if (scopes != null && (refusedScope(ctx, caller) || limited(ctx, caller))) {
      return;
    }
    ctx.next();
  }

  /** The caller, or null once the request has been answered (401, or 429 for a slowed address). */
  private Caller authenticate(RoutingContext ctx) {
    String address = GatewaySecurity.remoteAddress(ctx);
    if (tokens.isEmpty()) {
      return Caller.anonymous(address);
    }
    long now = System.nanoTime();
    long wait = failures.admit(address, now);
    if (wait > 0) {
      alerts.refused(SecurityAlerts.SLOWED);
      refuseForNow(ctx, wait, "too many failed authentications from " + address + "; try again later");
      return null;
    }
    Optional<ApiToken> token = tokens.find(presented(ctx));
    if (token.isPresent()) {
      return Caller.of(token.get());
    }
    alerts.refused(SecurityAlerts.UNAUTHORIZED);
    if (failures.failed(address, now)) {
      alerts.alert(SecurityAlerts.ALERT_AUTH_FAILURES, address, new JsonObject().put("address", address)
          .put("failures", failureOptions.getMax()).put("windowMs", failureOptions.getWindowMs())
          .put("delayMs", failureOptions.getDelayMs()),
        failureOptions.getMax() + " failed authentications from " + address + " within " + failureOptions.getWindowMs()
          + " ms; it now gets one attempt per " + failureOptions.getDelayMs() + " ms");
    }
    ctx.response().putHeader("WWW-Authenticate", "Bearer");
    HttpErrors.send(ctx, ErrorCode.UNAUTHORIZED, "a valid API token is required (Authorization: Bearer TOKEN)", null);
    return null;
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
