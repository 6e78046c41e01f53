package io.mastermind.gateway.security;

import java.util.Set;

/**
 * Who is calling, once authenticated: a token (by its {@link ApiToken#id()}), a JWT (by its subject), or, with tokens off, the
 * remote address, which then holds every scope. {@link #rateKey()} is what rate limits count against.
 */
public record Caller(String rateKey, String label, Set<Scope> scopes) {

  public Caller {
    scopes = Set.copyOf(scopes);
  }

  public static Caller of(ApiToken token) {
    return new Caller("token:" + token.id(), token.id(), token.scopes());
  }

  /**
   * A verified JWT, known by {@link JwtClaims#callerId}; its rate limit is its own (the id starts with
   * {@code jwt}, so it never shares a bucket with a configured token or an address).
   */
  public static Caller ofJwt(String id, Set<Scope> scopes) {
    return new Caller(id, id, scopes);
  }

  /** Tokens are off: everyone may do everything, and each address has its own rate limit. */
  public static Caller anonymous(String address) {
    return new Caller("address:" + address, "address " + address, Scope.ALL);
  }

  public boolean has(Scope scope) {
    return scopes.contains(scope);
  }
}
