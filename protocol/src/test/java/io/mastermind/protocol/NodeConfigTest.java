package io.mastermind.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@DisplayName("NodeConfig parses a node's self-description and writes it back")
class NodeConfigTest {

  private static NodeConfig parse(String json) {
    return NodeConfig.fromJson(new JsonObject(json));
  }

  private static String badField(String json) {
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> parse(json));
    assertThat(e).as("ValidationException for %s", json).isNotNull();
    return e.field();
  }

  @Test
  @DisplayName("the seed shape with plain numbers gets defaults for everything else")
  void plainNumbers() {
    NodeConfig config = parse("""
      {"id": "node-1", "resources": {"cpu": 4, "memory": 8192}}""");

    assertThat(config.id()).isEqualTo("node-1");
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isZero();
    assertThat(config.capabilities()).isEqualTo(NodeConfig.DEFAULT_CAPABILITIES);
    assertThat(config.cpuCores()).isEqualTo(4.0);
    assertThat(config.cpuSpeed()).isEqualTo(1.0);
    assertThat(config.memoryMb()).isEqualTo(8192);
    assertThat(config.gpu()).isFalse();
    assertThat(config.functions()).isEmpty();
  }

  @Test
  @DisplayName("the seed shape with cpu {cores, speed} and memory {total, available} reads cores, speed and total")
  void objectShapes() {
    NodeConfig config = parse("""
      {"id": "node-2", "host": "10.0.0.5", "port": 8080, "capabilities": [" Compute ", "ML_TRAINING"],
       "resources": {"cpu": {"cores": 8, "speed": 2.4}, "memory": {"total": 16384, "available": 12000}, "gpu": true},
       "functions": {"primes": ["compute"], "echo": ["*"]}}""");

    assertThat(config.host()).isEqualTo("10.0.0.5");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.capabilities()).containsExactlyInAnyOrder("compute", "ml_training");
    assertThat(config.cpuCores()).isEqualTo(8.0);
    assertThat(config.cpuSpeed()).isEqualTo(2.4);
    assertThat(config.memoryMb()).isEqualTo(16384);
    assertThat(config.gpu()).isTrue();
    assertThat(config.functions()).isEqualTo(Map.of("primes", Set.of("compute"), "echo", Set.of("*")));
  }

  @Test
  @DisplayName("cpu {cores} without speed defaults the speed to 1")
  void cpuObjectWithoutSpeed() {
    assertThat(parse("""
      {"id": "n", "resources": {"cpu": {"cores": 2.5}, "memory": 0}}""").cpuSpeed()).isEqualTo(1.0);
  }

  @Test
  @DisplayName("toJson writes the object shapes, sorted, and fromJson reads it back to an equal config")
  void roundTrip() {
    NodeConfig config = parse("""
      {"id": "node-2", "host": "10.0.0.5", "port": 8080, "capabilities": ["ml_training", "compute"],
       "resources": {"cpu": 8, "memory": {"total": 16384}, "gpu": true},
       "functions": {"sort": ["data_processing"], "echo": ["*"], "primes": ["io_bound", "compute"]}}""");

    JsonObject json = config.toJson();

    assertThat(json).isEqualTo(new JsonObject()
      .put("id", "node-2")
      .put("host", "10.0.0.5")
      .put("port", 8080)
      .put("capabilities", new JsonArray().add("compute").add("ml_training"))
      .put("resources", new JsonObject()
        .put("cpu", new JsonObject().put("cores", 8.0).put("speed", 1.0))
        .put("memory", new JsonObject().put("total", 16384L))
        .put("gpu", true))
      .put("functions", new JsonObject()
        .put("echo", new JsonArray().add("*"))
        .put("primes", new JsonArray().add("compute").add("io_bound"))
        .put("sort", new JsonArray().add("data_processing"))));
    assertThat(NodeConfig.fromJson(json)).isEqualTo(config);
    assertThat(NodeConfig.fromJson(new JsonObject(json.encode()))).isEqualTo(config);
  }

  @Test
  @DisplayName("a config built in code survives toJson and fromJson")
  void roundTripFromConstructor() {
    NodeConfig config = new NodeConfig("n9", "host-9", 9000, Set.of("compute", "io_bound"), 1.5, 3.0, 2048, false,
      Map.of("sleep", Set.of("io_bound"), "echo", Set.of("*")));

    assertThat(NodeConfig.fromJson(config.toJson())).isEqualTo(config);
    assertThat(NodeConfig.fromJson(new JsonObject(config.toJson().encode()))).isEqualTo(config);
  }

  @Test
  @DisplayName("a missing or non-object resources names the field resources")
  void missingResources() {
    assertThat(badField("""
      {"id": "n"}""")).isEqualTo("resources");
    assertThat(badField("""
      {"id": "n", "resources": 4}""")).isEqualTo("resources");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "{\"resources\": {\"cpu\": 4, \"memory\": 1}}                                  | id",
    "{\"id\": \"\", \"resources\": {\"cpu\": 4, \"memory\": 1}}                    | id",
    "{\"id\": 3, \"resources\": {\"cpu\": 4, \"memory\": 1}}                       | id",
    "{\"id\": \"n\", \"host\": 1, \"resources\": {\"cpu\": 4, \"memory\": 1}}      | host",
    "{\"id\": \"n\", \"port\": 70000, \"resources\": {\"cpu\": 4, \"memory\": 1}}  | port",
    "{\"id\": \"n\", \"port\": -1, \"resources\": {\"cpu\": 4, \"memory\": 1}}     | port",
    "{\"id\": \"n\", \"capabilities\": \"compute\", \"resources\": {\"cpu\": 4, \"memory\": 1}} | capabilities",
    "{\"id\": \"n\", \"capabilities\": [\"compute\", \" \"], \"resources\": {\"cpu\": 4, \"memory\": 1}} | capabilities[1]",
    "{\"id\": \"n\", \"capabilities\": [5], \"resources\": {\"cpu\": 4, \"memory\": 1}} | capabilities[0]",
    "{\"id\": \"n\", \"resources\": {\"memory\": 1}}                               | resources.cpu",
    "{\"id\": \"n\", \"resources\": {\"cpu\": 0, \"memory\": 1}}                   | resources.cpu",
    "{\"id\": \"n\", \"resources\": {\"cpu\": \"4\", \"memory\": 1}}               | resources.cpu",
    "{\"id\": \"n\", \"resources\": {\"cpu\": {\"speed\": 2}, \"memory\": 1}}      | resources.cpu.cores",
    "{\"id\": \"n\", \"resources\": {\"cpu\": {\"cores\": -2}, \"memory\": 1}}     | resources.cpu.cores",
    "{\"id\": \"n\", \"resources\": {\"cpu\": {\"cores\": 2, \"speed\": \"x\"}, \"memory\": 1}} | resources.cpu.speed",
    "{\"id\": \"n\", \"resources\": {\"cpu\": 4}}                                  | resources.memory",
    "{\"id\": \"n\", \"resources\": {\"cpu\": 4, \"memory\": -1}}                  | resources.memory",
    "{\"id\": \"n\", \"resources\": {\"cpu\": 4, \"memory\": 1.5}}                 | resources.memory",
    "{\"id\": \"n\", \"resources\": {\"cpu\": 4, \"memory\": {\"available\": 5}}}  | resources.memory.total",
    "{\"id\": \"n\", \"resources\": {\"cpu\": 4, \"memory\": 1, \"gpu\": 1}}       | resources.gpu",
    "{\"id\": \"n\", \"resources\": {\"cpu\": 4, \"memory\": 1}, \"functions\": []} | functions",
    "{\"id\": \"a b\", \"resources\": {\"cpu\": 4, \"memory\": 1}}             | id",
    "{\"id\": \"n\", \"host\": \" \", \"resources\": {\"cpu\": 4, \"memory\": 1}} | host",
    "{\"id\": \"n\", \"capabilities\": [\"gpu\", \"a/b\"], \"resources\": {\"cpu\": 4, \"memory\": 1}} | capabilities[1]",
    "{\"id\": \"n\", \"resources\": {\"cpu\": 4, \"memory\": 1}, \"functions\": {\"f\": [\"\"]}} | functions.f[0]"})
  @DisplayName("a bad field is reported by name")
  void badFields(String json, String field) {
    assertThat(badField(json)).isEqualTo(field);
  }

  @Test
  @DisplayName("ids, capability tags and function lists are bounded in length and count")
  void bounds() {
    String resources = "\"resources\": {\"cpu\": 4, \"memory\": 1}";
    assertThat(parse("{\"id\": \"" + "n".repeat(64) + "\", " + resources + "}").id()).hasSize(64);
    assertThat(badField("{\"id\": \"" + "n".repeat(65) + "\", " + resources + "}")).isEqualTo("id");
    assertThat(badField("{\"id\": \"n\", \"capabilities\": [\"" + "c".repeat(65) + "\"], " + resources + "}"))
      .isEqualTo("capabilities[0]");
    JsonArray many = new JsonArray();
    for (int i = 0; i <= NodeConfig.MAX_CAPABILITIES; i++) {
      many.add("tag-" + i);
    }
    assertThat(badField(new JsonObject().put("id", "n").put("capabilities", many)
      .put("resources", new JsonObject().put("cpu", 4).put("memory", 1)).encode())).isEqualTo("capabilities");
    assertThat(badField("{\"id\": \"n\", " + resources + ", \"functions\": {\"" + "f".repeat(129) + "\": [\"*\"]}}"))
      .isEqualTo("functions");
  }

  @Test
  @DisplayName("serves matches a function's listed types or '*'")
  void serves() {
    NodeConfig config = parse("""
      {"id": "n", "resources": {"cpu": 4, "memory": 1},
       "functions": {"primes": ["compute"], "echo": ["*"], "mixed": ["io_bound", "data_processing"]}}""");

    assertThat(config.serves("primes", "compute")).isTrue();
    assertThat(config.serves("primes", "io_bound")).isFalse();
    assertThat(config.serves("echo", "compute")).isTrue();
    assertThat(config.serves("echo", "anything")).isTrue();
    assertThat(config.serves("mixed", "data_processing")).isTrue();
    assertThat(config.serves("mixed", "compute")).isFalse();
    assertThat(config.serves("sort", "data_processing")).isFalse();
  }

  @Test
  @DisplayName("withFunctions replaces the served functions and keeps the rest")
  void withFunctions() {
    NodeConfig config = parse("""
      {"id": "n", "resources": {"cpu": 4, "memory": 1}, "functions": {"primes": ["compute"]}}""");

    NodeConfig other = config.withFunctions(Map.of("sleep", Set.of("io_bound")));

    assertThat(other.serves("sleep", "io_bound")).isTrue();
    assertThat(other.serves("primes", "compute")).isFalse();
    assertThat(other).usingRecursiveComparison().ignoringFields("functions").isEqualTo(config);
    assertThat(config.withFunctions(null).functions()).isEmpty();
  }

  @Test
  @DisplayName("capabilities and functions are immutable copies")
  void immutable() {
    NodeConfig config = parse("""
      {"id": "n", "resources": {"cpu": 4, "memory": 1}, "functions": {"primes": ["compute"]}}""");

    assertThatThrownBy(() -> config.capabilities().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.functions().put("x", Set.of())).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  @DisplayName("a functions entry that is not an array of strings names its field")
  void badFunctionsEntry() {
    assertThatThrownBy(() -> parse("""
      {"id": "n", "resources": {"cpu": 4, "memory": 1}, "functions": {"primes": "compute"}}"""))
      .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).startsWith("functions"));
    assertThatThrownBy(() -> parse("""
      {"id": "n", "resources": {"cpu": 4, "memory": 1}, "functions": {"primes": ["compute", null]}}"""))
      .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).startsWith("functions"));
    assertThatThrownBy(() -> parse("""
      {"id": "n", "resources": {"cpu": 4, "memory": 1}, "functions": {"primes": [5]}}"""))
      .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).startsWith("functions"));
  }
}
