package io.mastermind.cli;

import io.mastermind.testsupport.FatJar;
import io.mastermind.testsupport.FatJar.Ran;
import io.mastermind.testsupport.GatewayNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The packaged CLI as a user runs it: java -jar, MASTERMIND_URL and MASTERMIND_API_TOKEN from the environment, output redirected")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CliEnvIT {

  static final String TOKEN = "env-t0ken";
  static GatewayNode gateway;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    gateway = new GatewayNode(new JsonObject().put("nodeId", "env-node").put("apiTokens", new JsonArray().add(TOKEN)));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  static Ran mastermind(Map<String, String> env, String... args) throws Exception {
    return FatJar.run(dir, env, List.of(), List.of(args));
  }

  @Test
  @DisplayName("the URL and token come from the environment; a table by default, JSON with --json")
  void environment() throws Exception {
    Map<String, String> env = Map.of("MASTERMIND_URL", gateway.url, "MASTERMIND_API_TOKEN", TOKEN);
    Ran table = mastermind(env, "nodes");
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out()).startsWith("ID").containsPattern("(?m)^env-node +healthy ");

    Ran json = mastermind(env, "nodes", "--json");
    assertThat(json.exit()).as(json.err()).isZero();
    assertThat(new JsonObject(json.out()).getJsonArray("nodes")).isNotEmpty();

    Ran noToken = mastermind(Map.of("MASTERMIND_URL", gateway.url), "nodes");
    assertThat(noToken.exit()).isEqualTo(1);
    assertThat(noToken.err()).contains("UNAUTHORIZED");
  }

  @Test
  @DisplayName("submit --wait with stderr redirected writes no carriage return; --version is the build's")
  void redirected() throws Exception {
    Map<String, String> env = Map.of("MASTERMIND_URL", gateway.url, "MASTERMIND_API_TOKEN", TOKEN);
    Ran run = mastermind(env, "submit", "--wait", "--task", "{\"type\":\"compute\",\"payload\":{\"function\":\"primes\",\"data\":{\"upTo\":1000}}}");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("100% succeeded").doesNotContain("\r");
    assertThat(run.out()).containsPattern("(?m)^status +succeeded$");

    Ran version = mastermind(Map.of(), "--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out()).startsWith("mastermind 0.").doesNotContain("unknown");
  }
}
