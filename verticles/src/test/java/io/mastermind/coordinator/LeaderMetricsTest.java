package io.mastermind.coordinator;

import io.mastermind.events.EventPublisher;
import io.mastermind.protocol.BuiltinFunctions;
import io.mastermind.store.InMemoryTaskStore;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("LeaderMetrics: bounded function tags; the leader's gauges and counters exist only while it leads")
class LeaderMetricsTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("built-in functions keep their names; other names too up to the limit, later ones are 'other'")
  void functionTags() {
    LeaderMetrics metrics = new LeaderMetrics(new SimpleMeterRegistry());
    for (int i = 0; i < LeaderMetrics.MAX_FUNCTIONS; i++) {
      assertThat(metrics.functionTag("plugin-" + i)).isEqualTo("plugin-" + i);
    }
    assertThat(metrics.functionTag("plugin-0")).isEqualTo("plugin-0");
    assertThat(metrics.functionTag("one-too-many")).isEqualTo(LeaderMetrics.OTHER);
    assertThat(metrics.functionTag(null)).isEqualTo(LeaderMetrics.OTHER);
    for (String builtin : BuiltinFunctions.names()) {
      assertThat(metrics.functionTag(builtin)).isEqualTo(builtin);
    }
  }

  @Test
  @DisplayName("lead() registers queued/running/nodes/epoch gauges and the counters; stepDown() removes them all")
  void leadAndStepDown() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LeaderMetrics metrics = new LeaderMetrics(registry);
    LeaderState state = new LeaderState(new CoordinatorOptions(), "n1", vertx, new EventPublisher(vertx.eventBus(), "n1"),
      new InMemoryTaskStore());
    state.epoch = 7;
    state.counters.submitted();
    state.counters.submitted();
    state.counters.rejected(io.mastermind.protocol.ErrorCode.QUEUE_FULL);
    metrics.lead(state);
    assertThat(registry.get("mastermind.leader.epoch").gauge().value()).isEqualTo(7.0);
    assertThat(registry.get("mastermind.tasks.queued").tag("priority", "critical").gauge().value()).isZero();
    assertThat(registry.get("mastermind.tasks.running").gauge().value()).isZero();
    assertThat(registry.get("mastermind.nodes").tag("state", "healthy").gauge()).isNotNull();
    assertThat(registry.get("mastermind.tasks.submitted").functionCounter().count()).isEqualTo(2.0);
    assertThat(registry.get("mastermind.tasks.rejected").tag("code", "QUEUE_FULL").functionCounter().count()).isEqualTo(1.0);
    assertThat(registry.get("mastermind.tasks.finished").tag("status", "succeeded").functionCounter().count()).isZero();

    metrics.stepDown();
    assertThat(registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName)).isEmpty();

    metrics.lead(state); // leads again: registered again, once
    assertThat(registry.find("mastermind.tasks.submitted").functionCounters()).hasSize(1);
    metrics.stepDown();
    assertThat(registry.getMeters()).isEmpty();
  }
}
