package io.mastermind.gateway;

import io.mastermind.protocol.ErrorCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumSet;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Retry-After: a refusal for now (429, 503) says when to try again; nothing else does")
class RetryAfterTest {

  private static final EnumSet<ErrorCode> TRY_AGAIN_LATER =
    EnumSet.of(ErrorCode.QUEUE_FULL, ErrorCode.UNAVAILABLE, ErrorCode.LIMIT_EXCEEDED, ErrorCode.SLOW_CONSUMER, ErrorCode.NODE_LOST);

  @ParameterizedTest(name = "{0}")
  @EnumSource(ErrorCode.class)
  @DisplayName("an error answered with its code's status carries Retry-After exactly when that status is 429 or 503")
  void byCode(ErrorCode code) {
    OptionalLong seconds = HttpErrors.retryAfterSeconds(code.httpStatus());
    if (TRY_AGAIN_LATER.contains(code)) {
      assertThat(seconds).hasValue(GatewayOptions.RETRY_AFTER_SECONDS);
    } else {
      assertThat(seconds).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = ErrorCode.class, names = {"QUEUE_FULL", "UNAVAILABLE"})
  @DisplayName("the two admission refusals of SPEC section 10 get a positive Retry-After")
  void admission(ErrorCode code) {
    assertThat(HttpErrors.retryAfterSeconds(code.httpStatus())).isPresent();
    assertThat(HttpErrors.retryAfterSeconds(code.httpStatus()).getAsLong()).isPositive();
  }
}
