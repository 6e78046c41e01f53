package example.plugin;

import io.mastermind.api.DistributedSystem;
import io.mastermind.node.EmbeddedSystems;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The example plugin runs in a real node that found it with ServiceLoader")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReverseHandlerTest {

  @Test
  @DisplayName("reverse answers the reversed text, and refuses missing text as INVALID_DATA without retrying")
  void runsInANode() throws Exception {
    DistributedSystem system = EmbeddedSystems.embedded(new JsonObject().put("nodeId", "plugin-example")
      .put("roles", new JsonArray().add("coordinator").add("worker")));
    system.initialize().await(30, TimeUnit.SECONDS);
    try {
      JsonObject done = system.executeTask(task(new JsonObject().put("text", "stressed"))).await(20, TimeUnit.SECONDS);
      assertThat(done.getString("status")).isEqualTo("succeeded");
      assertThat(done.getJsonObject("result").getString("text")).isEqualTo("desserts");

      JsonObject refused = system.executeTask(task(new JsonObject()).put("maxRetries", 3)).await(20, TimeUnit.SECONDS);
      assertThat(refused.getString("status")).isEqualTo("failed");
      assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("INVALID_DATA");
      assertThat(refused.getInteger("attempts")).isEqualTo(1);
    } finally {
      system.close().await(30, TimeUnit.SECONDS);
    }
  }

  static JsonObject task(JsonObject data) {
    return new JsonObject().put("type", "data_processing")
      .put("payload", new JsonObject().put("function", "reverse").put("data", data));
  }
}
