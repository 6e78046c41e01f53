package io.mastermind.node;

import io.mastermind.coordinator.CoordinatorClient;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.EventNames;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@DisplayName("A task's live events arrive on mastermind.events in lifecycle order")
class TaskEventsTest {

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  @DisplayName("submitted, scheduled, started, progress..., completed, for a task submitted over the event bus")
  void lifecycleOrder(Vertx vertx, VertxTestContext testContext) {
    JsonObject settings = new JsonObject().put("nodeId", "events-node").put("roles", new JsonArray().add("coordinator").add("worker"))
      .put("worker", new JsonObject().put("cpu", 2).put("memory", 1024).put("progressIntervalMs", 0));
    List<String> seen = new CopyOnWriteArrayList<>();
    Checkpoint completed = testContext.checkpoint();
    JsonArray x = new JsonArray();
    JsonArray y = new JsonArray();
    for (int i = 0; i < 5; i++) {
      x.add(new JsonArray().add(i));
      y.add(3 * i);
    }
    JsonObject task = new JsonObject().put("id", "ordered-1").put("type", "ml_training")
      .put("payload", new JsonObject().put("function", "linear-regression")
        .put("data", new JsonObject().put("x", x).put("y", y).put("epochs", 20)));

    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, message -> {
      JsonObject event = message.body();
      if (!"ordered-1".equals(event.getString("taskId"))) {
        return;
      }
      seen.add(event.getString("event"));
      if (EventNames.TASK_COMPLETED.equals(event.getString("event"))) {
        testContext.verify(() -> {
          assertThat(seen.subList(0, 3)).containsExactly("task:submitted", "task:scheduled", "task:started");
          assertThat(seen.get(seen.size() - 1)).isEqualTo("task:completed");
          assertThat(seen.subList(3, seen.size() - 1)).isNotEmpty().allMatch("task:progress"::equals);
          assertThat(event.getJsonObject("data").getString("status")).isEqualTo("succeeded");
          assertThat(event.getString("nodeId")).isEqualTo("events-node");
        });
        completed.flag();
      }
    }).completion()
      .compose(v -> MastermindNode.start(vertx, NodeSettings.of(null, settings)))
      .compose(node -> new CoordinatorClient(vertx.eventBus(), 5_000).submit(task))
      .onComplete(testContext.succeeding(submitted -> testContext.verify(() ->
        assertThat(submitted.record().getString("status")).isEqualTo("queued"))));
  }
}
