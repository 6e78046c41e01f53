package io.mastermind.node;

import io.mastermind.cluster.ClusterOptions;
import io.mastermind.security.ClusterSecurity;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Node authentication settings: the secret is required beyond loopback, from the file or the environment")
class NodeAuthSettingsTest {

  private static final String SECRET = "sixteen or more bytes of secret";

  private static JsonObject clustered(String host) {
    return new JsonObject().put("cluster", new JsonObject().put("enabled", true).put("host", host));
  }

  @Test
  @DisplayName("on loopback no secret is needed and messages are not signed, as before")
  void loopbackWithoutSecret() {
    NodeSettings settings = NodeSettings.of(clustered("127.0.0.1"), null, Map.of());
    assertThat(settings.clusterOptions().security(settings.nodeId()).signing()).isFalse();
  }

  @Test
  @DisplayName("a cluster bound beyond loopback without a secret is refused, naming the setting and the variable")
  void secretRequiredBeyondLoopback() {
    for (String host : new String[] {"10.1.2.3", "0.0.0.0"}) {
      assertThatThrownBy(() -> NodeSettings.of(clustered(host), null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster.secret").hasMessageContaining("MASTERMIND_CLUSTER_SECRET").hasMessageContaining(host);
    }
    NodeSettings standalone = NodeSettings.of(new JsonObject().put("cluster", new JsonObject().put("host", "10.1.2.3")), null, Map.of());
    assertThat(standalone.clustered()).as("not clustered: nothing binds that address").isFalse();
  }

  @Test
  @DisplayName("MASTERMIND_CLUSTER_SECRET beats the file; with it the node signs with the cluster secret")
  void secretFromEnvironment() {
    JsonObject file = clustered("10.1.2.3");
    file.getJsonObject("cluster").put("secret", "the file's secret, long enough");
    NodeSettings settings = NodeSettings.of(file, null, Map.of("MASTERMIND_CLUSTER_SECRET", SECRET));
    assertThat(settings.clusterOptions().getSecret()).isEqualTo(SECRET);
    ClusterSecurity security = settings.clusterOptions().security(settings.nodeId());
    assertThat(security.signing()).isTrue();
    assertThat(settings.clusterOptions().toJson().getString("secret")).as("never printed").isEqualTo("***");
  }

  @Test
  @DisplayName("a short secret, a malformed node key, or both a secret and a node key are refused")
  void badSecrets() {
    assertThatThrownBy(() -> NodeSettings.of(clustered("10.1.2.3"), null, Map.of("MASTERMIND_CLUSTER_SECRET", "short")))
      .hasMessageContaining("cluster.secret must be at least 16 bytes");
    assertThatThrownBy(() -> NodeSettings.of(clustered("10.1.2.3"), null, Map.of("MASTERMIND_CLUSTER_NODEKEY", "abcd")))
      .hasMessageContaining("cluster.nodeKey");
    assertThatThrownBy(() -> NodeSettings.of(clustered("127.0.0.1"), null,
      Map.of("MASTERMIND_CLUSTER_SECRET", SECRET, "MASTERMIND_CLUSTER_NODEKEY", "ab".repeat(32))))
      .hasMessageContaining("not both");
  }

  @Test
  @DisplayName("a node key from MASTERMIND_CLUSTER_NODEKEY is enough beyond loopback")
  void nodeKeyFromEnvironment() {
    String key = io.mastermind.security.EnvelopeSigner.nodeKeyHex(SECRET, "w7");
    NodeSettings settings = NodeSettings.of(clustered("10.1.2.3").put("nodeId", "w7"), null, Map.of("MASTERMIND_CLUSTER_NODEKEY", key));
    assertThat(settings.clusterOptions().security("w7").signing()).isTrue();
  }

  @Test
  @DisplayName("cluster.tls needs a key and the CA, files that exist; then the event bus requires client certificates")
  void tls(@TempDir Path dir) throws Exception {
    Path store = Files.writeString(dir.resolve("node.p12"), "x");
    Path trust = Files.writeString(dir.resolve("trust.p12"), "x");
    JsonObject onlyKey = clustered("127.0.0.1");
    onlyKey.getJsonObject("cluster").put("tls", new JsonObject().put("keyStorePath", store.toString()));
    assertThatThrownBy(() -> NodeSettings.of(onlyKey, null, Map.of())).hasMessageContaining("cluster CA");
    JsonObject missing = clustered("127.0.0.1");
    missing.getJsonObject("cluster").put("tls", new JsonObject().put("keyStorePath", dir.resolve("nope.p12").toString())
      .put("trustStorePath", trust.toString()));
    assertThatThrownBy(() -> NodeSettings.of(missing, null, Map.of())).hasMessageContaining("cluster.tls.keyStorePath");

    ClusterOptions options = new ClusterOptions(new JsonObject().put("tls", new JsonObject().put("keyStorePath", store.toString())
      .put("keyStorePassword", "p").put("trustStorePath", trust.toString()).put("trustStorePassword", "p")));
    EventBusOptions bus = options.getTls().applyTo(new EventBusOptions());
    assertThat(bus.isSsl()).isTrue();
    assertThat(bus.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
    assertThat(options.toJson().getJsonObject("tls").getString("keyStorePassword")).isEqualTo("***");
    assertThat(new ClusterOptions().getTls().applyTo(new EventBusOptions()).isSsl()).as("off unless asked for").isFalse();
  }

  @Test
  @DisplayName("GET /api/v1/cluster shows the cluster name standalone or with tokens, not on a clustered node open to anyone")
  void clusterNameShown() {
    assertThat(NodeSettings.of(null, null, Map.of()).coordinatorOptions().isClusterNameShown()).isTrue();
    assertThat(NodeSettings.of(clustered("127.0.0.1"), null, Map.of()).coordinatorOptions().isClusterNameShown()).isFalse();
    assertThat(NodeSettings.of(clustered("127.0.0.1").put("apiTokens", new JsonArray().add("t0ken")), null, Map.of())
      .coordinatorOptions().isClusterNameShown()).isTrue();
  }
}
