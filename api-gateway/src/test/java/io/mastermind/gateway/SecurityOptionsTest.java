package io.mastermind.gateway;

import io.mastermind.gateway.security.Scope;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Gateway security settings: token entries, the loopback-only default, TLS, rate limits, slow-down")
class SecurityOptionsTest {

  @Test
  @DisplayName("apiTokens entries are strings (every scope) or {token, scopes, name}")
  void tokenEntries() {
    GatewayOptions options = new GatewayOptions(new JsonObject().put("apiTokens", new JsonArray()
      .add("full-access-token")
      .add(new JsonObject().put("token", "reader-token").put("scopes", new JsonArray().add("read")))
      .add(new JsonObject().put("token", "ci-token").put("scopes", new JsonArray().add("read").add("SUBMIT")).put("name", "ci"))));
    assertThat(options.getApiTokens()).hasSize(3);
    assertThat(options.getApiTokens().get(0).scopes()).isEqualTo(Scope.ALL);
    assertThat(options.getApiTokens().get(1).scopes()).containsExactly(Scope.READ);
    assertThat(options.getApiTokens().get(2).scopes()).containsExactlyInAnyOrder(Scope.READ, Scope.SUBMIT);
    assertThat(options.getApiTokens().get(2).id()).isEqualTo("ci");
    assertThat(options.toJson().encode()).doesNotContain("reader-token").doesNotContain("full-access-token");
    assertThat(options.toJson().getJsonArray("apiTokens").getJsonObject(2))
      .isEqualTo(new JsonObject().put("name", "ci").put("scopes", new JsonArray().add("read").add("submit")));
    assertThatThrownBy(() -> new GatewayOptions(options.toJson())).as("no secrets, so no tokens").hasMessageContaining("token");
  }

  @Test
  @DisplayName("\"\" and null tokens are refused at start instead of becoming valid tokens, and so are other mistakes")
  void badTokens() {
    assertThatThrownBy(() -> tokens(new JsonArray().add(""))).hasMessageContaining("apiTokens[0]")
      .hasMessageContaining("must not be empty or null");
    assertThatThrownBy(() -> tokens(new JsonArray().add("ok-token").addNull())).hasMessageContaining("apiTokens[1]")
      .hasMessageContaining("must not be null");
    assertThatThrownBy(() -> tokens(new JsonArray().add(42))).hasMessageContaining("apiTokens[0]");
    assertThatThrownBy(() -> tokens(new JsonArray().add(new JsonObject().put("token", "")))).hasMessageContaining("empty");
    assertThatThrownBy(() -> tokens(new JsonArray().add(new JsonObject().putNull("token")))).hasMessageContaining("apiTokens[0].token");
    assertThatThrownBy(() -> tokens(new JsonArray().add(new JsonObject().put("token", "t1").put("scope", new JsonArray().add("read")))))
      .hasMessageContaining("unknown key 'scope'");
    assertThatThrownBy(() -> tokens(new JsonArray().add(new JsonObject().put("token", "t1").put("scopes", new JsonArray()))))
      .hasMessageContaining("at least one");
    assertThatThrownBy(() -> tokens(new JsonArray().add(new JsonObject().put("token", "t1").put("scopes", "read"))))
      .hasMessageContaining("apiTokens[0].scopes");
    assertThatThrownBy(() -> tokens(new JsonArray().add("same-token").add("same-token"))).hasMessageContaining("same token");
  }

  @Test
  @DisplayName("without tokens the gateway stays on loopback unless http.allowUnauthenticated says otherwise")
  void exposure() {
    assertThat(new GatewayOptions(new JsonObject()).getHost()).isEqualTo("127.0.0.1");
    new GatewayOptions(new JsonObject().put("host", "localhost")).checkExposure();
    new GatewayOptions(new JsonObject().put("host", "::1")).checkExposure();
    for (String host : new String[] {"0.0.0.0", "10.0.0.11", "gateway.example.com", "::"}) {
      assertThatThrownBy(() -> new GatewayOptions(new JsonObject().put("host", host)).checkExposure())
        .hasMessageContaining("http.host is " + host).hasMessageContaining("apiTokens")
        .hasMessageContaining("http.allowUnauthenticated");
    }
    new GatewayOptions(new JsonObject().put("host", "0.0.0.0").put("allowUnauthenticated", true)).checkExposure();
    new GatewayOptions(new JsonObject().put("host", "0.0.0.0").put("apiTokens", new JsonArray().add("t0k3n"))).checkExposure();
    GatewayOptions programmatic = new GatewayOptions().setHost("0.0.0.0");
    assertThatThrownBy(programmatic::checkExposure).hasMessageContaining("http.host is 0.0.0.0");
  }

