package io.mastermind.gateway;

import io.mastermind.protocol.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * With API tokens configured, a call needs {@code Authorization: Bearer TOKEN} (or
 * {@code ?access_token=TOKEN}, for WebSocket and SockJS clients that cannot set headers), else 401.
 */
final class TokenAuthHandler implements Handler<RoutingContext> {

  private final Set<String> tokens;

  TokenAuthHandler(Set<String> tokens) {
    this.tokens = Set.copyOf(tokens);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (tokens.isEmpty() || accepted(presented(ctx))) {
      ctx.next();
    } else {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      HttpErrors.send(ctx, ErrorCode.UNAUTHORIZED, "a valid API token is required", null);
    }
  }

  private static String presented(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    return ctx.request().getParam("access_token");
  }

  /** Compares in constant time so response timing does not leak token prefixes. */
  private boolean accepted(String candidate) {
    if (candidate == null) {
      return false;
    }
    byte[] given = candidate.getBytes(StandardCharsets.UTF_8);
    boolean ok = false;
    for (String token : tokens) {
      ok |= MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
    }
    return ok;
  }
}
