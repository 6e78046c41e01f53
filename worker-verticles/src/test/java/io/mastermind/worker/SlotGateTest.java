package io.mastermind.worker;

import io.mastermind.resources.Resources;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("SlotGate starts queued tasks in arrival order while they fit the node's free resources and threads")
class SlotGateTest {

  private static final Resources ONE_CORE = new Resources(1, 0, 0);

  @Test
  @DisplayName("tasks that fit together start together, in arrival order")
  void fittingTasksStartInOrder() {
    SlotGate<String> gate = new SlotGate<>(new Resources(4, 8_192, 0), 4);
    gate.enqueue("a", ONE_CORE);
    gate.enqueue("b", new Resources(2, 4_096, 0));
    gate.enqueue("c", ONE_CORE);

    assertThat(gate.startable()).containsExactly("a", "b", "c");
    assertThat(gate.used()).isEqualTo(new Resources(4, 4_096, 0));
    assertThat(gate.waitingCount()).isZero();
    assertThat(gate.startable()).isEmpty();
  }

  @Test
  @DisplayName("a head that does not fit blocks the smaller tasks behind it until enough is free")
  void headBlocksTheQueue() {
    SlotGate<String> gate = new SlotGate<>(new Resources(4, 0, 0), 4);
    gate.enqueue("small", new Resources(3, 0, 0));
    gate.enqueue("big", new Resources(2, 0, 0));
    gate.enqueue("tiny", new Resources(0.5, 0, 0));

    assertThat(gate.startable()).containsExactly("small");
    assertThat(gate.isWaiting("tiny")).as("no overtaking").isTrue();

    assertThat(gate.remove("small")).isTrue();
    assertThat(gate.startable()).containsExactly("big", "tiny");
  }

  @Test
  @DisplayName("memory is a dimension of its own: two 600 MB tasks on a 1000 MB node run one after the other")
  void memoryGates() {
    SlotGate<String> gate = new SlotGate<>(new Resources(8, 1_000, 0), 8);
    gate.enqueue("first", new Resources(1, 600, 0));
    gate.enqueue("second", new Resources(1, 600, 0));

    assertThat(gate.startable()).containsExactly("first");
    gate.remove("first");
    assertThat(gate.startable()).containsExactly("second");
  }

  @Test
  @DisplayName("a task needing more than the node has in all starts only when nothing runs, and then runs alone")
  void oversizedTaskRunsAlone() {
    SlotGate<String> gate = new SlotGate<>(new Resources(2, 1_024, 0), 2);
    gate.enqueue("normal", ONE_CORE);
    gate.enqueue("huge", new Resources(16, 0, 0));
    gate.enqueue("after", ONE_CORE);

    assertThat(gate.startable()).containsExactly("normal");
    gate.remove("normal");
    assertThat(gate.startable()).containsExactly("huge");
    assertThat(gate.startable()).isEmpty();
    gate.remove("huge");
    assertThat(gate.startable()).containsExactly("after");
    assertThat(gate.used()).isEqualTo(ONE_CORE);
  }

  @Test
  @DisplayName("the node's one gpu is held by one task at a time; on a node without one a gpu task runs alone")
  void gpuIsExclusive() {
    Resources gpuTask = new Resources(1, 0, 1);
    SlotGate<String> withGpu = new SlotGate<>(new Resources(4, 0, 1), 4);
    withGpu.enqueue("g1", gpuTask);
    withGpu.enqueue("g2", gpuTask);
    assertThat(withGpu.startable()).containsExactly("g1");
    withGpu.remove("g1");
    assertThat(withGpu.startable()).containsExactly("g2");

    SlotGate<String> withoutGpu = new SlotGate<>(new Resources(4, 0, 0), 4);
    withoutGpu.enqueue("cpu", ONE_CORE);
    withoutGpu.enqueue("gpu", gpuTask);
    assertThat(withoutGpu.startable()).containsExactly("cpu");
    withoutGpu.remove("cpu");
    assertThat(withoutGpu.startable()).containsExactly("gpu");
  }

  @Test
  @DisplayName("no more tasks run at once than there are task threads, however little they need")
  void threadsBoundTheRunningTasks() {
    SlotGate<String> gate = new SlotGate<>(new Resources(4, 0, 0), 2);
    for (String id : new String[] {"a", "b", "c"}) {
      gate.enqueue(id, new Resources(0.25, 0, 0));
    }
    assertThat(gate.startable()).containsExactly("a", "b");
    gate.remove("b");
    assertThat(gate.startable()).containsExactly("c");
  }

  @Test
  @DisplayName("ten tasks of 0.1 cores fill one core exactly, despite floating point sums")
  void fractionalCoresAddUp() {
    SlotGate<Integer> gate = new SlotGate<>(ONE_CORE, 10);
    for (int i = 0; i < 11; i++) {
      gate.enqueue(i, new Resources(0.1, 0, 0));
    }
    assertThat(gate.startable()).hasSize(10);
    assertThat(gate.isWaiting(10)).isTrue();
  }

  @Test
  @DisplayName("a removed waiting task never starts; removing an unknown one changes nothing")
  void removeWaiting() {
    SlotGate<String> gate = new SlotGate<>(ONE_CORE, 1);
    gate.enqueue("running", ONE_CORE);
    gate.enqueue("withdrawn", ONE_CORE);
    gate.enqueue("next", ONE_CORE);
    assertThat(gate.startable()).containsExactly("running");

    assertThat(gate.remove("withdrawn")).isTrue();
    assertThat(gate.remove("unknown")).isFalse();
    assertThat(gate.remove("running")).isTrue();
    assertThat(gate.startable()).containsExactly("next");
    assertThat(gate.runningCount()).isEqualTo(1);
  }

  @Test
  @DisplayName("a task queued or running is not queued again, and a gate needs at least one thread")
  void misuseIsRefused() {
    SlotGate<String> gate = new SlotGate<>(ONE_CORE, 1);
    gate.enqueue("a", ONE_CORE);
    assertThatThrownBy(() -> gate.enqueue("a", ONE_CORE)).isInstanceOf(IllegalStateException.class);
    gate.startable();
    assertThatThrownBy(() -> gate.enqueue("a", ONE_CORE)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new SlotGate<String>(ONE_CORE, 0)).isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("threads must be > 0");
  }
}
