package io.mastermind.events;

import io.mastermind.protocol.EncodedJsonObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SharedJsonCodecTest {

  private final SharedJsonCodec codec = new SharedJsonCodec();

  @Test
  @DisplayName("on the wire: a length, then what JsonObject.toBuffer() writes, after whatever the buffer held; decoded equal")
  void wireForm() {
    JsonObject json = new JsonObject().put("id", "t-1").put("n", 42).put("x", 1.5).put("ok", true).putNull("none")
      .put("text", "h\u00e9llo \"w\u00f6rld\" \u2603\n").put("list", new JsonArray().add(1).add("two").add(new JsonObject().put("k", "v")))
      .put("big", "y".repeat(20_000)); // longer than the generator's own buffer: written in several chunks
    Buffer buffer = Buffer.buffer().appendString("header");

    codec.encodeToWire(buffer, json);

    Buffer expected = json.toBuffer();
    assertThat(buffer.getInt(6)).isEqualTo(expected.length());
    assertThat(buffer.getBuffer(10, buffer.length())).isEqualTo(expected);
    assertThat(codec.decodeFromWire(6, buffer)).isEqualTo(json);
  }

  @Test
  @DisplayName("an object that carries its text already goes on the wire as that text")
  void encodedText() {
    JsonObject json = new JsonObject().put("id", "t-2").put("status", "queued");
    Buffer buffer = Buffer.buffer();

    codec.encodeToWire(buffer, new EncodedJsonObject(json, json.encode()));

    assertThat(buffer.getString(4, buffer.length())).isEqualTo(json.encode());
    assertThat(codec.decodeFromWire(0, buffer)).isEqualTo(json);
  }
}
