package io.mastermind.node;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment files under the top-level {@code src/} (compose, Kubernetes, Docker, systemd), read
 * offline: every {@code MASTERMIND_*} name they set is a config key of the node (or one of the names
 * with a meaning of their own), each node's environment makes a config the node accepts, and probes,
 * ports and grace periods agree with that config.
 */
@DisplayName("The compose file, Kubernetes manifests, Dockerfile and systemd unit match the node's real config")
class PackagingManifestsTest {

  /** Names that are no config key but have their meaning (SPEC section 10). */
  private static final Set<String> OWN_MEANING = Set.of("MASTERMIND_API_TOKENS", "MASTERMIND_JAVA_OPTS", "MASTERMIND_HOME");
  private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::?[-?][^}]*)?}");

  private static final Path ROOT = NodeConfigTest.repoRoot();

  private static Map<String, Object> yaml(String file) throws IOException {
    return new Yaml().load(Files.readString(ROOT.resolve(file)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  private static void assertNamesAreKeys(Iterable<String> names, String where) {
    for (String name : names) {
      if (name.startsWith(ConfigKeys.ENV_PREFIX) && !OWN_MEANING.contains(name)) {
        assertThat(ConfigKeys.forEnv(name)).as(where + ": " + name + " maps to a config key").isPresent();
      }
    }
  }

  /** The node's settings from this environment alone, as the node would build them; throws as the node would refuse. */
  private static NodeSettings settingsFrom(Map<String, String> env, String where) {
    try {
      return NodeSettings.of(null, null, env);
    } catch (IllegalArgumentException e) {
      throw new AssertionError(where + ": the node would refuse this config: " + e.getMessage(), e);
    }
  }

  private static Map<String, String> envFile(String file) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(ROOT.resolve(file))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int eq = line.indexOf('=');
        env.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    return env;
  }

  private static Map<String, String> imageEnvironment() throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    Matcher m = Pattern.compile("^ENV ((?:.*\\\\\\n)*.*)$", Pattern.MULTILINE).matcher(Files.readString(ROOT.resolve("src/docker/Dockerfile")));
    while (m.find()) {
      Matcher pair = Pattern.compile("([A-Z_]+)=(\"[^\"]*\"|\\S+)").matcher(m.group(1));
      while (pair.find()) {
        env.put(pair.group(1), pair.group(2).replace("\"", ""));
      }
    }
    return env;
  }

  @Test
  @DisplayName("compose: two coordinator+gateway nodes and a worker, env names are config keys, each node's config is accepted")
  void compose() throws IOException {
    Map<String, String> secrets = envFile("src/compose/.env.example");
    assertThat(secrets).containsKeys("MASTERMIND_API_TOKENS", "MASTERMIND_CLUSTER_SECRET");
    assertNamesAreKeys(secrets.keySet(), ".env.example");
    Map<String, String> image = imageEnvironment();
    Map<String, Object> services = map(yaml("src/compose/compose.yaml").get("services"));
    assertThat(services).hasSize(3);
    List<Set<String>> roles = new ArrayList<>();
    for (Map.Entry<String, Object> service : services.entrySet()) {
      Map<String, Object> spec = map(service.getValue());
      assertThat(map(spec.get("build")).get("dockerfile")).isEqualTo("src/docker/Dockerfile");
      Map<String, String> env = new HashMap<>(image);
      map(spec.get("environment")).forEach((name, value) -> env.put(name, interpolate(String.valueOf(value), secrets)));
      assertNamesAreKeys(env.keySet(), "compose service " + service.getKey());
      NodeSettings settings = settingsFrom(env, "compose service " + service.getKey());
      roles.add(settings.roles());
      assertThat(settings.clustered()).isTrue();
      assertThat(settings.managementOptions().getPort()).isEqualTo(9090);
      assertThat(settings.clusterOptions().getJoin()).allSatisfy(seed -> assertThat(seed).endsWith(":" + settings.clusterOptions().getPort()));
      String address = String.valueOf(map(map(spec.get("networks")).get("mastermind")).get("ipv4_address"));
      assertThat(settings.clusterOptions().getHost()).as("cluster.host is the container's address").isEqualTo(address);
      assertThat(seconds(String.valueOf(spec.get("stop_grace_period"))) * 1000)
        .as("stop_grace_period beyond the drain timeout").isGreaterThan(settings.drainTimeoutMs());
    }
    assertThat(roles).containsExactlyInAnyOrder(Set.of("coordinator", "gateway"), Set.of("coordinator", "gateway"), Set.of("worker"));
  }

  private static String interpolate(String value, Map<String, String> vars) {
    Matcher m = INTERPOLATION.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      assertThat(vars).as("the env file sets " + m.group(1) + " or it has a default").satisfiesAnyOf(
        v -> assertThat(v).containsKey(m.group(1)), v -> assertThat(m.group(0)).contains(":-"));
      String fallback = m.group(0).contains(":-") ? m.group(0).replaceAll("^.*:-|}$", "") : "";
      m.appendReplacement(out, Matcher.quoteReplacement(vars.getOrDefault(m.group(1), fallback)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static long seconds(String duration) {
    assertThat(duration).matches("\\d+s");
    return Long.parseLong(duration.substring(0, duration.length() - 1));
  }

  @Test
  @DisplayName("Kubernetes: probes on the management port's /health/ready and /health/live, grace beyond the drain, discovery through the headless service")
  void kubernetes() throws IOException {
    Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(ROOT.resolve("src/kubernetes"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object doc : new Yaml().loadAll(Files.readString(file))) {
          Map<String, Object> resource = map(doc);
          if (resource.containsKey("metadata")) {
            byName.put(resource.get("kind") + "/" + map(resource.get("metadata")).get("name"), resource);
          }
        }
      }
    }
    Map<String, String> secret = new LinkedHashMap<>();
    map(byName.get("Secret/mastermind-secrets").get("stringData")).forEach((k, v) -> secret.put(k, String.valueOf(v)));
    assertNamesAreKeys(secret.keySet(), "Secret");
    Map<String, Object> headless = map(byName.get("Service/mastermind-hazelcast").get("spec"));
    assertThat(headless.get("clusterIP")).isEqualTo("None");
    assertThat(headless.get("publishNotReadyAddresses")).isEqualTo(true);
    Map<String, Object> gatewayService = map(byName.get("Service/mastermind-gateway").get("spec"));

    List<Set<String>> roles = new ArrayList<>();
    Map<String, String> image = imageEnvironment();
    for (String workload : List.of("StatefulSet/mastermind-coordinator", "Deployment/mastermind-worker")) {
      Map<String, Object> spec = map(byName.get(workload).get("spec"));
      Map<String, Object> template = map(spec.get("template"));
      Map<String, Object> labels = map(map(template.get("metadata")).get("labels"));
      assertThat(labels).as(workload + " is behind the headless service").containsAllEntriesOf(map(headless.get("selector")));
      Map<String, Object> pod = map(template.get("spec"));
      Map<String, Object> container = map(list(pod.get("containers")).get(0));
      Map<String, String> env = new HashMap<>(image);
      List<String> fromSecret = list(container.get("envFrom")).stream()
        .map(e -> String.valueOf(map(map(e).get("secretRef")).get("name"))).toList();
      assertThat(fromSecret).containsExactly("mastermind-secrets");
      env.putAll(secret);
      for (Object item : list(container.get("env"))) {
        Map<String, Object> var = map(item);
        String name = String.valueOf(var.get("name"));
        if (var.containsKey("value")) {
          env.put(name, String.valueOf(var.get("value")));
        } else {
          String field = String.valueOf(map(map(var.get("valueFrom")).get("fieldRef")).get("fieldPath"));
          env.put(name, field.equals("status.podIP") ? "10.1.2.3" : "mastermind-pod-0");
        }
      }
      assertNamesAreKeys(env.keySet(), workload);
      NodeSettings settings = settingsFrom(env, workload);
      roles.add(settings.roles());

      assertThat(settings.clusterOptions().getDiscovery()).isEqualTo(io.mastermind.cluster.ClusterOptions.Discovery.KUBERNETES);
      String namespace = String.valueOf(map(byName.get(workload).get("metadata")).get("namespace"));
      assertThat(settings.clusterOptions().getKubernetesServiceDns())
        .isEqualTo("mastermind-hazelcast." + namespace + ".svc.cluster.local");
      Map<String, Integer> ports = new HashMap<>();
      list(container.get("ports")).forEach(p -> ports.put(String.valueOf(map(p).get("name")), (Integer) map(p).get("containerPort")));
      assertThat(ports.get("management")).isEqualTo(settings.managementOptions().getPort());
      assertThat(ports.get("hazelcast")).isEqualTo(settings.clusterOptions().getPort());
      assertThat(ports.get("eventbus")).isEqualTo(settings.clusterOptions().getEventBusPort());
      assertThat(map(list(headless.get("ports")).get(0)).get("port")).isEqualTo(settings.clusterOptions().getPort());
      assertProbe(container, "readinessProbe", "/health/ready", ports, settings);
      assertProbe(container, "livenessProbe", "/health/live", ports, settings);
      assertThat(((Integer) pod.get("terminationGracePeriodSeconds")) * 1000L)
        .as(workload + ": terminationGracePeriodSeconds beyond drainTimeoutMs").isGreaterThan(settings.drainTimeoutMs());
      if (settings.hasRole("gateway")) {
        assertThat(labels).containsAllEntriesOf(map(gatewayService.get("selector")));
        assertThat(ports.get("http")).isEqualTo(settings.gatewayOptions().getPort());
      } else {
        assertThat(labels).doesNotContainEntry("app.kubernetes.io/component", map(gatewayService.get("selector")).get("app.kubernetes.io/component"));
      }
    }
    assertThat(roles).containsExactly(Set.of("coordinator", "gateway"), Set.of("worker"));
  }

  private static void assertProbe(Map<String, Object> container, String probe, String path, Map<String, Integer> ports,
                                  NodeSettings settings) {
    Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
    assertThat(get.get("path")).as(probe).isEqualTo(path);
    Object port = get.get("port");
    assertThat(port instanceof Integer n ? n : ports.get(String.valueOf(port))).as(probe + " port")
      .isEqualTo(settings.managementOptions().getPort());
  }

  @Test
  @DisplayName("Dockerfile: Java 17 JRE, non-root, HEALTHCHECK on /health/live of the management port it sets, the jar and conf/")
  void dockerfile() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("src/docker/Dockerfile"));
    assertThat(dockerfile).contains("FROM eclipse-temurin:17-jre", "USER mastermind", "COPY conf/ ", "mastermind-node.jar");
    assertThat(dockerfile).containsPattern("HEALTHCHECK .*healthcheck\\.sh.*/health/live");
    Map<String, String> env = imageEnvironment();
    assertNamesAreKeys(env.keySet(), "Dockerfile");
    // as its comment says: the image's gateway binds all interfaces, so it starts only once given tokens
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NodeSettings.of(null, null, env))
      .hasMessageContaining("MASTERMIND_API_TOKENS");
    Map<String, String> withTokens = new HashMap<>(env);
    withTokens.put("MASTERMIND_API_TOKENS", "a-token-of-the-operator-0123456789");
    NodeSettings settings = settingsFrom(withTokens, "Dockerfile");
    assertThat(settings.managementOptions().getPort()).isEqualTo(9090);
    assertThat(settings.managementOptions().getHost()).isEqualTo("0.0.0.0");
    assertThat(Files.readString(ROOT.resolve("src/docker/healthcheck.sh"))).contains("MASTERMIND_MANAGEMENT_PORT");
  }

  @Test
  @DisplayName("systemd: the unit's MASTERMIND_* names are config keys; SIGTERM drains within TimeoutStopSec")
  void systemd() throws IOException {
    String unit = Files.readString(ROOT.resolve("src/systemd/mastermind.service"));
    Matcher names = Pattern.compile("(MASTERMIND_[A-Z0-9_]+)").matcher(unit);
    List<String> found = new ArrayList<>();
    while (names.find()) {
      found.add(names.group(1));
    }
    assertThat(found).isNotEmpty();
    assertNamesAreKeys(found, "mastermind.service");
    Matcher stop = Pattern.compile("TimeoutStopSec=(\\d+)").matcher(unit);
    assertThat(stop.find()).isTrue();
    assertThat(Long.parseLong(stop.group(1)) * 1000).isGreaterThan(NodeSettings.DEFAULT_DRAIN_TIMEOUT_MS);
    assertThat(unit).contains("KillSignal=SIGTERM", "RestartPreventExitStatus=2", "User=mastermind");
  }

  @Test
  @DisplayName("the check itself refuses a name that maps to no key")
  void checkBites() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertNamesAreKeys(List.of("MASTERMIND_HTTP_PROT"), "x"))
      .isInstanceOf(AssertionError.class);
  }
}
