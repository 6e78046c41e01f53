package io.mastermind.protocol;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("ErrorCode travels across the event bus as a failure code")
class ErrorCodeTest {

  @ParameterizedTest(name = "{0}")
  @EnumSource(ErrorCode.class)
  @DisplayName("fromFailureCode(failureCode()) gives the same code back")
  void roundTrip(ErrorCode code) {
    assertThat(ErrorCode.fromFailureCode(code.failureCode())).isSameAs(code);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ErrorCode.class)
  @DisplayName("a reply exception carries the code and is mapped back to it")
  void exceptionRoundTrip(ErrorCode code) {
    ReplyException e = code.exception("something went wrong");

    assertThat(e.failureCode()).isEqualTo(code.failureCode());
    assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    assertThat(e.getMessage()).isEqualTo("something went wrong");
    assertThat(ErrorCode.of(e)).isSameAs(code);
  }

  @Test
  @DisplayName("failure codes are distinct and above Vert.x's own small codes")
  void distinctCodes() {
    assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::failureCode)).doesNotHaveDuplicates()
      .allSatisfy(c -> assertThat(c).isGreaterThanOrEqualTo(4000));
  }

  @Test
  @DisplayName("failure codes never shift: every code keeps its number, and new ones are appended (QUEUE_FULL last)")
  void stableNumbers() {
    // The published contract (README, browsers, the Nexus): 4000 + place. Extend this list, never edit it.
    List<ErrorCode> order = List.of(
      ErrorCode.INVALID_JSON, ErrorCode.INVALID_FIELD, ErrorCode.UNKNOWN_FUNCTION, ErrorCode.UNSATISFIABLE,
      ErrorCode.UNAUTHORIZED, ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.ALREADY_FINISHED,
      ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.UNAVAILABLE, ErrorCode.INTERNAL,
      ErrorCode.HANDLER_ERROR, ErrorCode.INVALID_DATA, ErrorCode.TIMEOUT, ErrorCode.CANCELLED, ErrorCode.NODE_LOST,
      ErrorCode.LIMIT_EXCEEDED, ErrorCode.SLOW_CONSUMER,
      ErrorCode.QUEUE_FULL, ErrorCode.RESULT_TOO_LARGE,
      ErrorCode.FORBIDDEN,
      ErrorCode.BAD_REQUEST, ErrorCode.METHOD_NOT_ALLOWED, ErrorCode.UNSUPPORTED_MEDIA_TYPE);

    assertThat(ErrorCode.values()).containsExactlyElementsOf(order);
    for (int i = 0; i < order.size(); i++) {
      assertThat(order.get(i).failureCode()).as(order.get(i).name()).isEqualTo(4000 + i);
    }
    assertThat(ErrorCode.UNAVAILABLE.failureCode()).isEqualTo(4009);
    assertThat(ErrorCode.QUEUE_FULL.failureCode()).isEqualTo(4018);
    assertThat(ErrorCode.RESULT_TOO_LARGE.failureCode()).isEqualTo(4019);
    assertThat(ErrorCode.FORBIDDEN.failureCode()).isEqualTo(4020);
    assertThat(ErrorCode.UNSUPPORTED_MEDIA_TYPE.failureCode()).isEqualTo(4023);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {-1, 0, 1, 500, 3999, Integer.MIN_VALUE, Integer.MAX_VALUE})
  @DisplayName("an unknown failure code maps to INTERNAL")
  void unknownCodes(int failureCode) {
    assertThat(ErrorCode.fromFailureCode(failureCode)).isSameAs(ErrorCode.INTERNAL);
    assertThat(ErrorCode.fromFailureCode(4000 + ErrorCode.values().length)).isSameAs(ErrorCode.INTERNAL);
  }

  @Test
  @DisplayName("of maps validation failures, transport failures and anything else")
  void of() {
    assertThat(ErrorCode.of(new ValidationException("type", "bad"))).isSameAs(ErrorCode.INVALID_FIELD);
    assertThat(ErrorCode.of(new ReplyException(ReplyFailure.NO_HANDLERS, -1, "nobody"))).isSameAs(ErrorCode.UNAVAILABLE);
    assertThat(ErrorCode.of(new ReplyException(ReplyFailure.TIMEOUT, -1, "slow"))).isSameAs(ErrorCode.UNAVAILABLE);
    assertThat(ErrorCode.of(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 500, "theirs"))).isSameAs(ErrorCode.INTERNAL);
    assertThat(ErrorCode.of(new IllegalStateException("boom"))).isSameAs(ErrorCode.INTERNAL);
  }

  @Test
  @DisplayName("http statuses match the API's mapping")
  void httpStatuses() {
    assertThat(ErrorCode.INVALID_FIELD.httpStatus()).isEqualTo(400);
    assertThat(ErrorCode.UNAUTHORIZED.httpStatus()).isEqualTo(401);
    assertThat(ErrorCode.NOT_FOUND.httpStatus()).isEqualTo(404);
    assertThat(ErrorCode.CONFLICT.httpStatus()).isEqualTo(409);
    assertThat(ErrorCode.PAYLOAD_TOO_LARGE.httpStatus()).isEqualTo(413);
    assertThat(ErrorCode.INTERNAL.httpStatus()).isEqualTo(500);
    assertThat(ErrorCode.QUEUE_FULL.httpStatus()).isEqualTo(429);
    assertThat(ErrorCode.UNAVAILABLE.httpStatus()).isEqualTo(503);
    assertThat(ErrorCode.TIMEOUT.httpStatus()).isEqualTo(504);
    assertThat(ErrorCode.BAD_REQUEST.httpStatus()).isEqualTo(400);
    assertThat(ErrorCode.METHOD_NOT_ALLOWED.httpStatus()).isEqualTo(405);
    assertThat(ErrorCode.UNSUPPORTED_MEDIA_TYPE.httpStatus()).isEqualTo(415);
  }
}
