package io.mastermind.node;

import io.mastermind.testsupport.FatJar;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The node fat jar as a user runs it: a YAML file, environment variables, a system property and flags. */
@DisplayName("The node jar reads YAML, the environment, system properties and flags, and refuses unknown keys")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConfigIT {

  @TempDir
  Path dir;

  private record Exit(int code, String out, String err) {
  }

  private Exit run(Map<String, String> env, List<String> jvm, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("node"));
    all.addAll(List.of(args));
    FatJar.Ran ran = FatJar.run(dir, env, jvm, all);
    return new Exit(ran.exit(), ran.out(), ran.err());
  }

  @Test
  @DisplayName("--print-config shows file < env < -D < flag, typed, with the cluster secret and tokens masked")
  void printConfig() throws Exception {
    Path yaml = dir.resolve("node.yaml");
    Files.writeString(yaml, """
      http:
        port: 9001
      scheduler:
        maxQueuedTasks: 10
        maxNodeLosses: 4
      worker:
        prefetch: 7
      """);
    Exit exit = run(Map.of("MASTERMIND_HTTP_PORT", "9002", "MASTERMIND_SCHEDULER_MAXQUEUEDTASKS", "20",
        "MASTERMIND_WORKER_PREFETCH", "8", "MASTERMIND_CLUSTER_SECRET", "a-cluster-secret-of-32-bytes-or-more!",
        "MASTERMIND_API_TOKENS", "tok-123456:read", "MASTERMIND_URL", "http://ignored"),
      List.of("-Dmastermind.worker.prefetch=9", "-Dmastermind.http.port=9003"),
      "--conf", yaml.toString(), "--http-port", "9004", "--print-config");
    assertThat(exit.code).as(exit.err).isZero();
    JsonObject config = new JsonObject(exit.out);
    assertThat(config.getJsonObject("scheduler").getInteger("maxNodeLosses")).isEqualTo(4);     // file
    assertThat(config.getJsonObject("scheduler").getValue("maxQueuedTasks")).isEqualTo(20);    // env over file, typed
    assertThat(config.getJsonObject("worker").getInteger("prefetch")).isEqualTo(9);            // -D over env
    assertThat(config.getJsonObject("http").getInteger("port")).isEqualTo(9004);               // flag over all
    assertThat(config.getJsonObject("cluster").getString("secret")).isEqualTo("***");
    assertThat(exit.out).doesNotContain("a-cluster-secret-of-32-bytes-or-more!", "tok-123456");
  }

  @Test
  @DisplayName("an unknown key in the file exits 2, naming the key and the closest valid one")
  void unknownKey() throws Exception {
    Path yaml = dir.resolve("typo.yml");
    Files.writeString(yaml, "scheduler:\n  maxQueuedTask: 5\n");
    Exit exit = run(Map.of(), List.of(), "--conf", yaml.toString());
    assertThat(exit.code).isEqualTo(2);
    assertThat(exit.err).contains("unknown key 'scheduler.maxQueuedTask'", "did you mean 'scheduler.maxQueuedTasks'");
  }

  @Test
  @DisplayName("an environment value of the wrong type exits 2 with the variable and the key")
  void badEnvValue() throws Exception {
    Exit exit = run(Map.of("MASTERMIND_HTTP_PORT", "eighty"), List.of(), "--print-config");
    assertThat(exit.code).isEqualTo(2);
    assertThat(exit.err).contains("MASTERMIND_HTTP_PORT", "http.port must be a whole number");
  }
}
