package io.mastermind.gateway.nexus;

import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.TaskError;
import io.mastermind.protocol.ValidationException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("NexusTask in, NexusResponse out: validation, mapping of a task's end, and the wait bound")
class NexusTaskTest {

  static JsonObject primes(long upTo) {
    return new JsonObject().put("type", "compute")
      .put("payload", new JsonObject().put("function", "primes").put("data", new JsonObject().put("upTo", upTo)));
  }

  static JsonObject request(JsonObject task) {
    return new JsonObject().put("requestId", "r-1").put("system", "distributed_computing").put("action", "execute")
      .put("task", task);
  }

  @Test
  @DisplayName("a well-formed NexusTask keeps its requestId and the task as sent, validated")
  void valid() {
    NexusTask task = NexusTask.fromJson(request(primes(10)));
    assertThat(task.requestId()).isEqualTo("r-1");
    assertThat(task.task()).isEqualTo(primes(10));
    assertThat(task.spec().function()).isEqualTo("primes");
  }

  @Test
  @DisplayName("each malformed part is refused naming its field, task fields from the NexusTask's root")
  void invalid() {
    assertField(request(primes(10)).put("system", "billing"), "system");
    assertField(request(primes(10)).put("system", 7), "system");
    assertField(request(primes(10)).put("action", "delete"), "action");
    assertField(request(primes(10)).put("action", null), "action");
    assertField(request(primes(10)).put("requestId", ""), "requestId");
    assertField(request(primes(10)).put("requestId", "x".repeat(257)), "requestId");
    assertField(request(null), "task");
    assertField(request(primes(10)).put("task", "primes"), "task");
    assertField(request(primes(-1)), "task.payload.data.upTo");
    assertField(request(primes(10).put("type", "painting")), "task.type");
    assertThatThrownBy(() -> NexusTask.fromJson(request(primes(-1))))
      .hasMessageStartingWith("task.payload.data.upTo must be");
  }

  private static void assertField(JsonObject json, String field) {
    assertThatThrownBy(() -> NexusTask.fromJson(json)).isInstanceOfSatisfying(ValidationException.class,
      e -> assertThat(e.field()).isEqualTo(field));
  }

  @Test
  @DisplayName("succeeded is success with the result; failed, timed out and cancelled are errors with the task's error")
  void responses() {
    JsonObject succeeded = new JsonObject().put("id", "t1").put("status", "succeeded").put("result", new JsonObject().put("count", 4));
    assertThat(NexusResponse.of("r-1", succeeded, 1000, 12).toJson()).isEqualTo(new JsonObject()
      .put("requestId", "r-1").put("system", "distributed_computing").put("status", "success").put("taskId", "t1")
      .put("result", new JsonObject().put("count", 4)).put("durationMs", 12L));

    JsonObject failed = new JsonObject().put("id", "t2").put("status", "failed")
      .put("error", TaskError.of(ErrorCode.HANDLER_ERROR, "boom").toJson());
    JsonObject error = NexusResponse.of("r-2", failed, 1000, 3).toJson();
    assertThat(error.getString("status")).isEqualTo("error");
    assertThat(error.getJsonObject("error")).isEqualTo(new JsonObject().put("code", "HANDLER_ERROR").put("message", "boom"));
    assertThat(error.containsKey("result")).isFalse();

    JsonObject cancelled = new JsonObject().put("id", "t3").put("status", "cancelled");
    assertThat(NexusResponse.of("r-3", cancelled, 1000, 3).error().code()).isEqualTo("CANCELLED");
    JsonObject timedOut = new JsonObject().put("id", "t4").put("status", "timed_out");
    assertThat(NexusResponse.of("r-4", timedOut, 1000, 3).error().code()).isEqualTo("TIMEOUT");

    JsonObject running = new JsonObject().put("id", "t5").put("status", "running");
    NexusResponse stillRunning = NexusResponse.of("r-5", running, 1500, 1501);
    assertThat(stillRunning.success()).isFalse();
    assertThat(stillRunning.error().message()).contains("did not end within 1500 ms", "running", "/api/v1/tasks/t5");
  }

