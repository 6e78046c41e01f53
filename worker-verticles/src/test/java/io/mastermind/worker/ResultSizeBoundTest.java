package io.mastermind.worker;

import io.mastermind.protocol.ErrorCode;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The bound that spares encoding a result to weigh it never underestimates, and unknown types still get encoded. */
class ResultSizeBoundTest {

  private static final String CHARS = "aZ0 \"\\\n\t\u0001\u00e9\u2028\u2603\ud83d\ude00/";

  @Test
  @DisplayName("for 2,000 random JSON values the bound is at least the encoded size")
  void neverBelowTheEncodedSize() {
    Random random = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      Object value = randomValue(random, 0);
      long bound = TaskExecution.sizeBound(value, 0);
      long actual = Json.encode(value).getBytes(StandardCharsets.UTF_8).length;
      assertThat(bound).as("%s", Json.encode(value)).isGreaterThanOrEqualTo(actual);
    }
  }

  @Test
  @DisplayName("values only Jackson can weigh give -1, and checkSize still encodes them; a large result is still refused")
  void unknownTypesAndLargeResults() {
    assertThat(TaskExecution.sizeBound(new JsonObject().put("at", Instant.EPOCH), 0)).isEqualTo(-1);
    assertThat(TaskExecution.sizeBound(new byte[3], 0)).isEqualTo(-1);
    assertThat(TaskExecution.sizeBound(new java.math.BigDecimal("1e400"), 0)).isEqualTo(-1);
    assertThat(TaskExecution.checkSize(new Object(), 1_000_000).code()).isEqualTo(ErrorCode.HANDLER_ERROR.name());
    String text = "x".repeat(1_000);
    assertThat(TaskExecution.checkSize(text, 999).code()).isEqualTo(ErrorCode.RESULT_TOO_LARGE.name());
    assertThat(TaskExecution.checkSize(text, 1_002)).isNull(); // its bound (6,002) is above: encoded to know
    assertThat(TaskExecution.checkSize(new JsonObject().put("n", 1), 1_000)).isNull();
  }

  private static Object randomValue(Random random, int depth) {
    int kind = random.nextInt(depth > 3 ? 6 : 9);
    return switch (kind) {
      case 0 -> null;
      case 1 -> random.nextBoolean();
      case 2 -> random.nextLong();
      case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(600) - 300);
      case 4 -> random.nextInt();
      case 5 -> randomString(random);
      case 6 -> {
        JsonObject object = new JsonObject();
        for (int i = random.nextInt(5); i > 0; i--) {
          object.put(randomString(random), randomValue(random, depth + 1));
        }
        yield object;
      }
      case 7 -> {
        JsonArray array = new JsonArray();
        for (int i = random.nextInt(5); i > 0; i--) {
          array.add(randomValue(random, depth + 1));
        }
        yield array;
      }
      default -> random.nextBoolean() ? Map.of("k", randomString(random)) : List.of(randomString(random), 1);
    };
  }

  private static String randomString(Random random) {
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(12); i > 0; i--) {
      text.append(CHARS.charAt(random.nextInt(CHARS.length())));
    }
    return text.toString();
  }
}
