package io.mastermind.coordinator;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("CoordinatorOptions: the scheduler section, validated, with maxQueuedTasks sized to the heap")
class CoordinatorOptionsTest {

  private static final long MB = 1024L * 1024;
  private static final long GB = 1024 * MB;

  @ParameterizedTest(name = "{0} bytes of heap -> {1}")
  @CsvSource({
    "0, 10000",
    "41943040, 10240",          // 40 MiB: just above the floor
    "16777216, 10000",          // 16 MiB: the floor
    "268435456, 65536",         // 256 MiB: a quarter of the heap at 1 KiB a task
    "1073741824, 262144",       // 1 GiB
    "4294967296, 1048576",      // 4 GiB
    "34359738368, 5000000",     // 32 GiB: the ceiling
    "9223372036854775807, 5000000"})  // no -Xmx limit at all
  @DisplayName("the default maxQueuedTasks is a quarter of the heap at 1 KiB a task, clamped to [10 000, 5 000 000]")
  void defaultSizedToHeap(long heapBytes, int expected) {
    assertThat(CoordinatorOptions.defaultMaxQueuedTasks(heapBytes)).isEqualTo(expected);
  }

  @Test
  @DisplayName("this JVM's default follows its own heap, and is what new options and toJson carry")
  void defaultOfThisJvm() {
    int expected = CoordinatorOptions.defaultMaxQueuedTasks(Runtime.getRuntime().maxMemory());
    assertThat(CoordinatorOptions.DEFAULT_MAX_QUEUED_TASKS).isEqualTo(expected)
      .isBetween(CoordinatorOptions.MIN_DEFAULT_MAX_QUEUED_TASKS, CoordinatorOptions.MAX_DEFAULT_MAX_QUEUED_TASKS);
    assertThat(new CoordinatorOptions().getMaxQueuedTasks()).isEqualTo(expected);
    assertThat(new CoordinatorOptions().toJson().getInteger("maxQueuedTasks")).isEqualTo(expected);
  }

  @Test
  @DisplayName("maxQueuedTasks is read from the scheduler section; absent or null keeps the default; toJson shows it")
  void readFromJson() {
    CoordinatorOptions two = new CoordinatorOptions(new JsonObject().put("maxQueuedTasks", 2));
    assertThat(two.getMaxQueuedTasks()).isEqualTo(2);
    assertThat(two.toJson().getInteger("maxQueuedTasks")).isEqualTo(2);
    assertThat(new CoordinatorOptions(two.toJson()).getMaxQueuedTasks()).isEqualTo(2);

    assertThat(new CoordinatorOptions(new JsonObject()).getMaxQueuedTasks())
      .isEqualTo(CoordinatorOptions.DEFAULT_MAX_QUEUED_TASKS);
    assertThat(new CoordinatorOptions(new JsonObject().putNull("maxQueuedTasks")).getMaxQueuedTasks())
      .isEqualTo(CoordinatorOptions.DEFAULT_MAX_QUEUED_TASKS);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  @DisplayName("maxQueuedTasks must be > 0, from the setter and from JSON, with a message naming it")
  void maxQueuedTasksValidated(int value) {
    CoordinatorOptions options = new CoordinatorOptions();
    assertThatThrownBy(() -> options.setMaxQueuedTasks(value))
      .isInstanceOf(IllegalArgumentException.class).hasMessage("maxQueuedTasks must be > 0");
    assertThat(options.getMaxQueuedTasks()).isEqualTo(CoordinatorOptions.DEFAULT_MAX_QUEUED_TASKS);
    assertThatThrownBy(() -> new CoordinatorOptions(new JsonObject().put("maxQueuedTasks", value)))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxQueuedTasks");
  }

  @Test
  @DisplayName("toJson lists every scheduler key, and reading it back gives the same options")
  void toJsonRoundTrip() {
    JsonObject json = new CoordinatorOptions().setMaxQueuedTasks(7).setRetainedTasks(9).toJson();
    assertThat(json.fieldNames()).containsExactlyInAnyOrder("strategy", "agingIntervalMs", "retryBaseMs",
      "retryMaxMs", "schedulingBatch", "retainedTasks", "assignmentTimeoutMs", "rejoinGraceMs", "maxQueuedTasks",
      "maxNodeLosses", "retainedBytes", "retainedForMs", "storeBatch", "prefetchWindowMs", "maxTimeoutMs");
    assertThat(new CoordinatorOptions(json).toJson()).isEqualTo(json);
  }

  @Test
  @DisplayName("maxTimeoutMs defaults to 24 h, is read from the scheduler section, and must be 1 ms to 7 days")
  void maxTimeout() {
    assertThat(new CoordinatorOptions().getMaxTimeoutMs()).isEqualTo(CoordinatorOptions.DEFAULT_MAX_TIMEOUT_MS).isEqualTo(86_400_000L);
    CoordinatorOptions minute = new CoordinatorOptions(new JsonObject().put("maxTimeoutMs", 60_000));
    assertThat(minute.getMaxTimeoutMs()).isEqualTo(60_000L);
    assertThat(new CoordinatorOptions(minute.toJson()).getMaxTimeoutMs()).isEqualTo(60_000L);
    assertThatThrownBy(() -> new CoordinatorOptions().setMaxTimeoutMs(0)).hasMessageContaining("maxTimeoutMs");
    assertThatThrownBy(() -> new CoordinatorOptions().setMaxTimeoutMs(7L * 24 * 3600 * 1000 + 1)).hasMessageContaining("maxTimeoutMs");
  }
}
