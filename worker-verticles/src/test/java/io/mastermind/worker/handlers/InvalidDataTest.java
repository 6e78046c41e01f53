package io.mastermind.worker.handlers;

import io.mastermind.worker.spi.TaskFailure;
import io.mastermind.worker.spi.TaskHandler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Bad data is a non-retryable INVALID_DATA failure naming the field, never a ClassCastException. */
class InvalidDataTest {

  static Stream<Arguments> badData() {
    JsonArray oneRow = new JsonArray().add(new JsonArray().add(1));
    return Stream.of(
      arguments(new PrimesHandler(), new JsonObject().put("upTo", "x"), "payload.data.upTo"),
      arguments(new PrimesHandler(), null, "payload.data.upTo"),
      arguments(new PrimesHandler(), new JsonObject().put("upTo", -1), "payload.data.upTo"),
      arguments(new PrimesHandler(), "not an object", "payload.data"),
      arguments(new Sha256Handler(), new JsonObject().put("text", 5), "payload.data.text"),
      arguments(new Sha256Handler(), new JsonObject().put("text", "a").put("rounds", 0), "payload.data.rounds"),
      arguments(new PiHandler(), new JsonObject().put("samples", 1.5), "payload.data.samples"),
      arguments(new SleepHandler(), new JsonObject(), "payload.data.ms"),
      arguments(new WordCountHandler(), new JsonArray(), "payload.data"),
      arguments(new StatsHandler(), new JsonObject().put("values", new JsonArray()), "payload.data.values"),
      arguments(new StatsHandler(), new JsonObject().put("values", new JsonArray().add(1).add("2")), "payload.data.values[1]"),
      arguments(new StatsHandler(), new JsonObject().put("values", new JsonArray().add(Double.MAX_VALUE).add(Double.MAX_VALUE)),
        "payload.data.values"),
      arguments(new SortHandler(), new JsonObject().put("values", new JsonArray()).put("order", "sideways"), "payload.data.order"),
      arguments(new SortHandler(), new JsonObject().put("values", "1,2"), "payload.data.values"),
      arguments(new LinearRegressionHandler(), new JsonObject().put("x", new JsonArray()).put("y", new JsonArray()),
        "payload.data.x"),
      arguments(new LinearRegressionHandler(),
        new JsonObject().put("x", oneRow.copy().add(new JsonArray().add(1).add(2))).put("y", new JsonArray().add(1).add(2)),
        "payload.data.x[1]"),
      arguments(new LinearRegressionHandler(), new JsonObject().put("x", oneRow).put("y", new JsonArray()), "payload.data.y"),
      arguments(new LinearRegressionHandler(),
        new JsonObject().put("x", oneRow).put("y", new JsonArray().add(1)).put("learningRate", 0), "payload.data.learningRate"),
      arguments(new LinearRegressionHandler(), divergingRegression(), "payload.data.learningRate"),
      arguments(new FailHandler(), new JsonObject().put("message", 42), "payload.data.message"));
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("badData")
  void badDataFailsAsInvalidData(TaskHandler handler, Object data, String field) {
    assertThatThrownBy(() -> handler.handle(data, new TestContext()))
      .isInstanceOfSatisfying(TaskFailure.class, failure -> {
        assertThat(failure.code()).isEqualTo(TaskFailure.INVALID_DATA);
        assertThat(failure.retryable()).isFalse();
      })
      .hasMessageStartingWith(field);
  }

  private static JsonObject divergingRegression() {
    JsonArray x = new JsonArray();
    JsonArray y = new JsonArray();
    for (int i = 0; i < 10; i++) {
      x.add(new JsonArray().add(i * 100));
      y.add(i);
    }
    return new JsonObject().put("x", x).put("y", y).put("epochs", 1000).put("learningRate", 10);
  }
}
