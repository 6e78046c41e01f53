package io.mastermind.gateway;

import io.mastermind.protocol.EncodedJsonObject;
import io.mastermind.protocol.Event;
import io.mastermind.protocol.WebSocketFrames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The frames LiveEvent puts together as text are the frames WebSocketFrames would encode. */
class LiveEventTest {

  private static final JsonObject RECORD = new JsonObject()
    .put("id", "t-1").put("status", "succeeded")
    .put("result", new JsonObject().put("text", "quote \" backslash \\ newline \n unicode \u00e9 \u2028"))
    .put("tags", new JsonArray().add(1).add(2.5).addNull());

  private static final List<Object> REFS = Arrays.asList(7, 9_000_000_000L, "r-\"1\"", 2.5, null);

  @Test
  void followAndResultFramesMatchTheEncodedFrames() {
    LiveEvent event = new LiveEvent(Event.of("task:completed", "n1", "t-1", RECORD).toJson());
    for (Object ref : REFS) {
      assertThat(new JsonObject(event.followFrame(ref)))
        .as("event frame, ref %s", ref).isEqualTo(WebSocketFrames.event(ref, event.json()));
      assertThat(new JsonObject(event.resultFrame(ref)))
        .as("result frame, ref %s", ref).isEqualTo(WebSocketFrames.result(ref, RECORD));
    }
    assertThat(new JsonObject(event.subscriptionFrame())).isEqualTo(WebSocketFrames.event(null, event.json()));
    assertThat(event.followFrame(7)).startsWith("{\"op\":\"event\",\"ref\":7,");
    assertThat(event.resultFrame(7)).startsWith("{\"op\":\"result\",\"ref\":7,");
  }

  @Test
  void eventsWithoutDataOrFromTheWireEncodeAsPublished() {
    JsonObject noData = new JsonObject().put("event", "node:joined").put("timestamp", 5L).put("nodeId", "n2");
    LiveEvent about = new LiveEvent(noData);
    assertThat(new JsonObject(about.subscriptionFrame())).isEqualTo(WebSocketFrames.event(null, noData));

    JsonObject decoded = new JsonObject(Event.of("task:started", "n1", "t-2", new JsonObject().put("attempt", 1)).toJson().encode());
    LiveEvent wire = new LiveEvent(decoded);
    assertThat(new JsonObject(wire.followFrame("a"))).isEqualTo(WebSocketFrames.event("a", decoded));
  }

  @Test
  void fieldsThatNeedEscapingOrAreNotPlainAreEncodedByJackson() {
    JsonObject odd = Event.of("task:progress", "n\"\u00e9\\\n\u0001", "t-3", new JsonObject().put("progress", 0.5)).toJson()
      .put("ratio", 0.25).put("flag", true).put("list", new JsonArray().add("x")).putNull("none");
    LiveEvent event = new LiveEvent(odd);
    assertThat(new JsonObject(event.followFrame(1))).isEqualTo(WebSocketFrames.event(1, odd));
    assertThat(new JsonObject(event.subscriptionFrame())).isEqualTo(WebSocketFrames.event(null, odd));
  }

  @Test
  void anEventWhoseDataIsNotAnObjectIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LiveEvent(new JsonObject().put("event", "x").put("data", "text")))
      .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void flatDataIsWrittenAsJacksonWouldEncodeIt() {
    JsonObject flat = new JsonObject().put("type", "compute").put("function", "e\"c\\h\no \u00e9").put("attempt", 3)
      .put("submittedAt", 9_000_000_000L).put("flag", false).putNull("node");
    JsonObject event = Event.of("task:submitted", "n1", "t-4", flat).toJson();
    LiveEvent live = new LiveEvent(event);
    for (Object ref : REFS) {
      assertThat(new JsonObject(live.followFrame(ref))).as("ref %s", ref).isEqualTo(WebSocketFrames.event(ref, event));
    }
  }

  @Test
  void aRecordHandedOverEncodedIsWrittenAsItsTextAndMatchesTheEncodedFrames() {
    // a text that differs from what Jackson would write (spacing) shows which one was used
    EncodedJsonObject encoded = new EncodedJsonObject(RECORD, RECORD.encodePrettily());
    LiveEvent event = new LiveEvent(Event.of("task:completed", "n1", "t-1", encoded).toJson());
    assertThat(event.resultFrame(3)).contains(RECORD.encodePrettily());
    assertThat(new JsonObject(event.resultFrame(3))).isEqualTo(WebSocketFrames.result(3, RECORD));
    // copy(): a plain JsonObject never equals one that holds an encoded one (JsonObject's equals compares classes)
    assertThat(new JsonObject(event.followFrame(3))).isEqualTo(WebSocketFrames.event(3, event.json().copy()));
    for (Object ref : REFS) {
      assertThat(new JsonObject(LiveEvent.taskFrame("accepted", ref, encoded.encode())))
        .as("accepted frame, ref %s", ref).isEqualTo(WebSocketFrames.accepted(ref, RECORD));
    }
  }
}
