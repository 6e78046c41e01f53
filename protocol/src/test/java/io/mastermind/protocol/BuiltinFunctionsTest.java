package io.mastermind.protocol;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@DisplayName("BuiltinFunctions checks the data of built-in functions at submission")
class BuiltinFunctionsTest {

  /** A task of {@code type} calling {@code function} with {@code data} (raw JSON, or null for none). */
  private static JsonObject task(String type, String function, String data) {
    JsonObject payload = new JsonObject().put("function", function);
    if (data != null) {
      payload.put("data", new JsonObject("{\"d\": " + data + "}").getValue("d"));
    }
    return new JsonObject().put("type", type).put("payload", payload);
  }

  static Stream<Arguments> badData() {
    return Stream.of(
      Arguments.of("compute", "primes", null, "payload.data.upTo"),
      Arguments.of("compute", "primes", "{}", "payload.data.upTo"),
      Arguments.of("compute", "primes", "{\"upTo\": -1}", "payload.data.upTo"),
      Arguments.of("compute", "primes", "{\"upTo\": 2000000001}", "payload.data.upTo"),
      Arguments.of("compute", "primes", "{\"upTo\": \"100\"}", "payload.data.upTo"),
      Arguments.of("compute", "primes", "{\"upTo\": 10.5}", "payload.data.upTo"),
      Arguments.of("compute", "primes", "[100]", "payload.data"),
      Arguments.of("compute", "primes", "100", "payload.data"),
      Arguments.of("compute", "sha256", "{}", "payload.data.text"),
      Arguments.of("compute", "sha256", "{\"text\": 5}", "payload.data.text"),
      Arguments.of("compute", "sha256", "{\"text\": \"a\", \"rounds\": 0}", "payload.data.rounds"),
      Arguments.of("compute", "sha256", "{\"text\": \"a\", \"rounds\": 100000001}", "payload.data.rounds"),
      Arguments.of("compute", "pi", "{\"samples\": 0}", "payload.data.samples"),
      Arguments.of("compute", "pi", "{}", "payload.data.samples"),
      Arguments.of("io_bound", "sleep", "{\"ms\": -1}", "payload.data.ms"),
      Arguments.of("io_bound", "sleep", "{\"ms\": \"5\"}", "payload.data.ms"),
      Arguments.of("data_processing", "wordcount", "{}", "payload.data.text"),
      Arguments.of("data_processing", "wordcount", "{\"text\": [\"a\"]}", "payload.data.text"),
      Arguments.of("data_processing", "stats", "{\"values\": []}", "payload.data.values"),
      Arguments.of("data_processing", "stats", "{}", "payload.data.values"),
      Arguments.of("data_processing", "stats", "{\"values\": \"1,2\"}", "payload.data.values"),
      Arguments.of("data_processing", "stats", "{\"values\": [1, \"x\", 3]}", "payload.data.values[1]"),
      Arguments.of("data_processing", "stats", "{\"values\": [1, 2, null]}", "payload.data.values[2]"),
      Arguments.of("data_processing", "sort", "{\"values\": [3, 1], \"order\": \"up\"}", "payload.data.order"),
      Arguments.of("data_processing", "sort", "{\"values\": [3, 1], \"order\": 1}", "payload.data.order"),
      Arguments.of("data_processing", "sort", "{\"order\": \"asc\"}", "payload.data.values"),
      Arguments.of("data_processing", "sort", "{\"values\": [true]}", "payload.data.values[0]"),
      Arguments.of("ml_training", "linear-regression", "{\"x\": [[1, 2], [3]], \"y\": [1, 2]}", "payload.data.x[1]"),
      Arguments.of("ml_training", "linear-regression", "{\"x\": [[1], [2]], \"y\": [1]}", "payload.data.y"),
      Arguments.of("ml_training", "linear-regression", "{\"x\": [[1], [2]], \"y\": [1, 2, 3]}", "payload.data.y"),
      Arguments.of("ml_training", "linear-regression", "{\"x\": [[1], [2]]}", "payload.data.y"),
      Arguments.of("ml_training", "linear-regression", "{\"x\": [[1], [2]], \"y\": [1, \"b\"]}", "payload.data.y[1]"),
      Arguments.of("ml_training", "linear-regression", "{\"x\": [], \"y\": []}", "payload.data.x"),
      Arguments.of("ml_training", "linear-regression", "{\"y\": [1]}", "payload.data.x"),
      Arguments.of("ml_training", "linear-regression", "{\"x\": [1, 2], \"y\": [1, 2]}", "payload.data.x[0]"),
      Arguments.of("ml_training", "linear-regression", "{\"x\": [[1], []], \"y\": [1, 2]}", "payload.data.x[1]"),
      Arguments.of("ml_training", "linear-regression", "{\"x\": [[1, \"a\"]], \"y\": [1]}", "payload.data.x[0][1]"),
      Arguments.of("ml_training", "linear-regression", "{\"x\": [[1]], \"y\": [1], \"epochs\": 0}", "payload.data.epochs"),
      Arguments.of("ml_training", "linear-regression", "{\"x\": [[1]], \"y\": [1], \"learningRate\": 0}", "payload.data.learningRate"),
      Arguments.of("ml_training", "linear-regression", "{\"x\": [[1]], \"y\": [1], \"learningRate\": \"fast\"}", "payload.data.learningRate"),
      Arguments.of("compute", "fail", "{\"message\": 42}", "payload.data.message"));
  }

