package io.mastermind.gateway;

import io.mastermind.gateway.security.Caller;
import io.mastermind.gateway.security.Scope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("JWT verification: RS256, ES256, HS256; expiry, not-before, issuer, audience; forgeries refused")
class JwtVerifierTest {

  static final String SECRET = "0123456789abcdef0123456789abcdef-hs";
  static final String ISSUER = "https://idp.test/";
  static final String AUDIENCE = "mastermind";

  static Vertx vertx;
  static KeyPair rsa;
  static KeyPair ec;
  static JwtVerifier verifier;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
    rsaGenerator.initialize(2048);
    rsa = rsaGenerator.generateKeyPair();
    KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
    ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
    ec = ecGenerator.generateKeyPair();
    verifier = new JwtVerifier(vertx, new JwtOptions(new JsonObject()
      .put("publicKeys", new JsonArray().add(pem("PUBLIC KEY", rsa.getPublic().getEncoded()))
        .add(pem("PUBLIC KEY", ec.getPublic().getEncoded())))
      .put("hmacSecret", SECRET).put("issuer", ISSUER).put("audience", AUDIENCE).put("leewaySeconds", 5)));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
      + "\n-----END " + label + "-----\n";
  }

  static JWTAuth signer(String algorithm, String key) {
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(key)));
  }

  static String rs256(JsonObject claims) {
    return signer("RS256", pem("PRIVATE KEY", rsa.getPrivate().getEncoded()))
      .generateToken(claims, new JWTOptions().setAlgorithm("RS256"));
  }

  static JsonObject valid() {
    return new JsonObject().put("sub", "alice").put("iss", ISSUER).put("aud", AUDIENCE).put("scope", "read submit")
      .put("exp", now() + 300);
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  static Future<Caller> verify(String token) {
    Future<Caller> verdict = verifier.verify(token);
    assertThat(verdict.isComplete()).as("verified on the calling thread").isTrue();
    return verdict;
  }

  static void assertRefused(String token, String reason) {
    Future<Caller> verdict = verify(token);
    assertThat(verdict.failed()).as("refused").isTrue();
    assertThat(JwtVerifier.reason(verdict.cause())).contains(reason);
  }

  @Test
  @DisplayName("RS256, ES256 and HS256 tokens each verify and carry their scopes and subject")
  void algorithms() {
    Caller caller = verify(rs256(valid())).result();
    assertThat(caller.label()).isEqualTo("jwt:alice");
    assertThat(caller.scopes()).containsExactlyInAnyOrder(Scope.READ, Scope.SUBMIT);
    String es256 = signer("ES256", pem("PRIVATE KEY", ec.getPrivate().getEncoded()))
      .generateToken(valid().put("scope", "admin"), new JWTOptions().setAlgorithm("ES256"));
    assertThat(verify(es256).result().scopes()).containsExactly(Scope.ADMIN);
    String hs256 = signer("HS256", SECRET).generateToken(valid().put("scope", new JsonArray().add("read")), new JWTOptions());
    assertThat(verify(hs256).result().scopes()).containsExactly(Scope.READ);
  }

  @Test
  @DisplayName("exp in the past beyond the leeway, nbf or iat in the future beyond it: refused; within it: accepted")
  void times() {
    assertRefused(rs256(valid().put("exp", now() - 60)), "expired");
    assertThat(verify(rs256(valid().put("exp", now() - 2))).succeeded()).as("within the leeway").isTrue();
    assertRefused(rs256(valid().put("nbf", now() + 600)), "not valid yet");
    assertRefused(rs256(valid().put("iat", now() + 600)), "not valid yet");
    assertThat(verify(rs256(valid().put("nbf", now() + 2))).succeeded()).isTrue();
    JsonObject forever = valid();
    forever.remove("exp");
    assertThat(verify(rs256(forever)).succeeded()).as("no exp: no expiry (the issuer's choice)").isTrue();
  }

  @Test
  @DisplayName("wrong issuer, wrong or missing audience: refused; any one of several audiences is enough")
  void issuerAndAudience() {
    assertRefused(rs256(valid().put("iss", "https://evil.test/")), "issuer");
    assertRefused(rs256(valid().put("aud", "other")), "audience");
    JsonObject noAudience = valid();
    noAudience.remove("aud");
    assertRefused(rs256(noAudience), "audience");
    JsonObject noIssuer = valid();
    noIssuer.remove("iss");
    assertRefused(rs256(noIssuer), "issuer");
    assertThat(verify(rs256(valid().put("aud", new JsonArray().add("other").add(AUDIENCE)))).succeeded()).isTrue();
  }

  @Test
  @DisplayName("forgeries: another key, another secret, the public key as an HMAC secret, alg none, a tampered payload")
  void forgeries() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String otherKey = signer("RS256", pem("PRIVATE KEY", generator.generateKeyPair().getPrivate().getEncoded()))
      .generateToken(valid(), new JWTOptions().setAlgorithm("RS256"));
    assertRefused(otherKey, "signature");
    assertRefused(signer("HS256", "another-secret-another-secret-0123").generateToken(valid(), new JWTOptions()), "signature");
    assertRefused(signer("HS256", pem("PUBLIC KEY", rsa.getPublic().getEncoded())).generateToken(valid(), new JWTOptions()),
      "signature");
    String[] parts = rs256(valid()).split("\\.");
    assertRefused(b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".", "not a valid signed JWT");
    assertRefused(b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + "." + parts[2], "not a valid signed JWT");
    String tampered = parts[0] + "." + b64(valid().put("scope", "admin").encode()) + "." + parts[2];
    assertRefused(tampered, "signature");
    assertRefused(b64("{\"alg\":\"PS256\"}") + "." + parts[1] + "." + parts[2], "algorithm or key");
    assertRefused(b64("{\"typ\":\"JWT\"}") + "." + parts[1] + "." + parts[2], "not a valid signed JWT");
  }

  @Test
  @DisplayName("claims of unexpected types or garbage parts fail the future instead of throwing")
  void oddTokens() {
    assertRefused(rs256(valid().put("exp", "tomorrow")), "");
    assertRefused(rs256(valid().put("aud", 42)), "");
    assertRefused(rs256(valid().put("iss", new JsonObject())), "");
    assertRefused("a.b.c", "not a valid signed JWT");
    assertRefused(b64("[]") + "." + b64("{}") + ".c2ln", "not a valid signed JWT");
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