  @Test
  @DisplayName("a task refused at the door (QUEUE_FULL) is status error with that code, its own id or none, and the refusal")
  void refusedResponse() {
    NexusResponse full = NexusResponse.refused("r-6", "t6", ErrorCode.QUEUE_FULL, "queue is full: 2 tasks queued", 4);
    assertThat(full.toJson()).isEqualTo(new JsonObject()
      .put("requestId", "r-6").put("system", "distributed_computing").put("status", "error").put("taskId", "t6")
      .put("error", new JsonObject().put("code", "QUEUE_FULL").put("message", "queue is full: 2 tasks queued"))
      .put("durationMs", 4L));
    assertThat(full.refusal()).isSameAs(ErrorCode.QUEUE_FULL);
    assertThat(NexusResponse.refused("r-7", null, ErrorCode.QUEUE_FULL, "full", 0).toJson().getValue("taskId")).isNull();

    JsonObject failed = new JsonObject().put("id", "t8").put("status", "failed");
    assertThat(NexusResponse.of("r-8", failed, 1000, 3).refusal()).as("a task that ran was not refused").isNull();

    NexusResponse invalid = NexusResponse.refused("r-9", null, ErrorCode.INVALID_FIELD, "task.type is required", "task.type", 0);
    assertThat(invalid.toJson().getJsonObject("error")).isEqualTo(new JsonObject()
      .put("code", "INVALID_FIELD").put("message", "task.type is required").put("field", "task.type"));
    assertThat(invalid.refusal().httpStatus()).isEqualTo(400);
  }

  @Test
  @DisplayName("an error at the HTTP door is a NexusResponse too: status error, the API's error object, the requestId when known")
  void refusedAtTheDoor() {
    JsonObject error = new JsonObject().put("code", "UNSUPPORTED_MEDIA_TYPE").put("message", "needs JSON");
    assertThat(NexusResponse.refusedJson(null, error)).isEqualTo(new JsonObject()
      .put("requestId", null).put("system", "distributed_computing").put("status", "error").put("taskId", null)
      .put("error", error).put("durationMs", 0L));
    assertThat(NexusResponse.refusedJson("r-10", error).getString("requestId")).isEqualTo("r-10");
    assertThat(NexusTask.requestIdOf(new JsonObject().put("requestId", "r-11"))).isEqualTo("r-11");
    assertThat(NexusTask.requestIdOf(new JsonObject().put("requestId", 11))).isNull();
    assertThat(NexusTask.requestIdOf(new JsonObject().put("requestId", "x".repeat(257)))).isNull();
    assertThat(NexusTask.requestIdOf(null)).isNull();
  }

  @Test
  @DisplayName("the wait is nexus.taskWaitMs, or shorter when the task's timeout per attempt plus grace ends it sooner")
  void waitBound() {
    assertThat(NexusService.waitBound(NexusTask.fromJson(request(primes(10))).spec(), 60_000)).isEqualTo(60_000);
    JsonObject timed = primes(10).put("timeout", 1_000).put("maxRetries", 2);
    assertThat(NexusService.waitBound(NexusTask.fromJson(request(timed)).spec(), 60_000))
      .isEqualTo(3 * 1_000 + NexusService.TIMEOUT_GRACE_MS);
    JsonObject long_ = primes(10).put("timeout", 600_000);
    assertThat(NexusService.waitBound(NexusTask.fromJson(request(long_)).spec(), 60_000)).isEqualTo(60_000);
  }

  @Test
  @DisplayName("the registration names the system, the four task types, every event and the task endpoint")
  void registration() {
    JsonObject body = NexusRegistrar.registration("http://gw:8080/api/v1/nexus/tasks");
    assertThat(body.getString("name")).isEqualTo("distributed_computing");
    assertThat(body.getJsonArray("capabilities")).containsExactly("compute", "io_bound", "data_processing", "ml_training");
    assertThat(body.getJsonArray("eventHandlers")).hasSize(18).contains("task:completed", "node:join", "alert");
    assertThat(body.getString("endpoint")).isEqualTo("http://gw:8080/api/v1/nexus/tasks");
  }
}
