package io.mastermind.cluster;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.KubernetesConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

import java.util.List;
import java.util.Set;

/**
 * The Hazelcast config of a node, pinned down: Vert.x's own map settings, then bound to one interface,
 * one discovery ({@code cluster.discovery}: TCP/IP join with the configured members by default, multicast
 * or Kubernetes when chosen), auto-detection off, no phone-home, joining at
 * once, and heartbeats tuned so a dead member is dropped in seconds, not a minute.
 *
 * <p>Exposure, as far as open-source Hazelcast allows: the advanced network config opens one server
 * socket, for the member protocol only, so the port answers no Hazelcast client (a client could read
 * and write the task maps with just the cluster name), no REST and no memcache; Jet is off. What it
 * cannot do: authenticate or encrypt member connections (Enterprise features). A process that reaches
 * the member port and knows the cluster name joins as a member and can read and write every map;
 * keep that port on a private network (docs/security.md).
 */
public final class HazelcastConfigFactory {

  /** Member attribute: the node id of the member. */
  public static final String NODE_ID_ATTRIBUTE = "mastermind.nodeId";
  /** Member attribute: comma-separated roles, e.g. {@code coordinator,gateway}. */
  public static final String ROLES_ATTRIBUTE = "mastermind.roles";
  /**
   * Task records, one entry per group-commit flush (see {@link HazelcastTaskStore}), with
   * {@value #BACKUP_COUNT} synchronous backups: a flush holds many tasks, and with one backup a worker
   * and the leader dying within the second Hazelcast needs to re-create backups lost whole flushes
   * (seen by scripts/chaos.sh with kills 0.6 s apart). With three members every member holds them all.
   */
  public static final String TASK_BATCHES_MAP = "mastermind.task-batches";
  /**
   * Hazelcast's input and output threads each (its default is 3 of each, whatever the machine). On a
   * 2-core machine one of each measured 2-13% more clustered tasks/s in five of five A/B pairs, with
   * less system time (docs/BENCHMARKS.md): six I/O threads only contend for two cores. Set only on
   * machines this small, and only when {@code -Dhazelcast.io.thread.count} is not given.
   */
  static final String IO_THREADS = "hazelcast.io.thread.count";
  static final int SMALL_MACHINE_CORES = 2;

  /** The I/O thread count to set, or null to leave Hazelcast's (or the {@code given} system property's). */
  static String ioThreads(int cores, String given) {
    return given == null && cores <= SMALL_MACHINE_CORES ? "1" : null;
  }
  /** Synchronous backups of the task and meta maps (capped by Hazelcast at members − 1). */
  public static final int BACKUP_COUNT = 2;
  /** Small cluster-wide facts, e.g. the leader epoch. */
  public static final String META_MAP = "mastermind.meta";

  private HazelcastConfigFactory() {
  }

  /**
   * One way to find members, as {@code cluster.discovery} says; the others off. With the advanced network
   * config on, Hazelcast reads its join section, not the classic one.
   */
  private static void configureJoin(JoinConfig join, ClusterOptions options) {
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    switch (options.getDiscovery()) {
      case TCP -> join.getTcpIpConfig().setEnabled(true).setMembers(options.getJoin().isEmpty()
        ? List.of(options.getHost() + ":" + options.getPort()) : options.getJoin());
      case MULTICAST -> join.getMulticastConfig().setEnabled(true)
        // several members on one machine's loopback only see each other's datagrams in loopback mode
        .setLoopbackModeEnabled(options.bindsLoopback());
      case KUBERNETES -> {
        KubernetesConfig kubernetes = join.getKubernetesConfig().setEnabled(true);
        if (options.getKubernetesServiceDns() != null) {
          kubernetes.setProperty("service-dns", options.getKubernetesServiceDns());
        } else {
          kubernetes.setProperty("service-name", options.getKubernetesServiceName());
          if (options.getKubernetesNamespace() != null) {
            kubernetes.setProperty("namespace", options.getKubernetesNamespace());
          }
        }
        if (options.getKubernetesServicePort() != null) {
          kubernetes.setProperty("service-port", String.valueOf(options.getKubernetesServicePort()));
        }
      }
    }
  }

  public static Config create(ClusterOptions options, String nodeId, Set<String> roles) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(options.getName());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.socket.server.bind.any", "false");
    config.setProperty("hazelcast.socket.client.bind.any", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(options.getHeartbeatSeconds()));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(options.getMaxNoHeartbeatSeconds()));
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    String ioThreads = ioThreads(Runtime.getRuntime().availableProcessors(), System.getProperty(IO_THREADS));
    if (ioThreads != null) {
      config.setProperty(IO_THREADS, ioThreads);
    }

    config.getJetConfig().setEnabled(false);
    // the classic network section is unused once the advanced one is on; keep its multicast off all the same
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true);
    ServerSocketEndpointConfig member = new ServerSocketEndpointConfig();
    member.setPort(options.getPort()).setPortAutoIncrement(false);
    member.setPublicAddress(options.getHost() + ":" + options.getPort());
    member.getInterfaces().setEnabled(true).clear().addInterface(options.getHost());
    network.setMemberEndpointConfig(member); // and no client, REST, memcache or WAN endpoint
    configureJoin(network.getJoin(), options);

    config.addMapConfig(new MapConfig(TASK_BATCHES_MAP).setBackupCount(BACKUP_COUNT).setAsyncBackupCount(0));
    config.addMapConfig(new MapConfig(META_MAP).setBackupCount(BACKUP_COUNT).setAsyncBackupCount(0));
    config.getMemberAttributeConfig()
      .setAttribute(NODE_ID_ATTRIBUTE, nodeId)
      .setAttribute(ROLES_ATTRIBUTE, String.join(",", roles));
    return config;
  }
}
