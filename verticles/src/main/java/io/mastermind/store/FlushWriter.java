package io.mastermind.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mastermind.protocol.EncodedJsonObject;
import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.protocol.TaskStatus;
import io.vertx.core.json.jackson.JacksonCodec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Writes a flush of records ({@code {"epoch", "records": [store JSON...]}}) straight to text with a
 * streaming generator, field for field what {@link TaskRecord#toStoreJson()} holds, without building a
 * JsonObject tree per record first: the leader encodes every record it stores, twice per task, and the
 * tree was half of that cost (measured with JFR at 3k tasks/s). {@link TaskRecord#fromStoreJson} reads
 * it back; a test keeps the two forms equal.
 */
public final class FlushWriter {

  private static final JsonFactory FACTORY = new JsonFactory();
  /**
   * Each thread's buffer to encode a record in, copied out at its exact size: a fresh 1 KB buffer per
   * record was 3% of the leader's allocation (JFR at 8,000 tasks/s). An echo task's record is ~700 bytes.
   */
  private static final ThreadLocal<ByteArrayOutputStream> SCRATCH = ThreadLocal.withInitial(() -> new ByteArrayOutputStream(1024));
  private static final int SCRATCH_KEPT_BYTES = 64 * 1024;

  private FlushWriter() {
  }

  /** The flush as text: {@link #writeBytes} decoded (what earlier builds stored; tests compare the two). */
  public static String write(long epoch, Collection<TaskRecord> records) {
    return new String(writeBytes(epoch, records, new IdentityHashMap<>()), StandardCharsets.UTF_8);
  }

  /**
   * The flush as UTF-8 bytes, each record encoded once with {@link #encode} and its bytes put in
   * {@code encoded} (the caller may keep them: {@link StoreBatch#encoded}).
   */
  public static byte[] writeBytes(long epoch, Collection<TaskRecord> records, Map<TaskRecord, byte[]> encoded) {
    return writeBytes(epoch, records, encoded, 0);
  }

  /** As {@link #writeBytes(long, Collection, Map)}, after {@code room} bytes left zero for the caller's header. */
  public static byte[] writeBytes(long epoch, Collection<TaskRecord> records, Map<TaskRecord, byte[]> encoded, int room) {
    byte[][] each = new byte[records.size()][];
    int i = 0;
    for (TaskRecord record : records) {
      each[i] = encode(record);
      encoded.put(record, each[i]);
      i++;
    }
    return join(epoch, each, i, room);
  }

  /**
   * A flush of the first {@code count} records already encoded ({@link #encode}), in one array of
   * exactly its size: a large flush is then allocated once, where the collector puts large arrays. The
   * flush starts after {@code room} bytes left zero, so a store can put its own header there without
   * copying the flush (HazelcastTaskStore does).
   */
  public static byte[] join(long epoch, byte[][] records, int count, int room) {
    byte[] head = ("{\"epoch\":" + epoch + ",\"records\":[").getBytes(StandardCharsets.US_ASCII);
    long length = room + head.length + 2L + Math.max(0, count - 1);
    for (int i = 0; i < count; i++) {
      length += records[i].length;
    }
    if (length > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("a flush of " + length + " bytes does not fit one array");
    }
    byte[] out = new byte[(int) length];
    System.arraycopy(head, 0, out, room, head.length);
    int at = room + head.length;
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        out[at++] = ',';
      }
      System.arraycopy(records[i], 0, out, at, records[i].length);
      at += records[i].length;
    }
    out[at++] = ']';
    out[at] = '}';
    return out;
  }

  /** One record's store JSON as UTF-8 bytes (what {@link TaskRecord#toStoreJson()} encodes to, without the tree). */
  public static byte[] encode(TaskRecord record) {
    ByteArrayOutputStream out = SCRATCH.get();
    out.reset();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      writeRecord(g, record);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] bytes = out.toByteArray();
    if (out.size() > SCRATCH_KEPT_BYTES) {
      SCRATCH.remove(); // a record with a large result: its buffer is not kept
    }
    return bytes;
  }

  /**
   * The public status record ({@link TaskRecord#toJson()}) as text, cut from the record's store JSON as
   * {@link #encode} wrote it: the store JSON is the status record's fields in the same order, then
   * {@code "task"} and maybe {@code "nodeLosses"}, so the status record is everything before the
   * top-level {@code ,"task":}, closed. Found by a scan that tracks strings and nesting, so a
   * {@code "task"} key inside a result is passed over. Much cheaper than encoding the record again.
   */
  public static String statusText(byte[] storeJson) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < storeJson.length; i++) {
      byte b = storeJson[i];
      if (inString) {
        if (b == '\\') {
          i++; // the escaped character, whatever it is
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        if (depth == 1 && storeJson[i - 1] == ',' && startsWith(storeJson, i, TASK_KEY)) {
          byte[] text = java.util.Arrays.copyOf(storeJson, i); // up to the comma before "task"
          text[i - 1] = '}';
          return new String(text, StandardCharsets.UTF_8);
        }
        inString = true;
      } else if (b == '{' || b == '[') {
        depth++;
      } else if (b == '}' || b == ']') {
        depth--;
      }
    }
    throw new IllegalArgumentException("not a record's store JSON: no top-level \"task\"");
  }

  /** The record's status JSON carrying its text cut from {@code storeJson}, the bytes just stored for it. */
  public static EncodedJsonObject statusJson(TaskRecord record, byte[] storeJson) {
    return new EncodedJsonObject(record.toJson(), statusText(storeJson));
  }

  private static final byte[] TASK_KEY = "\"task\":".getBytes(StandardCharsets.US_ASCII);

  private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
    if (at + prefix.length > bytes.length) {
      return false;
    }
    for (int k = 0; k < prefix.length; k++) {
      if (bytes[at + k] != prefix[k]) {
        return false;
      }
    }
    return true;
  }

  /** One record's store JSON: the public status record, the task as submitted, the node losses. */
  static void writeRecord(JsonGenerator g, TaskRecord r) throws IOException {
    TaskSpec spec = r.spec();
    g.writeStartObject();
    g.writeStringField("id", spec.id());
    g.writeStringField("type", spec.type().wireName());
    g.writeStringField("function", spec.function());
    g.writeStringField("priority", spec.priority().wireName());
    g.writeStringField("status", r.status().wireName());
    g.writeStringField("node", r.node()); // null when not placed, as the status record says
    g.writeNumberField("attempts", r.attempts());
    g.writeNumberField("retries", r.retries());
    g.writeNumberField("maxRetries", spec.maxRetries());
    g.writeNumberField("progress", r.progress());
    g.writeNumberField("submittedAt", r.submittedAt());
    if (spec.timeout() != null) {
      g.writeNumberField("timeout", spec.timeout());
    }
    if (r.startedAt() != null) {
      g.writeNumberField("startedAt", r.startedAt());
    }
    if (r.finishedAt() != null) {
      g.writeNumberField("finishedAt", r.finishedAt());
    }
    if (r.status() == TaskStatus.SUCCEEDED) {
      g.writeFieldName("result");
      JacksonCodec.encodeJson(r.result(), g);
    }
    if (r.error() != null) {
      g.writeObjectFieldStart("error");
      g.writeStringField("code", r.error().code());
      g.writeStringField("message", r.error().message());
      g.writeEndObject();
    }
    if (r.reason() != null) {
      g.writeStringField("reason", r.reason());
    }
    g.writeObjectFieldStart("task");
    g.writeStringField("type", spec.type().wireName());
    g.writeObjectFieldStart("payload");
    g.writeStringField("function", spec.function());
    if (spec.data() != null) {
      g.writeFieldName("data");
      JacksonCodec.encodeJson(spec.data(), g);
    }
    g.writeEndObject();
    g.writeObjectFieldStart("requirements");
    g.writeNumberField("cpu", spec.requirements().cpu());
    g.writeNumberField("memory", spec.requirements().memory());
    g.writeBooleanField("gpu", spec.requirements().gpu());
    g.writeEndObject();
    g.writeStringField("priority", spec.priority().wireName());
    g.writeNumberField("maxRetries", spec.maxRetries());
    if (spec.id() != null) {
      g.writeStringField("id", spec.id());
    }
    if (spec.timeout() != null) {
      g.writeNumberField("timeout", spec.timeout());
    }
    g.writeEndObject();
    if (r.nodeLosses() > 0) {
      g.writeNumberField("nodeLosses", r.nodeLosses());
    }
    g.writeEndObject();
  }
}