  @Test
  @DisplayName("allowedOrigins must be origins; allowedHosts and allowedOrigins stay null (automatic) unless set")
  void allowLists() {
    GatewayOptions defaults = new GatewayOptions(new JsonObject());
    assertThat(defaults.getAllowedOrigins()).isNull();
    assertThat(defaults.getAllowedHosts()).isNull();
    GatewayOptions listed = new GatewayOptions(new JsonObject().put("allowedOrigins", new JsonArray().add("https://a.example"))
      .put("allowedHosts", new JsonArray().add("a.example")));
    assertThat(listed.getAllowedOrigins()).containsExactly("https://a.example");
    assertThat(new GatewayOptions(listed.toJson().put("apiTokens", new JsonArray())).getAllowedHosts()).containsExactly("a.example");
    assertThatThrownBy(() -> new GatewayOptions(new JsonObject().put("allowedOrigins", new JsonArray().add("a.example"))))
      .hasMessageContaining("http.allowedOrigins");
    assertThatThrownBy(() -> new GatewayOptions(new JsonObject().put("allowedHosts", new JsonArray().add(""))))
      .hasMessageContaining("http.allowedHosts");
  }

  @Test
  @DisplayName("rate limits are off by default; the burst defaults to twice the rate")
  void rateLimit() {
    RateLimitOptions off = new GatewayOptions(new JsonObject()).getRateLimit();
    assertThat(off.isEnabled()).isFalse();
    RateLimitOptions on = new RateLimitOptions(new JsonObject().put("requestsPerSecond", 50));
    assertThat(on.isEnabled()).isTrue();
    assertThat(on.effectiveBurst()).isEqualTo(100);
    assertThat(on.setBurst(7).effectiveBurst()).isEqualTo(7);
    assertThatThrownBy(() -> on.setRequestsPerSecond(-1)).hasMessageContaining("http.rateLimit.requestsPerSecond");
    assertThatThrownBy(() -> on.setRequestsPerSecond(Double.NaN)).hasMessageContaining("http.rateLimit.requestsPerSecond");
  }

  @Test
  @DisplayName("the slow-down defaults to 10 failures a minute, then one attempt a second")
  void authFailures() {
    AuthFailureOptions options = new GatewayOptions(new JsonObject()).getAuthFailures();
    assertThat(options.getMax()).isEqualTo(10);
    assertThat(options.getWindowMs()).isEqualTo(60_000);
    assertThat(options.getDelayMs()).isEqualTo(1_000);
    assertThat(new AuthFailureOptions(options.toJson()).toJson()).isEqualTo(options.toJson());
    assertThatThrownBy(() -> options.setMax(0)).hasMessageContaining("http.authFailures.max");
  }

  @Test
  @DisplayName("TLS is on with PEM files or a PKCS#12 keystore, not both, and the files must be readable")
  void tls(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    Path key = Files.writeString(dir.resolve("key.pem"), "x");
    assertThat(new TlsOptions(new JsonObject()).isEnabled()).isFalse();
    TlsOptions pem = new TlsOptions(new JsonObject().put("certPath", cert.toString()).put("keyPath", key.toString()));
    assertThat(pem.isEnabled()).isTrue();
    assertThat(pem.isHttp2()).isTrue();
    TlsOptions store = new TlsOptions(new JsonObject().put("keyStorePath", cert.toString()).put("keyStorePassword", "pw"));
    assertThat(store.isEnabled()).isTrue();
    assertThat(store.toJson().getString("keyStorePassword")).isEqualTo("***");
    assertThatThrownBy(() -> new TlsOptions(new JsonObject().put("certPath", cert.toString())))
      .hasMessageContaining("certPath and keyPath go together");
    assertThatThrownBy(() -> new TlsOptions(new JsonObject().put("certPath", cert.toString()).put("keyPath", key.toString())
      .put("keyStorePath", cert.toString()))).hasMessageContaining("not both");
    assertThatThrownBy(() -> new TlsOptions(new JsonObject().put("keyStorePath", dir.resolve("missing.p12").toString())))
      .hasMessageContaining("http.tls.keyStorePath").hasMessageContaining("missing.p12");
  }

  private static GatewayOptions tokens(JsonArray entries) {
    return new GatewayOptions(new JsonObject().put("apiTokens", entries));
  }
}
