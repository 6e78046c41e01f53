package io.mastermind.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a verified JWT's claims mean to the gateway (README "JWT"): its scopes and the name it is known
 * by. Pure: the claims come as the decoded payload's map, after the signature, expiry, issuer and
 * audience have been checked elsewhere.
 *
 * <p>Scopes are read from the configured claim ({@code scope} by default), which holds either a
 * space-separated string, as OAuth 2 issues it ({@code "read submit"}), or a JSON array
 * ({@code ["read", "submit"]}); when that claim is absent, {@code scp} (the name some identity providers
 * use) is read instead. Each entry that is exactly {@code read}, {@code submit} or {@code admin} grants
 * that scope; anything else (other services' scopes, other spellings) is ignored, so a token without
 * any of them holds no scope.
 */
public final class JwtClaims {

  /** The default claim holding the scopes (RFC 8693 section 4.2, as OAuth 2 access tokens carry it). */
  public static final String DEFAULT_SCOPES_CLAIM = "scope";
  /** Read when the configured claim is absent. */
  public static final String ALTERNATE_SCOPES_CLAIM = "scp";

  /** Three base64url parts, as a signed JWT (JWS compact serialisation) has; no padding. */
  private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
  private static final int MAX_SUBJECT_IN_ID = 64;

  private JwtClaims() {
  }

  /** Whether a presented bearer token has the shape of a signed JWT, so it is worth verifying as one. */
  public static boolean looksLikeJwt(String token) {
    return token != null && COMPACT_JWS.matcher(token).matches();
  }

  /** The scopes the claims grant; empty when they grant none (every scoped call is then 403). */
  public static Set<Scope> scopes(Map<String, ?> claims, String scopesClaim) {
    Object value = claims.get(scopesClaim);
    if (value == null && !ALTERNATE_SCOPES_CLAIM.equals(scopesClaim)) {
      value = claims.get(ALTERNATE_SCOPES_CLAIM);
    }
    return scopes(value);
  }

  /** One claim's value: a space-separated string or a list of strings; any other value grants nothing. */
  public static Set<Scope> scopes(Object value) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    if (value instanceof String text) {
      for (String name : text.split("[ \\t\\r\\n]+")) {
        grant(scopes, name);
      }
    } else if (value instanceof Iterable<?> list) {
      for (Object entry : list) {
        if (entry instanceof String name) {
          grant(scopes, name);
        }
      }
    }
    return Set.copyOf(scopes);
  }

  private static void grant(Set<Scope> scopes, String name) {
    for (Scope scope : Scope.values()) {
      if (scope.wireName().equals(name)) {
        scopes.add(scope);
      }
    }
  }

  /**
   * The name logs, alerts, messages and rate limits know the caller by: {@code jwt:} and the {@code sub}
   * claim (characters other than letters, digits and {@code . _ - @ : +} replaced by {@code _}, at most 64),
   * or, without a string {@code sub}, {@code jwt-} and 8 hex digits of the token's SHA-256. Never the token.
   */
  public static String callerId(Object subject, String token) {
    if (subject instanceof String sub && !sub.isBlank()) {
      String safe = sub.replaceAll("[^A-Za-z0-9._@:+-]", "_");
      return "jwt:" + (safe.length() > MAX_SUBJECT_IN_ID ? safe.substring(0, MAX_SUBJECT_IN_ID) : safe);
    }
    return "jwt-" + HexFormat.of().formatHex(sha256(token.getBytes(StandardCharsets.UTF_8)), 0, 4);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
