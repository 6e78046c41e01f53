package io.mastermind.gateway;

import io.mastermind.protocol.ValidationException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@DisplayName("JsonBounds holds decoded JSON to the depth, string and number bounds, naming the path")
class JsonBoundsTest {

  private final JsonBounds bounds = new JsonBounds(new InputLimits().setMaxJsonDepth(4).setMaxStringLength(300));

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  @Test
  @DisplayName("a document at the depth passes; one level more is TooDeep, however it nests")
  void depth() {
    assertThatCode(() -> bounds.check(Json.decodeValue(nested(4)))).doesNotThrowAnyException();
    assertThatThrownBy(() -> bounds.check(Json.decodeValue(nested(5)))).isInstanceOf(JsonBounds.TooDeep.class)
      .hasMessageContaining("http.limits.maxJsonDepth");
    assertThatThrownBy(() -> bounds.check(Json.decodeValue("{\"a\":{\"b\":[{\"c\":{\"d\":1}}]}}")))
      .isInstanceOf(JsonBounds.TooDeep.class);
    assertThatCode(() -> bounds.check(Json.decodeValue("{\"a\":{\"b\":[{\"c\":1}, {\"d\": null}]}, \"e\": [1, 2]}")))
      .doesNotThrowAnyException();
  }

  @Test
  @DisplayName("a very deep document is refused without recursion (no stack overflow)")
  void veryDeep() {
    JsonArray deep = new JsonArray();
    JsonArray inner = deep;
    for (int i = 0; i < 100_000; i++) {
      JsonArray next = new JsonArray();
      inner.add(next);
      inner = next;
    }
    assertThatThrownBy(() -> new JsonBounds(new InputLimits()).check(deep)).isInstanceOf(JsonBounds.TooDeep.class);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "{\"payload\": {\"data\": {\"upTo\": 1e400}}}                  | payload.data.upTo",
    "{\"payload\": {\"data\": {\"values\": [1, 2, -1e309]}}}       | payload.data.values[2]",
    "{\"n\": 123456789012345678901234567890}                        | n",
    "[0, {\"x\": -99999999999999999999}]                            | [1].x",
    "1e999                                                          | body"})
  @DisplayName("infinite doubles and integers past a long are refused, naming where they are")
  void numbers(String json, String path) {
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> bounds.check(Json.decodeValue(json)));
    assertThat(e).as(json).isNotNull();
    assertThat(e.field()).isEqualTo(path);
    assertThat(e.getMessage()).startsWith(path);
  }

  @Test
  @DisplayName("numbers within range pass: longs at their bounds, large finite doubles")
  void numbersInRange() {
    assertThatCode(() -> bounds.check(Json.decodeValue("[9223372036854775807, -9223372036854775808, 1.7e308, 0.5]")))
      .doesNotThrowAnyException();
  }

  @Test
  @DisplayName("strings longer than maxStringLength and keys longer than 1024 characters are refused")
  void strings() {
    assertThatCode(() -> bounds.check(new JsonObject().put("text", "x".repeat(300)))).doesNotThrowAnyException();
    ValidationException tooLong = catchThrowableOfType(ValidationException.class,
      () -> bounds.check(new JsonObject().put("payload", new JsonObject().put("text", "x".repeat(301)))));
    assertThat(tooLong.field()).isEqualTo("payload.text");
    assertThat(tooLong.getMessage()).contains("http.limits.maxStringLength");
    ValidationException longKey = catchThrowableOfType(ValidationException.class,
      () -> bounds.check(new JsonObject().put("k".repeat(InputLimits.MAX_KEY_LENGTH + 1), 1)));
    assertThat(longKey).isNotNull();
    assertThat(longKey.field()).hasSizeLessThan(64);
  }

  @Test
  @DisplayName("InputLimits: defaults, JSON round trip, and bad values refused naming the key")
  void limits() {
    InputLimits defaults = new InputLimits(new JsonObject());
    assertThat(defaults.getMaxJsonDepth()).isEqualTo(32);
    assertThat(defaults.getMaxStringLength()).isEqualTo(1024 * 1024);
    assertThat(defaults.getMaxConnections()).isEqualTo(4096);
    assertThat(defaults.getMaxWaiters()).isEqualTo(1024);
    InputLimits set = new InputLimits().setMaxJsonDepth(8).setMaxStringLength(1000).setMaxConnections(3).setMaxWaiters(2);
    assertThat(new InputLimits(set.toJson()).toJson()).isEqualTo(set.toJson());
    assertThat(new GatewayOptions(new JsonObject().put("limits", set.toJson())).getLimits().getMaxWaiters()).isEqualTo(2);
    assertThatThrownBy(() -> new InputLimits().setMaxJsonDepth(2)).hasMessageContaining("http.limits.maxJsonDepth");
    assertThatThrownBy(() -> new InputLimits().setMaxStringLength(10)).hasMessageContaining("http.limits.maxStringLength");
    assertThatThrownBy(() -> new InputLimits().setMaxConnections(0)).hasMessageContaining("http.limits.maxConnections");
    assertThatThrownBy(() -> new InputLimits().setMaxWaiters(-1)).hasMessageContaining("http.limits.maxWaiters");
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(delimiter = '|', value = {
    "application/json                  | true",
    "Application/JSON; charset=utf-8   | true",
    "application/vnd.api+json          | true",
    "text/plain                        | false",
    "application/x-www-form-urlencoded | false",
    "multipart/form-data; boundary=x   | false",
    "application/jsonp                 | false",
    "''                                | false"})
  @DisplayName("RequestGuard takes application/json and application/*+json, any case and parameters, nothing else")
  void contentTypes(String contentType, boolean json) {
    assertThat(RequestGuard.isJson(contentType)).isEqualTo(json);
    assertThat(RequestGuard.isJson(null)).isFalse();
  }
}
