package io.mastermind.gateway.bridge;

import io.mastermind.protocol.ErrorCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The failure codes browsers and the Nexus see are a published contract")
class BridgeFailureCodesTest {

  @Test
  @DisplayName("the numbers the README documents stay put (they follow ErrorCode's order: append new codes at the end)")
  void documentedNumbers() {
    assertThat(ErrorCode.INVALID_JSON.failureCode()).isEqualTo(4000);
    assertThat(ErrorCode.INVALID_FIELD.failureCode()).isEqualTo(4001);
    assertThat(ErrorCode.UNKNOWN_FUNCTION.failureCode()).isEqualTo(4002);
    assertThat(ErrorCode.UNSATISFIABLE.failureCode()).isEqualTo(4003);
    assertThat(ErrorCode.CONFLICT.failureCode()).isEqualTo(4006);
    assertThat(ErrorCode.UNAVAILABLE.failureCode()).isEqualTo(4009);
    assertThat(ErrorCode.QUEUE_FULL.failureCode()).isEqualTo(4018);
  }
}
