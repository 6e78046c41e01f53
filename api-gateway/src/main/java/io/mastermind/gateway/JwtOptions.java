package io.mastermind.gateway;

import io.mastermind.gateway.security.JwtClaims;
import io.mastermind.gateway.security.PemPublicKeys;
import io.mastermind.gateway.security.PemPublicKeys.VerificationKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * JWT bearer tokens, the {@code http.jwt} section (off when absent or null): for deployments whose
 * identity provider already issues tokens. A JWT is accepted when it is signed by one of the configured
 * keys ({@code publicKeys} / {@code publicKeyPaths}: PEM, RS256 or ES256; {@code hmacSecret}: HS256, 32
 * bytes or more), is within its {@code exp}/{@code nbf}/{@code iat} (give or take {@code leewaySeconds}),
 * and, when they are set, names the {@code issuer} and one of the {@code audience}. Its scopes come from
 * {@code scopesClaim} ({@link JwtClaims}). Everything is checked here, at start: an unreadable or wrong key,
 * a short secret or an unknown key is a config error naming the setting.
 */
public final class JwtOptions {

  public static final int DEFAULT_LEEWAY_SECONDS = 30;
  /** More would make {@code exp} meaningless. */
  public static final int MAX_LEEWAY_SECONDS = 3600;
  /** RFC 7518 section 3.2: an HS256 key at least as long as the hash. */
  public static final int MIN_HMAC_SECRET_BYTES = 32;

  private static final String WHERE = "http.jwt";
  private static final String PUBLIC_KEYS = "publicKeys";
  private static final String PUBLIC_KEY_PATHS = "publicKeyPaths";
  private static final String HMAC_SECRET = "hmacSecret";
  private static final String ISSUER = "issuer";
  private static final String AUDIENCE = "audience";
  private static final String SCOPES_CLAIM = "scopesClaim";
  private static final String LEEWAY_SECONDS = "leewaySeconds";
  private static final Set<String> KEYS =
    Set.of(PUBLIC_KEYS, PUBLIC_KEY_PATHS, HMAC_SECRET, ISSUER, AUDIENCE, SCOPES_CLAIM, LEEWAY_SECONDS);

  private final List<String> publicKeys;
  private final List<String> publicKeyPaths;
  private final String hmacSecret;
  private final String issuer;
  private final List<String> audience;
  private final String scopesClaim;
  private final int leewaySeconds;
  private final List<VerificationKey> verificationKeys;

