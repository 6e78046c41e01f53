package io.mastermind.protocol;

import io.mastermind.protocol.WebSocketFrames.Op;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@DisplayName("WebSocketFrames: the one spelling of the WebSocket protocol, for the gateway and its clients")
class WebSocketFramesTest {

  @Test
  @DisplayName("client frames carry op, ref and their body")
  void clientFrames() {
    JsonObject task = new JsonObject().put("type", "compute");
    assertThat(WebSocketFrames.submit("r1", task))
      .isEqualTo(new JsonObject().put("op", "submit").put("ref", "r1").put("task", task));
    assertThat(WebSocketFrames.subscribe("r2", List.of("task:*", "alert")).encode())
      .isEqualTo("{\"op\":\"subscribe\",\"ref\":\"r2\",\"events\":[\"task:*\",\"alert\"]}");
    assertThat(WebSocketFrames.unsubscribe("r3").encode()).isEqualTo("{\"op\":\"unsubscribe\",\"ref\":\"r3\"}");
    assertThat(WebSocketFrames.cancel("r4", "t-1").encode()).isEqualTo("{\"op\":\"cancel\",\"ref\":\"r4\",\"id\":\"t-1\"}");
  }

  @Test
  @DisplayName("server frames leave out a null ref, except error frames, which always carry one")
  void serverFrames() {
    assertThat(WebSocketFrames.event(null, new JsonObject().put("event", "alert")).containsKey("ref")).isFalse();
    JsonObject error = WebSocketFrames.error(null, ErrorCode.INVALID_JSON, "bad");
    assertThat(error.containsKey("ref")).isTrue();
    assertThat(error.getJsonObject("error")).isEqualTo(new JsonObject().put("code", "INVALID_JSON").put("message", "bad"));
    assertThat(WebSocketFrames.subscribed("s", List.of(EventPattern.of("task:*"))).getJsonArray("events").getList())
      .containsExactly("task:*");
  }

  @ParameterizedTest
  @EnumSource(Op.class)
  @DisplayName("a frame's op reads back as the enum; client ops parse strictly")
  void ops(Op op) {
    assertThat(WebSocketFrames.op(new JsonObject().put("op", op.wireName()))).isEqualTo(op);
    boolean fromClient = List.of(Op.SUBMIT, Op.SUBSCRIBE, Op.UNSUBSCRIBE, Op.CANCEL, Op.PING).contains(op);
    if (fromClient) {
      assertThat(Op.fromClient(op.wireName())).isEqualTo(op);
    } else {
      assertThat(catchThrowableOfType(ValidationException.class, () -> Op.fromClient(op.wireName())).field()).isEqualTo("op");
    }
  }

  @Test
  @DisplayName("unknown ops and non-JSON text read as null, so a client can ignore them")
  void unknown() {
    assertThat(WebSocketFrames.op(new JsonObject().put("op", "SUBMIT"))).isNull();
    assertThat(WebSocketFrames.op(new JsonObject())).isNull();
    assertThat(WebSocketFrames.parse("not json")).isNull();
    assertThat(WebSocketFrames.parse("[1]")).isNull();
    assertThat(WebSocketFrames.parse("{\"op\":\"pong\"}")).isEqualTo(new JsonObject().put("op", "pong"));
  }
}
