package io.mastermind.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * One configured API token and its scopes. {@link #id()} names it in logs, alerts and metrics so that the
 * secret itself never appears there: the configured {@code name}, else {@code token-} and the first 8
 * hex digits of its SHA-256.
 */
public final class ApiToken {

  /** Shorter tokens are accepted but warned about at start: they are guessable. */
  public static final int RECOMMENDED_MIN_LENGTH = 16;

  private final byte[] secret;
  private final Set<Scope> scopes;
  private final String id;

  /**
   * @param name  shown instead of the secret; null to derive one
   * @param where names the setting in messages, e.g. {@code apiTokens[1]}
   * @throws IllegalArgumentException for a null, empty or blank token, or no scopes
   */
  public ApiToken(String secret, Set<Scope> scopes, String name, String where) {
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException(where + ": an API token must not be empty or null"
        + " (it would let anyone in who sends an empty token); remove the entry or give a secret");
    }
    if (!secret.equals(secret.strip())) {
      throw new IllegalArgumentException(where + ": an API token must not start or end with white space");
    }
    if (scopes == null || scopes.isEmpty()) {
      throw new IllegalArgumentException(where + ": scopes must name at least one of " + Scope.names());
    }
    if (name != null && !name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(where + ": name must be 1-64 letters, digits, '.', '_' or '-'");
    }
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.scopes = Set.copyOf(EnumSet.copyOf(scopes));
    this.id = name != null ? name : "token-" + HexFormat.of().formatHex(sha256(this.secret), 0, 4);
  }

  /** A token as the environment gives it, before it becomes a config entry. */
  public record EnvEntry(String secret, Set<Scope> scopes) {
    /** Never the secret. */
    @Override
    public String toString() {
      return "EnvEntry" + scopes;
    }
  }

  /**
   * One entry of {@code MASTERMIND_API_TOKENS}: {@code token} (every scope) or {@code token:scope+scope}.
   *
   * @param where names the entry in messages
   * @throws IllegalArgumentException for an empty token or an unknown scope
   */
  public static EnvEntry parseEnvEntry(String entry, String where) {
    String text = entry == null ? "" : entry.strip();
    int colon = text.lastIndexOf(':');
    Set<Scope> scopes = Scope.ALL;
    if (colon >= 0) {
      scopes = EnumSet.noneOf(Scope.class);
      for (String scope : text.substring(colon + 1).split("\\+", -1)) {
        scopes.add(Scope.parse(scope, where));
      }
      text = text.substring(0, colon);
    }
    new ApiToken(text, scopes, null, where); // validates
    return new EnvEntry(text, Set.copyOf(scopes));
  }

  public String id() {
    return id;
  }

  public Set<Scope> scopes() {
    return scopes;
  }

  public int length() {
    return secret.length;
  }

  /** Constant time in the length of the presented token, so timing does not tell how much of it matched. */
  boolean matches(byte[] presented) {
    return MessageDigest.isEqual(secret, presented);
  }

  boolean sameSecret(ApiToken other) {
    return MessageDigest.isEqual(secret, other.secret);
  }

  /** Never the secret. */
  @Override
  public String toString() {
    return id + scopes;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
