package io.mastermind.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.EndpointQualifier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("The Hazelcast config opens the member protocol only, on the cluster host")
@Timeout(60)
class HazelcastConfigFactoryTest {


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
  @DisplayName("one Hazelcast I/O thread each way on a machine of 2 cores or fewer, Hazelcast's default on larger ones or when -D sets it")
  void ioThreadsBySize() {
    assertThat(HazelcastConfigFactory.ioThreads(1, null)).isEqualTo("1");
    assertThat(HazelcastConfigFactory.ioThreads(2, null)).isEqualTo("1");
    assertThat(HazelcastConfigFactory.ioThreads(4, null)).isNull();
    assertThat(HazelcastConfigFactory.ioThreads(2, "3")).as("the operator's -D wins").isNull();
    Config config = HazelcastConfigFactory.create(new ClusterOptions(), "n1", Set.of("worker"));
    assertThat(config.getProperty(HazelcastConfigFactory.IO_THREADS))
      .isEqualTo(HazelcastConfigFactory.ioThreads(Runtime.getRuntime().availableProcessors(), System.getProperty("hazelcast.io.thread.count")));
  }

  @Test
  @DisplayName("a Hazelcast client that knows the cluster name is refused at the member port")
  void clientRefused() throws Exception {
    int port = LoopbackPorts.free();
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

  @Test
  @DisplayName("cluster.discovery tcp (the default): TCP/IP join with the seeds, or this member alone; nothing else")
  void tcpDiscovery() {
    JoinConfig seeds = HazelcastConfigFactory.create(new ClusterOptions(new JsonObject()
      .put("join", new JsonArray().add("10.0.0.1:5701").add("10.0.0.2:5701"))), "n1", Set.of("worker"))
      .getAdvancedNetworkConfig().getJoin();
    assertThat(seeds.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(seeds.getTcpIpConfig().getMembers()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
    assertThat(seeds.getMulticastConfig().isEnabled()).isFalse();
    assertThat(seeds.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(seeds.getAutoDetectionConfig().isEnabled()).isFalse();
    JoinConfig alone = HazelcastConfigFactory.create(new ClusterOptions().setPort(5790), "n1", Set.of("worker"))
      .getAdvancedNetworkConfig().getJoin();
    assertThat(alone.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:5790");
  }

  @Test
  @DisplayName("cluster.discovery multicast: multicast join only, in loopback mode on a loopback host")
  void multicastDiscovery() {
    JoinConfig join = HazelcastConfigFactory.create(new ClusterOptions(new JsonObject().put("discovery", "multicast")),
      "n1", Set.of("worker")).getAdvancedNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isTrue();
    assertThat(join.getMulticastConfig().isLoopbackModeEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
  }

  @Test
  @DisplayName("cluster.discovery kubernetes: Hazelcast's Kubernetes discovery by service DNS, or by service name and namespace")
  void kubernetesDiscovery() {
    JoinConfig dns = HazelcastConfigFactory.create(new ClusterOptions(new JsonObject().put("discovery", "kubernetes")
        .put("kubernetes", new JsonObject().put("serviceDns", "mastermind-hz.mm.svc.cluster.local").put("servicePort", 5701))),
      "n1", Set.of("worker")).getAdvancedNetworkConfig().getJoin();
    assertThat(dns.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(dns.getKubernetesConfig().getProperty("service-dns")).isEqualTo("mastermind-hz.mm.svc.cluster.local");
    assertThat(dns.getKubernetesConfig().getProperty("service-port")).isEqualTo("5701");
    assertThat(dns.getKubernetesConfig().getProperty("service-name")).isNull();
    assertThat(dns.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(dns.getMulticastConfig().isEnabled()).isFalse();

    JoinConfig api = HazelcastConfigFactory.create(new ClusterOptions(new JsonObject().put("discovery", "KUBERNETES")
        .put("kubernetes", new JsonObject().put("serviceName", "mastermind-hz").put("namespace", "mm"))),
      "n1", Set.of("worker")).getAdvancedNetworkConfig().getJoin();
    assertThat(api.getKubernetesConfig().getProperty("service-name")).isEqualTo("mastermind-hz");
    assertThat(api.getKubernetesConfig().getProperty("namespace")).isEqualTo("mm");
    assertThat(api.getKubernetesConfig().getProperty("service-dns")).isNull();
  }

  @Test
  @DisplayName("discovery settings that do not go together are refused, naming the key")
  void discoveryRefused() {
    assertThatThrownBy(() -> new ClusterOptions(new JsonObject().put("discovery", "gossip")))
      .hasMessageContaining("cluster.discovery must be tcp, multicast or kubernetes");
    assertThatThrownBy(() -> new ClusterOptions(new JsonObject().put("discovery", "kubernetes")))
      .hasMessageContaining("cluster.kubernetes.serviceDns");
    assertThatThrownBy(() -> new ClusterOptions(new JsonObject().put("discovery", "kubernetes")
      .put("kubernetes", new JsonObject().put("serviceDns", "a").put("serviceName", "b"))))
      .hasMessageContaining("one of them");
    assertThatThrownBy(() -> new ClusterOptions(new JsonObject().put("discovery", "multicast")
      .put("join", new JsonArray().add("10.0.0.1:5701")))).hasMessageContaining("cluster.join");
  }
}
