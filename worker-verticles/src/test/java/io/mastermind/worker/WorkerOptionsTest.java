package io.mastermind.worker;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("WorkerOptions: documented defaults, JSON round trip, validating setters")
class WorkerOptionsTest {

  @Test
  @DisplayName("the defaults are the DEFAULT_* constants")
  void defaults() {
    WorkerOptions options = new WorkerOptions(new JsonObject());
    assertThat(options.getRunningReportDelayMs()).isEqualTo(WorkerOptions.DEFAULT_RUNNING_REPORT_DELAY_MS).isEqualTo(5);
    assertThat(options.getResultBatchDelayMs()).isEqualTo(WorkerOptions.DEFAULT_RESULT_BATCH_DELAY_MS).isEqualTo(1);
    assertThat(options.getOutcomeResendMs()).isEqualTo(WorkerOptions.DEFAULT_OUTCOME_RESEND_MS).isEqualTo(1_000);
    assertThat(options.getMaxResultBytes()).isEqualTo(WorkerOptions.DEFAULT_MAX_RESULT_BYTES).isEqualTo(1_048_576);
    assertThat(options.getPrefetch()).isEqualTo(WorkerOptions.DEFAULT_PREFETCH).isEqualTo(256);
    assertThat(options.toJson()).isEqualTo(new WorkerOptions().toJson());
  }

  @Test
  @DisplayName("every key survives toJson and the JSON constructor")
  void roundTrip() {
    WorkerOptions options = new WorkerOptions().setHeartbeatIntervalMs(250).setPluginsDir("ext").setProgressIntervalMs(0)
      .setJoinRetryMs(20).setRunningReportDelayMs(0).setResultBatchDelayMs(0).setOutcomeResendMs(7)
      .setMaxResultBytes(64).setPrefetch(0);
    assertThat(new WorkerOptions(options.toJson()).toJson()).isEqualTo(options.toJson());
    assertThat(options.toJson().fieldNames()).containsExactlyInAnyOrder("heartbeatIntervalMs", "pluginsDir",
      "progressIntervalMs", "joinRetryMs", "runningReportDelayMs", "resultBatchDelayMs", "outcomeResendMs",
      "maxResultBytes", "prefetch");
  }

  @Test
  @DisplayName("out-of-range values are refused with a message naming the setting")
  void validation() {
    WorkerOptions options = new WorkerOptions();
    assertThatThrownBy(() -> options.setRunningReportDelayMs(-1)).hasMessage("runningReportDelayMs must be >= 0 (got -1)");
    assertThatThrownBy(() -> options.setResultBatchDelayMs(-1)).hasMessageStartingWith("resultBatchDelayMs must be >= 0");
    assertThatThrownBy(() -> options.setOutcomeResendMs(0)).hasMessage("outcomeResendMs must be > 0 (got 0)");
    assertThatThrownBy(() -> options.setMaxResultBytes(0)).hasMessageStartingWith("maxResultBytes must be > 0");
    assertThatThrownBy(() -> options.setPrefetch(-1)).hasMessageStartingWith("prefetch must be >= 0");
    assertThatThrownBy(() -> new WorkerOptions(new JsonObject().put("heartbeatIntervalMs", 0)))
      .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("heartbeatIntervalMs must be > 0");
  }
}
