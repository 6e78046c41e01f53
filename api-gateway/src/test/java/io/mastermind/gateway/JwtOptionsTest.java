package io.mastermind.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("http.jwt settings: keys checked at start, defaults, unknown keys and short secrets refused")
class JwtOptionsTest {

  static final String SECRET = "0123456789abcdef0123456789abcdef";

  static KeyPair rsa;

  @TempDir
  Path dir;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    rsa = generator.generateKeyPair();
  }

  static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
      + "\n-----END " + label + "-----\n";
  }

  static String publicPem() {
    return pem("PUBLIC KEY", rsa.getPublic().getEncoded());
  }

  static GatewayOptions gateway(JsonObject jwt) {
    return new GatewayOptions(new JsonObject().put("jwt", jwt));
  }

  @Test
  @DisplayName("off unless set; a section turns authentication on, also for the loopback-only check")
  void onAndOff() {
    assertThat(new GatewayOptions(new JsonObject()).getJwt()).isNull();
    assertThat(new GatewayOptions(new JsonObject().putNull("jwt")).getJwt()).isNull();
    assertThat(new GatewayOptions(new JsonObject()).isAuthenticationOn()).isFalse();
    GatewayOptions exposed = new GatewayOptions(new JsonObject().put("host", "0.0.0.0")
      .put("jwt", new JsonObject().put("hmacSecret", SECRET)));
    assertThat(exposed.isAuthenticationOn()).isTrue();
    exposed.checkExposure(); // JWTs are authentication: no allowUnauthenticated needed
    assertThatThrownBy(() -> new GatewayOptions(new JsonObject().put("host", "0.0.0.0")).checkExposure())
      .hasMessageContaining("http.jwt");
  }

  @Test
  @DisplayName("defaults: claim scope, 30 s of leeway, any issuer and audience; the secret is never shown")
  void defaults() {
    JwtOptions jwt = gateway(new JsonObject().put("hmacSecret", SECRET)).getJwt();
    assertThat(jwt.getScopesClaim()).isEqualTo("scope");
    assertThat(jwt.getLeewaySeconds()).isEqualTo(30);
    assertThat(jwt.getIssuer()).isNull();
    assertThat(jwt.getAudience()).isEmpty();
    assertThat(jwt.getVerificationKeys()).isEmpty();
    assertThat(gateway(new JsonObject().put("hmacSecret", SECRET)).toJson().encode()).doesNotContain(SECRET);
    assertThat(jwt.toJson().getString("hmacSecret")).isEqualTo("***");
  }

  @Test
  @DisplayName("every key: PEM strings and files, issuer, one or several audiences, the claim, the leeway")
  void everything() throws Exception {
    Path file = Files.writeString(dir.resolve("idp.pem"), publicPem());
    JwtOptions jwt = gateway(new JsonObject()
      .put("publicKeys", new JsonArray().add(publicPem()))
      .put("publicKeyPaths", new JsonArray().add(file.toString()))
      .put("issuer", "https://idp.example.com/")
      .put("audience", new JsonArray().add("mastermind").add("mastermind-staging"))
      .put("scopesClaim", "scp")
      .put("leewaySeconds", 5)).getJwt();
    assertThat(jwt.getVerificationKeys()).hasSize(2).allMatch(k -> k.algorithm().equals("RS256"));
    assertThat(jwt.getIssuer()).isEqualTo("https://idp.example.com/");
    assertThat(jwt.getAudience()).containsExactly("mastermind", "mastermind-staging");
    assertThat(jwt.getScopesClaim()).isEqualTo("scp");
    assertThat(jwt.getLeewaySeconds()).isEqualTo(5);
    assertThat(gateway(new JsonObject().put("publicKeyPaths", file.toString()).put("audience", "one")).getJwt().getAudience())
      .as("a single string for a list").containsExactly("one");
  }

  @Test
  @DisplayName("config mistakes stop the start with a message naming the setting")
  void refused() throws Exception {
    assertThatThrownBy(() -> gateway(new JsonObject())).hasMessageContaining("http.jwt: give publicKeys, publicKeyPaths or hmacSecret");
    assertThatThrownBy(() -> new GatewayOptions(new JsonObject().put("jwt", "yes"))).hasMessageContaining("http.jwt: must be an object");
    assertThatThrownBy(() -> gateway(new JsonObject().put("hmacSecret", SECRET).put("issuers", "x")))
      .hasMessageContaining("http.jwt: unknown key 'issuers'");
    assertThatThrownBy(() -> gateway(new JsonObject().put("hmacSecret", "short-secret")))
      .hasMessageContaining("http.jwt.hmacSecret: 12 bytes").hasMessageContaining("at least 32");
    assertThatThrownBy(() -> gateway(new JsonObject().put("hmacSecret", 42))).hasMessageContaining("http.jwt.hmacSecret");
    assertThatThrownBy(() -> gateway(new JsonObject().put("publicKeys", new JsonArray().add("garbage"))))
      .hasMessageContaining("http.jwt.publicKeys[0]: not a PEM public key");
    assertThatThrownBy(() -> gateway(new JsonObject().put("publicKeys", new JsonArray().add(7))))
      .hasMessageContaining("http.jwt.publicKeys: every entry must be a string");
    assertThatThrownBy(() -> gateway(new JsonObject().put("publicKeyPaths", new JsonArray().add(dir.resolve("none.pem").toString()))))
      .hasMessageContaining("http.jwt.publicKeyPaths[0]: cannot read");
    Path der = Files.write(dir.resolve("key.der"), rsa.getPublic().getEncoded());
    assertThatThrownBy(() -> gateway(new JsonObject().put("publicKeyPaths", der.toString())))
      .hasMessageContaining("http.jwt.publicKeyPaths[0]").hasMessageContaining("not a PEM public key");
    Path privateKey = Files.writeString(dir.resolve("private.pem"), pem("PRIVATE KEY", rsa.getPrivate().getEncoded()));
    assertThatThrownBy(() -> gateway(new JsonObject().put("publicKeyPaths", privateKey.toString())))
      .hasMessageContaining("private key");
    assertThatThrownBy(() -> gateway(new JsonObject().put("hmacSecret", SECRET).put("leewaySeconds", -1)))
      .hasMessageContaining("http.jwt.leewaySeconds");
    assertThatThrownBy(() -> gateway(new JsonObject().put("hmacSecret", SECRET).put("leewaySeconds", 2.5)))
      .hasMessageContaining("http.jwt.leewaySeconds");
    assertThatThrownBy(() -> gateway(new JsonObject().put("hmacSecret", SECRET).put("leewaySeconds", "30")))
      .hasMessageContaining("http.jwt.leewaySeconds");
    assertThatThrownBy(() -> gateway(new JsonObject().put("hmacSecret", SECRET).put("issuer", "")))
      .hasMessageContaining("http.jwt.issuer");
    assertThatThrownBy(() -> gateway(new JsonObject().put("hmacSecret", SECRET).put("audience", new JsonArray().add(" "))))
      .hasMessageContaining("http.jwt.audience");
    assertThatThrownBy(() -> gateway(new JsonObject().put("hmacSecret", SECRET).put("scopesClaim", new JsonArray())))
      .hasMessageContaining("http.jwt.scopesClaim");
  }
}
