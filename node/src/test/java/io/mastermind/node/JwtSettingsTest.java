package io.mastermind.node;

import io.mastermind.gateway.GatewayOptions;
import io.mastermind.testsupport.TestIssuer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("http.jwt in the node config: read with the rest, a bad one stops the node with exit 2")
class JwtSettingsTest {

  @TempDir
  Path dir;

  static JsonObject jwt(JsonObject section) {
    return new JsonObject().put("http", new JsonObject().put("jwt", section));
  }

  @Test
  @DisplayName("off by default; a key file from the config is read; JWTs alone let the gateway bind beyond loopback")
  void configured() throws Exception {
    assertThat(NodeSettings.of(null, null, Map.of()).gatewayOptions().getJwt()).isNull();
    Vertx vertx = Vertx.vertx();
    try {
      Path key = Files.writeString(dir.resolve("idp.pem"), TestIssuer.rsa(vertx).publicPem());
      JsonObject file = new JsonObject().put("http", new JsonObject().put("host", "0.0.0.0")
        .put("jwt", new JsonObject().put("publicKeyPaths", new JsonArray().add(key.toString())).put("audience", "mastermind")));
      GatewayOptions gateway = NodeSettings.of(file, null, Map.of()).gatewayOptions();
      assertThat(gateway.getJwt().getVerificationKeys()).hasSize(1);
      assertThat(gateway.getJwt().getAudience()).containsExactly("mastermind");
      assertThat(gateway.isAuthenticationOn()).isTrue();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("a bad PEM, a short secret, an unknown key: mastermind: bad config: ... naming the setting, exit 2")
  void badConfigExits2() throws Exception {
    assertThatThrownBy(() -> NodeSettings.of(jwt(new JsonObject().put("hmacSecret", "too-short")), null, Map.of()))
      .hasMessageContaining("http.jwt.hmacSecret");
    assertThatThrownBy(() -> NodeSettings.of(jwt(new JsonObject().put("hmacSecret", "0123456789abcdef0123456789abcdef")
      .put("leeway", 10)), null, Map.of())).hasMessageContaining("unknown key 'http.jwt.leeway'")
      .hasMessageContaining("did you mean 'http.jwt.leewaySeconds'");
    Path conf = Files.writeString(dir.resolve("node.json"),
      jwt(new JsonObject().put("publicKeys", new JsonArray().add("-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----"))).encode());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    int exit;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      exit = Main.commandLine().execute("node", "--conf", conf.toString(), "--http-port", "0");
    } finally {
      System.setErr(original);
    }
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("mastermind: bad config: http.jwt.publicKeys[0]");
  }
}