  @ParameterizedTest(name = "{1} {2} -> {3}")
  @MethodSource("badData")
  @DisplayName("bad data of a built-in names the offending field")
  void badDataNamesField(String type, String function, String data, String field) {
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> TaskSpec.fromJson(task(type, function, data)));

    assertThat(e).as("ValidationException").isNotNull();
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.getMessage()).contains(field);
  }

  static Stream<Arguments> goodData() {
    return Stream.of(
      Arguments.of("compute", "primes", "{\"upTo\": 0}"),
      Arguments.of("compute", "primes", "{\"upTo\": 2000000000}"),
      Arguments.of("compute", "sha256", "{\"text\": \"\"}"),
      Arguments.of("compute", "sha256", "{\"text\": \"abc\", \"rounds\": 1000}"),
      Arguments.of("compute", "pi", "{\"samples\": 1000}"),
      Arguments.of("io_bound", "sleep", "{\"ms\": 0}"),
      Arguments.of("data_processing", "wordcount", "{\"text\": \"to be or not to be\"}"),
      Arguments.of("data_processing", "stats", "{\"values\": [1, 2.5, -3]}"),
      Arguments.of("data_processing", "sort", "{\"values\": []}"),
      Arguments.of("data_processing", "sort", "{\"values\": [3, 1, 2], \"order\": \"DESC\"}"),
      Arguments.of("ml_training", "linear-regression",
        "{\"x\": [[1, 2], [3, 4], [5, 6]], \"y\": [1, 2, 3], \"epochs\": 10, \"learningRate\": 0.01}"),
      Arguments.of("compute", "echo", null),
      Arguments.of("io_bound", "echo", "[1, 2, 3]"),
      Arguments.of("ml_training", "echo", "\"anything\""),
      Arguments.of("compute", "fail", null),
      Arguments.of("compute", "fail", "{\"message\": \"boom\"}"));
  }

  @ParameterizedTest(name = "{1} {2}")
  @MethodSource("goodData")
  @DisplayName("good data of a built-in passes")
  void goodDataPasses(String type, String function, String data) {
    assertThatCode(() -> TaskSpec.fromJson(task(type, function, data))).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("a function that is not built in passes validation whatever its data")
  void unknownFunctionsPass() {
    assertThatCode(() -> TaskSpec.fromJson(task("compute", "my-plugin", null))).doesNotThrowAnyException();
    assertThatCode(() -> TaskSpec.fromJson(task("compute", "my-plugin", "\"x\""))).doesNotThrowAnyException();
    assertThatCode(() -> TaskSpec.fromJson(task("io_bound", "my-plugin", "{\"upTo\": -1}"))).doesNotThrowAnyException();
    assertThatCode(() -> TaskSpec.fromJson(task("compute", "Primes", "{\"upTo\": -1}"))).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("names and typeOf describe the ten built-ins")
  void catalogue() {
    assertThat(BuiltinFunctions.names()).containsExactlyInAnyOrder("primes", "sha256", "pi", "sleep", "wordcount",
      "stats", "sort", "linear-regression", "echo", "fail");
    assertThat(BuiltinFunctions.typeOf("primes")).isEqualTo("compute");
    assertThat(BuiltinFunctions.typeOf("sleep")).isEqualTo("io_bound");
    assertThat(BuiltinFunctions.typeOf("stats")).isEqualTo("data_processing");
    assertThat(BuiltinFunctions.typeOf("linear-regression")).isEqualTo("ml_training");
    assertThat(BuiltinFunctions.typeOf("echo")).isEqualTo(BuiltinFunctions.ANY_TYPE);
    assertThat(BuiltinFunctions.typeOf("nope")).isNull();
    for (String name : BuiltinFunctions.names()) {
      String type = BuiltinFunctions.typeOf(name);
      if (!type.equals(BuiltinFunctions.ANY_TYPE)) {
        assertThat(TaskType.parse(type, "type").wireName()).isEqualTo(type);
      }
    }
  }
}
