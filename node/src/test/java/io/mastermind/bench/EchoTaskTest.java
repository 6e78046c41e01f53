package io.mastermind.bench;

import io.mastermind.protocol.Requirements;
import io.mastermind.protocol.TaskSpec;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The task the throughput and memory benchmarks submit is what issue 9 describes. */
class EchoTaskTest {

  @Test
  @DisplayName("the bench task is a valid echo task with default requirements and a 100-byte data")
  void echoTaskIsValidWithDefaultRequirementsAndHundredByteData() {
    JsonObject task = new JsonObject(FrontDoorBench.echoTask(100));

    TaskSpec spec = TaskSpec.fromJson(task);

    assertThat(spec.function()).isEqualTo("echo");
    assertThat(spec.requirements()).isEqualTo(Requirements.DEFAULT);
    assertThat(task.getJsonObject("payload").getJsonObject("data").encode()).hasSize(100);
  }
}
