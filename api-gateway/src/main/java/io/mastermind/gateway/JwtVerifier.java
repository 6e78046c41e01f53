package io.mastermind.gateway;

import io.mastermind.gateway.security.Caller;
import io.mastermind.gateway.security.JwtClaims;
import io.mastermind.gateway.security.PemPublicKeys.VerificationKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.security.SignatureException;
import java.util.Locale;

/**
 * Verifies JWT bearer tokens with {@code vertx-auth-jwt} (configured by {@link JwtOptions}) and turns a
 * valid one into a {@link Caller}. Only signed tokens are accepted: {@code alg: none} is refused, and the
 * key is chosen by the token's {@code alg} among the configured ones of that algorithm, so an RS256 public
 * key can never serve as an HS256 secret. The signature, then the audience, the issuer and the times
 * ({@code exp}, {@code nbf}, {@code iat}, with the leeway) are checked; the verification is CPU work of
 * well under a millisecond, done on the calling thread.
 *
 * <p>Neither the token nor its claims are ever logged; a refusal is described by {@link #reason}.
 */
final class JwtVerifier {

  private final JWTAuth auth;
  private final String scopesClaim;

  JwtVerifier(Vertx vertx, JwtOptions options) {
    if (options.getVerificationKeys().isEmpty() && options.getHmacSecret() == null) {
      // with no key, vertx-auth-jwt would accept unsigned tokens: never build it that way
      throw new IllegalArgumentException("http.jwt: no verification key");
    }
    JWTAuthOptions config = new JWTAuthOptions().setJWTOptions(new JWTOptions()
      .setLeeway(options.getLeewaySeconds())
      .setIssuer(options.getIssuer())
      .setAudience(options.getAudience().isEmpty() ? null : options.getAudience()));
    for (VerificationKey key : options.getVerificationKeys()) {
      config.addPubSecKey(new PubSecKeyOptions().setAlgorithm(key.algorithm()).setBuffer(key.pem()));
    }
    if (options.getHmacSecret() != null) {
      config.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(options.getHmacSecret()));
    }
    this.auth = JWTAuth.create(vertx, config);
    this.scopesClaim = options.getScopesClaim();
  }

  /** The caller a valid token stands for (possibly with no scope); a failed future when it is not valid. */
  Future<Caller> verify(String token) {
    Future<User> user;
    try {
      user = auth.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      // claims of unexpected types (a string "exp", a numeric "aud") throw instead of failing the future
      return Future.failedFuture(e);
    }
    return user.map(verified -> {
      JsonObject claims = verified.attributes().getJsonObject("accessToken", new JsonObject());
      return Caller.ofJwt(JwtClaims.callerId(claims.getValue("sub"), token), JwtClaims.scopes(claims.getMap(), scopesClaim));
    });
  }

  /**
   * Why a token was refused, for the 401's message and the debug log: never the token's content, and
   * nothing a forger learns from (issuer, audience and times are checked only once the signature holds).
   */
  static String reason(Throwable failure) {
    String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
    if (failure instanceof NoSuchKeyIdException) {
      return "it is signed with an algorithm or key this gateway does not accept";
    }
    if (failure instanceof SignatureException || message.contains("signature")) {
      return "its signature does not match a configured key";
    }
    if (message.contains("expired")) {
      return "it has expired, or is not valid yet (exp, nbf, iat)";
    }
    if (message.contains("audience")) {
      return "its audience (aud) is not accepted here";
    }
    if (message.contains("issuer")) {
      return "its issuer (iss) is not accepted here";
    }
    return "it is not a valid signed JWT";
  }
}
