package io.mastermind.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.EndpointQualifier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("The Hazelcast config opens the member protocol only, on the cluster host")
@Timeout(60)
class HazelcastConfigFactoryTest {

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  @DisplayName("one member endpoint bound to the cluster host; no client, REST or memcache endpoint; no multicast, Jet or phone-home")
  void memberOnly() {
    Config config = HazelcastConfigFactory.create(new ClusterOptions().setPort(5799), "n1", Set.of("worker"));
    var network = config.getAdvancedNetworkConfig();
    assertThat(network.isEnabled()).isTrue();
    assertThat(network.getEndpointConfigs()).containsOnlyKeys(EndpointQualifier.MEMBER);
    ServerSocketEndpointConfig member = (ServerSocketEndpointConfig) network.getEndpointConfigs().get(EndpointQualifier.MEMBER);
    assertThat(member.getPort()).isEqualTo(5799);
    assertThat(member.getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    assertThat(network.getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(network.getJoin().getTcpIpConfig().isEnabled()).isTrue();
    assertThat(config.getJetConfig().isEnabled()).isFalse();
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.socket.client.bind.any")).isEqualTo("false");
  }

  @Test
  @DisplayName("a Hazelcast client that knows the cluster name is refused at the member port")
  void clientRefused() throws Exception {
    int port = freePort();
    String name = "mm-hz-" + UUID.randomUUID();
    HazelcastInstance member = Hazelcast.newHazelcastInstance(
      HazelcastConfigFactory.create(new ClusterOptions().setName(name).setPort(port), "n1", Set.of("worker")));
    try {
      ClientConfig client = new ClientConfig().setClusterName(name);
      client.getNetworkConfig().addAddress("127.0.0.1:" + port);
      client.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(1_500);
      assertThatThrownBy(() -> HazelcastClient.newHazelcastClient(client).shutdown()).isInstanceOf(IllegalStateException.class);
      assertThat(member.getCluster().getMembers()).hasSize(1);
    } finally {
      member.shutdown();
    }
  }
}
