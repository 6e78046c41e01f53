package io.mastermind.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("ClientInputLogFilter demotes the SockJS bridge's client-caused errors, and nothing else")
class ClientInputLogFilterTest {

  private final ClientInputLogFilter filter = new ClientInputLogFilter();
  private final LoggerContext context = new LoggerContext();

  @Test
  @DisplayName("the bridge's socket exceptions and refused frames are denied; its other errors and everyone else's pass")
  void decides() {
    Logger bridge = context.getLogger(ClientInputLogFilter.BRIDGE);
    Logger other = context.getLogger("io.mastermind.gateway.FailureHandler");
    RuntimeException cause = new RuntimeException("Max frame length of 8192 has been exceeded.");
    assertThat(filter.decide(null, bridge, Level.ERROR, "SockJSSocket exception", null, cause)).isEqualTo(FilterReply.DENY);
    assertThat(filter.decide(null, bridge, Level.ERROR, "Invalid type in incoming message: nope", null, null))
      .isEqualTo(FilterReply.DENY);
    assertThat(filter.decide(null, bridge, Level.WARN, "Refusing to register as address length > max_address_length", null, null))
      .isEqualTo(FilterReply.DENY);
    assertThat(filter.decide(null, bridge, Level.ERROR, "Failure in bridge event handler", null, cause)).isEqualTo(FilterReply.NEUTRAL);
    assertThat(filter.decide(null, other, Level.ERROR, "SockJSSocket exception", null, cause)).isEqualTo(FilterReply.NEUTRAL);
    assertThat(filter.decide(null, bridge, Level.DEBUG, "SockJSSocket exception", null, cause)).isEqualTo(FilterReply.NEUTRAL);
  }
}