  /**
   * From the {@code http.jwt} section; reads the key files.
   *
   * @throws IllegalArgumentException naming the setting
   */
  public JwtOptions(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(WHERE + ": unknown key '" + key + "' (known: " + PUBLIC_KEYS + ", "
          + PUBLIC_KEY_PATHS + ", " + HMAC_SECRET + ", " + ISSUER + ", " + AUDIENCE + ", " + SCOPES_CLAIM + ", "
          + LEEWAY_SECONDS + ")");
      }
    }
    publicKeys = strings(json.getValue(PUBLIC_KEYS), PUBLIC_KEYS, false);
    publicKeyPaths = strings(json.getValue(PUBLIC_KEY_PATHS), PUBLIC_KEY_PATHS, true);
    hmacSecret = optionalString(json.getValue(HMAC_SECRET), HMAC_SECRET);
    issuer = optionalString(json.getValue(ISSUER), ISSUER);
    audience = strings(json.getValue(AUDIENCE), AUDIENCE, true);
    String claim = optionalString(json.getValue(SCOPES_CLAIM), SCOPES_CLAIM);
    scopesClaim = claim == null ? JwtClaims.DEFAULT_SCOPES_CLAIM : claim.strip();
    leewaySeconds = leeway(json.getValue(LEEWAY_SECONDS));

    List<VerificationKey> keys = new ArrayList<>();
    for (int i = 0; i < publicKeys.size(); i++) {
      keys.addAll(PemPublicKeys.parse(publicKeys.get(i), WHERE + "." + PUBLIC_KEYS + "[" + i + "]"));
    }
    for (int i = 0; i < publicKeyPaths.size(); i++) {
      String where = WHERE + "." + PUBLIC_KEY_PATHS + "[" + i + "]";
      keys.addAll(PemPublicKeys.parse(read(publicKeyPaths.get(i), where), where + " (" + publicKeyPaths.get(i) + ")"));
    }
    verificationKeys = List.copyOf(keys);
    if (hmacSecret != null && hmacSecret.getBytes(StandardCharsets.UTF_8).length < MIN_HMAC_SECRET_BYTES) {
      throw new IllegalArgumentException(WHERE + "." + HMAC_SECRET + ": " + hmacSecret.getBytes(StandardCharsets.UTF_8).length
        + " bytes; HS256 needs at least " + MIN_HMAC_SECRET_BYTES + " (make one with openssl rand -hex 32)");
    }
    if (verificationKeys.isEmpty() && hmacSecret == null) {
      throw new IllegalArgumentException(WHERE + ": give " + PUBLIC_KEYS + ", " + PUBLIC_KEY_PATHS + " or " + HMAC_SECRET
        + " (a JWT is accepted only when one of them verifies its signature), or remove " + WHERE);
    }
  }

  /** The {@code http.jwt} value: null (or absent) turns JWTs off; anything but an object is refused. */
  static JwtOptions fromConfig(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject json)) {
      throw new IllegalArgumentException(WHERE + ": must be an object such as {\"" + PUBLIC_KEY_PATHS
        + "\": [\"conf/idp.pem\"], \"" + ISSUER + "\": \"https://idp.example.com/\"}, or null for no JWTs");
    }
    return new JwtOptions(json);
  }

  /** The secret is never shown. */
  public JsonObject toJson() {
    return new JsonObject().put(PUBLIC_KEYS, new JsonArray(publicKeys)).put(PUBLIC_KEY_PATHS, new JsonArray(publicKeyPaths))
      .put(HMAC_SECRET, hmacSecret == null ? null : "***").put(ISSUER, issuer)
      .put(AUDIENCE, audience.isEmpty() ? null : new JsonArray(audience)).put(SCOPES_CLAIM, scopesClaim)
      .put(LEEWAY_SECONDS, leewaySeconds);
  }

  /** The PEM keys, checked and each with its algorithm (RS256 or ES256). */
  public List<VerificationKey> getVerificationKeys() {
    return verificationKeys;
  }

  /** Null: no HS256. */
  public String getHmacSecret() {
    return hmacSecret;
  }

  /** Null: any issuer. */
  public String getIssuer() {
    return issuer;
  }

  /** Empty: any audience; else the token's {@code aud} must name one of these. */
  public List<String> getAudience() {
    return audience;
  }

  public String getScopesClaim() {
    return scopesClaim;
  }

  public int getLeewaySeconds() {
    return leewaySeconds;
  }

  private static List<String> strings(Object value, String key, boolean strip) {
    if (value == null) {
      return List.of();
    }
    List<String> list = new ArrayList<>();
    if (value instanceof String text) {
      list.add(text);
    } else if (value instanceof JsonArray array) {
      for (Object entry : array) {
        if (!(entry instanceof String text)) {
          throw new IllegalArgumentException(WHERE + "." + key + ": every entry must be a string");
        }
        list.add(text);
      }
    } else {
      throw new IllegalArgumentException(WHERE + "." + key + ": must be a string or a list of strings");
    }
    List<String> result = new ArrayList<>();
    for (String text : list) {
      if (text.isBlank()) {
        throw new IllegalArgumentException(WHERE + "." + key + ": an entry is empty");
      }
      result.add(strip ? text.strip() : text);
    }
    return List.copyOf(result);
  }

  private static String optionalString(Object value, String key) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text) || text.isBlank()) {
      throw new IllegalArgumentException(WHERE + "." + key + ": must be a non-empty string");
    }
    return text;
  }

  private static int leeway(Object value) {
    if (value == null) {
      return DEFAULT_LEEWAY_SECONDS;
    }
    if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
      || number.longValue() < 0 || number.longValue() > MAX_LEEWAY_SECONDS) {
      throw new IllegalArgumentException(WHERE + "." + LEEWAY_SECONDS + ": must be a whole number of seconds, 0 to "
        + MAX_LEEWAY_SECONDS);
    }
    return number.intValue();
  }

  /** Latin-1, so that any bytes read: a binary (DER) file is then refused as "not a PEM public key". */
  private static String read(String path, String where) {
    try {
      return Files.readString(Path.of(path), StandardCharsets.ISO_8859_1);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(where + ": cannot read " + path);
    }
  }
}
