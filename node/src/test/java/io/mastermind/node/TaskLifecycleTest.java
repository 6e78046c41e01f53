package io.mastermind.node;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.mastermind.node.TestNode.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DisplayName("A task moves through the state machine: cancel, timeout, retries, priority, idempotency")
@Timeout(90)
class TaskLifecycleTest {

  private TestNode node;

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private static JsonObject sleep(long ms) {
    return task("io_bound", "sleep", new JsonObject().put("ms", ms));
  }

  private String status(String id) {
    return node.get("/api/v1/tasks/" + id).body().getString("status");
  }

  private void awaitStatus(String id, String status) {
    await().atMost(Duration.ofSeconds(20)).until(() -> status.equals(status(id)));
  }

  @Test
  @DisplayName("cancelling a running task interrupts it promptly and frees its slot")
  void cancelRunning() throws Exception {
    node = new TestNode(new JsonObject().put("worker", new JsonObject().put("cpu", 1)));
    String id = node.post("/api/v1/tasks", sleep(60_000).put("id", "long-sleep").encode()).body().getString("id");
    awaitStatus(id, "running");

    TestNode.Response cancel = node.delete("/api/v1/tasks/" + id);
    assertThat(cancel.status()).isEqualTo(200);
    assertThat(cancel.body().getString("status")).isEqualTo("cancelled");
    assertThat(cancel.body().getJsonObject("error").getString("code")).isEqualTo("CANCELLED");

    // The single slot comes back, so a new task runs well before the 60 s sleep would have ended.
    JsonObject next = node.run(task("compute", "echo", new JsonObject().put("after", "cancel")));
    assertThat(next.getString("status")).isEqualTo("succeeded");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(node.taskIdsOf("task:cancelled")).containsExactly(id));
    assertThat(status(id)).isEqualTo("cancelled");
  }

  @Test
  @DisplayName("cancelling a queued task takes it out of the queue; it never starts")
  void cancelQueued() throws Exception {
    // no prefetch: the second task must wait in the leader's queue, not in the worker's
    node = new TestNode(new JsonObject().put("worker", new JsonObject().put("cpu", 1).put("prefetch", 0)));
    String blocker = node.post("/api/v1/tasks", sleep(60_000).encode()).body().getString("id");
    awaitStatus(blocker, "running");
    String queued = node.post("/api/v1/tasks", task("compute", "echo", new JsonObject()).encode()).body().getString("id");
    assertThat(status(queued)).isEqualTo("queued");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
      assertThat(node.get("/api/v1/tasks/" + queued).body().getString("reason")).contains("free resources"));

    assertThat(node.delete("/api/v1/tasks/" + queued).body().getString("status")).isEqualTo("cancelled");
    assertThat(node.delete("/api/v1/tasks/" + blocker).status()).isEqualTo(200);
    JsonObject after = node.run(task("compute", "echo", new JsonObject()));
    assertThat(after.getString("status")).isEqualTo("succeeded");
    assertThat(node.taskIdsOf("task:started")).doesNotContain(queued);
  }

  @Test
  @DisplayName("a task past its timeout is interrupted and ends timed_out")
  void timeout() throws Exception {
    node = new TestNode();
    JsonObject record = node.run(sleep(60_000).put("timeout", 200));
    assertThat(record.getString("status")).isEqualTo("timed_out");
    assertThat(record.getJsonObject("error").getString("code")).isEqualTo("TIMEOUT");
    assertThat(record.getLong("finishedAt") - record.getLong("startedAt")).isLessThan(10_000);
    await().atMost(Duration.ofSeconds(5))
      .untilAsserted(() -> assertThat(node.taskIdsOf("task:timed_out")).containsExactly(record.getString("id")));
  }

  @Test
  @DisplayName("a failing task runs again up to maxRetries with backoff, then fails")
  void retries() throws Exception {
    node = new TestNode();
    JsonObject record = node.run(task("compute", "fail", new JsonObject().put("message", "flaky")).put("maxRetries", 2));
    assertThat(record.getString("status")).isEqualTo("failed");
    assertThat(record.getInteger("attempts")).isEqualTo(3);
    assertThat(record.getInteger("retries")).isEqualTo(2);
    assertThat(record.getJsonObject("error").getString("message")).isEqualTo("flaky");
    String id = record.getString("id");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(node.taskIdsOf("task:retrying")).hasSize(2));
    List<JsonObject> retrying = node.events.stream()
      .filter(e -> "task:retrying".equals(e.getString("event")) && id.equals(e.getString("taskId"))).toList();
    assertThat(retrying).hasSize(2);
    // exponential: the second wait is twice the first (base 20 ms in these tests)
    assertThat(retrying.get(1).getJsonObject("data").getLong("delayMs"))
      .isEqualTo(2 * retrying.get(0).getJsonObject("data").getLong("delayMs"));
    assertThat(node.taskIdsOf("task:started").stream().filter(id::equals)).hasSize(3);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(node.taskIdsOf("alert")).containsExactly(id));
  }

  @Test
  @DisplayName("without maxRetries a failure is final after one attempt")
  void noRetryWithoutRetriesLeft() throws Exception {
    node = new TestNode();
    JsonObject record = node.run(task("compute", "fail", new JsonObject()));
    assertThat(record.getInteger("attempts")).isEqualTo(1);
    assertThat(node.taskIdsOf("task:retrying")).isEmpty();
  }

  @Test
  @DisplayName("on a saturated node, waiting tasks start in priority order: critical, high, normal, low")
  void priorityOrder() throws Exception {
    // no prefetch: every waiting task is in the leader's priority queue (prefetch is covered by its own test)
    node = new TestNode(new JsonObject().put("worker", new JsonObject().put("cpu", 1).put("prefetch", 0)));
    String blocker = node.post("/api/v1/tasks", sleep(300).encode()).body().getString("id");
    awaitStatus(blocker, "running");
    List<String> ids = new ArrayList<>();
    for (String priority : List.of("low", "normal", "high", "critical", "low", "critical")) {
      JsonObject t = task("compute", "echo", new JsonObject()).put("priority", priority).put("id", "p-" + ids.size() + "-" + priority);
      assertThat(node.post("/api/v1/tasks", t.encode()).status()).isEqualTo(202);
      ids.add(t.getString("id"));
    }
    for (String id : ids) {
      awaitStatus(id, "succeeded");
    }
    List<String> started = node.taskIdsOf("task:started").stream().filter(ids::contains).toList();
    assertThat(started).containsExactly("p-3-critical", "p-5-critical", "p-2-high", "p-1-normal", "p-0-low", "p-4-low");
  }

  @Test
  @DisplayName("resubmitting an id with the same body returns the existing task (200) and runs nothing")
  void idempotentSubmission() throws Exception {
    node = new TestNode();
    JsonObject body = task("compute", "primes", new JsonObject().put("upTo", 100)).put("id", "same-1");
    TestNode.Response first = node.post("/api/v1/tasks", body.encode());
    assertThat(first.status()).isEqualTo(202);
    assertThat(first.headers().firstValue("Location")).contains("/api/v1/tasks/same-1");
    awaitStatus("same-1", "succeeded");

    // same body, spelled differently (upper-case enum, explicit default priority)
    JsonObject again = body.copy().put("type", "COMPUTE").put("priority", "normal");
    TestNode.Response second = node.post("/api/v1/tasks", again.encode());
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.body().getString("status")).isEqualTo("succeeded");
    assertThat(second.body().getJsonObject("result").getInteger("count")).isEqualTo(25);
    assertThat(node.taskIdsOf("task:started").stream().filter("same-1"::equals)).hasSize(1);
    assertThat(node.taskIdsOf("task:submitted").stream().filter("same-1"::equals)).hasSize(1);
  }

  @Test
  @DisplayName("?wait answers 202 with the current record when the task outlives the wait")
  void waitShorterThanTask() throws Exception {
    node = new TestNode();
    TestNode.Response response = node.post("/api/v1/tasks?wait=100", sleep(2_000).encode());
    assertThat(response.status()).isEqualTo(202);
    assertThat(response.body().getString("status")).isIn("scheduled", "running");
  }

  @Test
  @DisplayName("after a mixed run of success, failure, timeout and cancel the ledger is back to full capacity")
  void noReservationLeaks() throws Exception {
    node = new TestNode(new JsonObject().put("worker", new JsonObject().put("cpu", 4).put("memory", 4096)));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      JsonObject req = new JsonObject().put("cpu", 0.5).put("memory", 256);
      ids.add(node.post("/api/v1/tasks", task("compute", "primes", new JsonObject().put("upTo", 50_000))
        .put("requirements", req).encode()).body().getString("id"));
      ids.add(node.post("/api/v1/tasks", task("compute", "fail", new JsonObject()).put("maxRetries", 1)
        .put("requirements", req).encode()).body().getString("id"));
      ids.add(node.post("/api/v1/tasks", sleep(5_000).put("timeout", 50).put("requirements", req).encode())
        .body().getString("id"));
      String toCancel = node.post("/api/v1/tasks", sleep(5_000).put("requirements", req).encode()).body().getString("id");
      ids.add(toCancel);
      node.delete("/api/v1/tasks/" + toCancel);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> {
      String s = status(id);
      return s.equals("succeeded") || s.equals("failed") || s.equals("timed_out") || s.equals("cancelled");
    }));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      JsonObject resources = node.workerNode().getJsonObject("resources");
      assertThat(resources.getJsonObject("cpu").getDouble("available")).isEqualTo(4.0);
      assertThat(resources.getJsonObject("memory").getLong("available")).isEqualTo(4096L);
      assertThat(node.workerNode().getInteger("runningTasks")).isZero();
    });
    JsonObject counts = node.get("/api/v1/cluster").body().getJsonObject("tasks");
    assertThat(counts.getInteger("succeeded")).isEqualTo(8);
    assertThat(counts.getInteger("failed")).isEqualTo(8);
    assertThat(counts.getInteger("timed_out")).isEqualTo(8);
    assertThat(counts.getInteger("cancelled")).isEqualTo(8);
  }
}
