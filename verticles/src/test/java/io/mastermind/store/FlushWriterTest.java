package io.mastermind.store;

import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.TaskError;
import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.protocol.TaskStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("FlushWriter writes exactly the store JSON of each record, and reads back to equal records")
class FlushWriterTest {

  private static TaskSpec spec(JsonObject extra) {
    JsonObject json = new JsonObject().put("id", "t-1").put("type", "compute")
      .put("payload", new JsonObject().put("function", "echo").put("data", new JsonObject().put("text", "héllo \"x\"")
        .put("list", new JsonArray().add(1).add(2.5).add((Object) null))));
    return TaskSpec.fromJson(json.mergeIn(extra));
  }

  @Test
  @DisplayName("every kind of record (queued, running, succeeded, failed, with reason, timeout, node losses) matches toStoreJson")
  void sameAsTree() {
    TaskSpec plain = spec(new JsonObject());
    TaskSpec full = spec(new JsonObject().put("timeout", 5000).put("priority", "high").put("maxRetries", 2)
      .put("requirements", new JsonObject().put("cpu", 0.5).put("memory", 128).put("gpu", true)));
    TaskRecord queued = TaskRecord.queued(plain, 1000).withReason("waiting for a node with free resources");
    TaskRecord running = TaskRecord.queued(full, 1000).scheduled("w1").running(1010);
    TaskRecord succeeded = running.succeeded(new JsonObject().put("estimate", 3.14).put("n", 7), 1020);
    TaskRecord failed = running.ended(TaskStatus.FAILED, TaskError.of(ErrorCode.HANDLER_ERROR, "boom"), 1030);
    TaskRecord lost = running.lostNode(TaskError.of(ErrorCode.NODE_LOST, "node w1 failed"));
    TaskRecord textResult = running.succeeded("just text", 1040);
    List<TaskRecord> records = List.of(queued, running, succeeded, failed, lost, textResult);

    JsonObject flush = new JsonObject(FlushWriter.write(7, records));
    java.util.Map<TaskRecord, byte[]> encoded = new java.util.IdentityHashMap<>();
    JsonObject asBytes = new JsonObject(io.vertx.core.buffer.Buffer.buffer(FlushWriter.writeBytes(7, records, encoded)));
    assertThat(asBytes).as("the flush as bytes is the flush as text").isEqualTo(flush);
    assertThat(encoded).hasSize(records.size());
    records.forEach(r -> assertThat(encoded.get(r)).isEqualTo(FlushWriter.encode(r)));
    byte[] plainBytes = FlushWriter.writeBytes(7, records, new java.util.IdentityHashMap<>());
    byte[] withRoom = FlushWriter.writeBytes(7, records, new java.util.IdentityHashMap<>(), 12);
    assertThat(withRoom).as("room left first, then the same flush")
      .startsWith(new byte[12]).endsWith(plainBytes).hasSize(plainBytes.length + 12);

    assertThat(flush.getLong("epoch")).isEqualTo(7);
    JsonArray written = flush.getJsonArray("records");
    assertThat(written).hasSize(records.size());
    for (int i = 0; i < records.size(); i++) {
      assertThat(written.getJsonObject(i).encode()).as(records.get(i).status().wireName())
        .isEqualTo(new JsonObject(records.get(i).toStoreJson().encode()).encode());
      assertThat(TaskRecord.fromStoreJson(written.getJsonObject(i))).isEqualTo(records.get(i));
    }
  }

  @Test
  @DisplayName("statusText cuts the status record out of the store JSON, also when results, errors and data hold \"task\" keys and escapes")
  void statusTextIsTheStatusRecord() {
    JsonObject tricky = new JsonObject().put("task", new JsonObject().put("task", "x"))
      .put("quote", "a\",\"task\":{\"b").put("back", "\\\\\",\"task\":").put("list", new JsonArray().add("}").add("{\"task\":1}"))
      .put("unicode", "h\u00e9llo \u2603 \ud83d\ude00");
    TaskSpec spec = spec(new JsonObject().put("timeout", 5000).put("payload", new JsonObject().put("function", "echo")
      .put("data", tricky)));
    TaskRecord running = TaskRecord.queued(spec, 1000).scheduled("w1").running(1010);
    List<TaskRecord> records = List.of(
      TaskRecord.queued(spec, 1000),
      running,
      running.succeeded(tricky, 1020),
      running.succeeded("text with \"task\": inside", 1020),
      running.succeeded(new JsonArray().add(tricky), 1020),
      running.succeeded(null, 1020),
      running.ended(TaskStatus.FAILED, TaskError.of(ErrorCode.HANDLER_ERROR, ",\"task\":{}"), 1030).withReason("a \"task\" reason"),
      running.lostNode(TaskError.of(ErrorCode.NODE_LOST, "gone")).lostNode(TaskError.of(ErrorCode.NODE_LOST, "again")));
    for (TaskRecord record : records) {
      String text = FlushWriter.statusText(FlushWriter.encode(record));
      // the same JSON; not always the same characters (Jackson's byte writer escapes characters outside the BMP)
      assertThat(new JsonObject(text)).as(text).isEqualTo(record.toJson());
    }
  }
}
