package io.mastermind.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static io.mastermind.node.TestNode.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC section 10, why queued: {@code GET /api/v1/tasks/{id}} of a queued task carries {@code blockedBy}
 * with the dimension that holds it and its 1-based place in the placement order, one test per dimension
 * a single node can show ({@code function} needs a node to leave after the submission: the planner's
 * own tests cover it). Workers have {@code worker.prefetch 0}, so a task that does not fit stays queued.
 */
@DisplayName("blockedBy: dimension and position of a queued task, through the HTTP API")
@Timeout(90)
class BlockedByTest {

  static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  @DisplayName("no worker: the task a pass looked at is blocked by capability at 1, the ones after it by queue at 2 and 3")
  void capabilityThenQueue() throws Exception {
    try (TestNode node = new TestNode(new JsonObject().put("roles", new JsonArray().add("coordinator").add("gateway")))) {
      String first = submit(node, echo("bb-1"));
      JsonObject blocked = awaitBlocked(node, first, "capability");
      assertThat(blocked.getInteger("position")).isEqualTo(1);
      String second = submit(node, echo("bb-2"));
      String third = submit(node, echo("bb-3"));
      assertThat(blockedBy(node, second)).isEqualTo(new JsonObject().put("dimension", "queue").put("position", 2));
      JsonObject thirdRecord = node.get("/api/v1/tasks/" + third).body();
      assertThat(thirdRecord.getJsonObject("blockedBy")).isEqualTo(new JsonObject().put("dimension", "queue").put("position", 3));
      assertThat(thirdRecord.getString("reason")).isNotBlank();
      // a critical task goes ahead of the normal ones it was queued after
      String urgent = submit(node, echo("bb-4").put("priority", "critical"));
      assertThat(blockedBy(node, urgent).getInteger("position")).isEqualTo(1);
      assertThat(blockedBy(node, third).getInteger("position")).isEqualTo(4);
      assertThat(node.get("/api/v1/cluster").body().getJsonObject("queueByPriority"))
        .isEqualTo(new JsonObject().put("low", 0).put("normal", 3).put("high", 0).put("critical", 1));
      // a finished task has no blockedBy
      assertThat(node.delete("/api/v1/tasks/" + third).status()).isLessThan(300);
      assertThat(node.get("/api/v1/tasks/" + third).body().containsKey("blockedBy")).isFalse();
    }
  }

  @Test
  @DisplayName("three of four cores taken by a long task: the next one, needing two, is blocked by cpu at 1")
  void cpu() throws Exception {
    // a core stays free: with none, passes pause until one frees (the task would wait as "queue")
    busyThenBlocked(new JsonObject().put("cpu", 3), new JsonObject().put("cpu", 2), "cpu");
  }

  @Test
  @DisplayName("all memory taken by a long task: the next one is blocked by memory at 1")
  void memory() throws Exception {
    busyThenBlocked(new JsonObject().put("cpu", 1).put("memory", 4096), new JsonObject().put("cpu", 1).put("memory", 4096), "memory");
  }

  @Test
  @DisplayName("the only gpu taken by a long task: the next gpu task is blocked by gpu at 1")
  void gpu() throws Exception {
    busyThenBlocked(new JsonObject().put("cpu", 1).put("gpu", true), new JsonObject().put("cpu", 1).put("gpu", true), "gpu");
  }

  /** A 4-core, 4096 MB node with a gpu runs a long task needing {@code busy}, then queues one needing {@code next}. */
  private static void busyThenBlocked(JsonObject busy, JsonObject next, String dimension) throws Exception {
    try (TestNode node = new TestNode(new JsonObject()
      .put("worker", new JsonObject().put("cpu", 4).put("memory", 4096).put("gpu", true).put("prefetch", 0)))) {
      String running = submit(node, task("io_bound", "sleep", new JsonObject().put("ms", 60_000)).put("requirements", busy));
      await().atMost(WAIT).until(() -> "running".equals(node.get("/api/v1/tasks/" + running).body().getString("status")));
      String waiting = submit(node, task("io_bound", "sleep", new JsonObject().put("ms", 10)).put("requirements", next));
      JsonObject blocked = awaitBlocked(node, waiting, dimension);
      assertThat(blocked.getInteger("position")).isEqualTo(1);
      assertThat(node.get("/api/v1/tasks/" + running).body().containsKey("blockedBy")).isFalse();
      node.delete("/api/v1/tasks/" + running);
      await().atMost(WAIT).until(() -> "succeeded".equals(node.get("/api/v1/tasks/" + waiting).body().getString("status")));
      assertThat(node.get("/api/v1/tasks/" + waiting).body().containsKey("blockedBy")).isFalse();
    }
  }

  private static JsonObject echo(String id) {
    return task("compute", "echo", new JsonObject()).put("id", id);
  }

  private static String submit(TestNode node, JsonObject task) {
    TestNode.Response accepted = node.post("/api/v1/tasks", task.encode());
    assertThat(accepted.status()).as(accepted.body().encode()).isEqualTo(202);
    return accepted.body().getString("id");
  }

  private static JsonObject blockedBy(TestNode node, String id) {
    TestNode.Response record = node.get("/api/v1/tasks/" + id);
    assertThat(record.status()).isEqualTo(200);
    assertThat(record.body().getString("status")).isEqualTo("queued");
    return record.body().getJsonObject("blockedBy");
  }

  private static JsonObject awaitBlocked(TestNode node, String id, String dimension) {
    await().atMost(WAIT).alias("blockedBy " + dimension + " of " + id).until(() -> {
      JsonObject blocked = blockedBy(node, id);
      return blocked != null && dimension.equals(blocked.getString("dimension"));
    });
    return blockedBy(node, id);
  }
}
