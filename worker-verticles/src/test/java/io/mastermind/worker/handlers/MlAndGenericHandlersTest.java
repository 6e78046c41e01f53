package io.mastermind.worker.handlers;

import io.mastermind.worker.spi.TaskFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MlAndGenericHandlersTest {

  private final TestContext context = new TestContext();

  @Test
  void linearRegressionLearnsALine() throws Exception {
    JsonArray x = new JsonArray();
    JsonArray y = new JsonArray();
    for (int i = 0; i < 10; i++) {
      x.add(new JsonArray().add(i));
      y.add(2 * i + 1);
    }
    JsonObject data = new JsonObject().put("x", x).put("y", y).put("epochs", 2000).put("learningRate", 0.01);

    JsonObject result = (JsonObject) new LinearRegressionHandler().handle(data, context);

    assertThat(result.getJsonArray("weights")).hasSize(1);
    assertThat(result.getJsonArray("weights").getDouble(0)).isCloseTo(2.0, within(0.05));
    assertThat(result.getDouble("bias")).isCloseTo(1.0, within(0.05));
    assertThat(result.getDouble("loss")).isLessThan(1e-3);
    assertThat(context.progress()).hasSize(2000).last().isEqualTo(1.0);
  }

  @Test
  void linearRegressionStopsWhenCancelled() {
    JsonObject data = new JsonObject()
      .put("x", new JsonArray().add(new JsonArray().add(1)))
      .put("y", new JsonArray().add(1))
      .put("epochs", 1_000_000);
    context.cancel();

    assertThatThrownBy(() -> new LinearRegressionHandler().handle(data, context))
      .isInstanceOf(InterruptedException.class);
    assertThat(context.progress()).hasSize(1);
  }

  @Test
  void echoReturnsTheSameData() throws Exception {
    JsonObject data = new JsonObject().put("anything", new JsonArray().add(1).add("two"));

    assertThat(new EchoHandler().handle(data, context)).isSameAs(data);
    assertThat(new EchoHandler().handle("text", context)).isEqualTo("text");
    assertThat(new EchoHandler().handle(null, context)).isNull();
  }

  @Test
  void failThrowsTheGivenMessageAsARetryableHandlerError() {
    assertThatThrownBy(() -> new FailHandler().handle(new JsonObject().put("message", "boom"), context))
      .isInstanceOfSatisfying(TaskFailure.class, failure -> {
        assertThat(failure.code()).isEqualTo(TaskFailure.HANDLER_ERROR);
        assertThat(failure.getMessage()).isEqualTo("boom");
        assertThat(failure.retryable()).isTrue();
      });
  }

  @Test
  void failHasADefaultMessage() {
    assertThatThrownBy(() -> new FailHandler().handle(null, context))
      .isInstanceOf(TaskFailure.class)
      .hasMessage("task failed as requested");
  }
}
