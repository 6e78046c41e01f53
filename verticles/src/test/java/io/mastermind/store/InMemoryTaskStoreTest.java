package io.mastermind.store;

import io.mastermind.protocol.TaskRecord;
import io.vertx.core.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.mastermind.store.ManualStore.record;
import static io.mastermind.store.ManualStore.version;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("InMemoryTaskStore applies batches at once and fences writes of older epochs")
class InMemoryTaskStoreTest {

  private final InMemoryTaskStore store = new InMemoryTaskStore();

  private static StoreBatch batch(long epoch, List<TaskRecord> puts, Set<String> removes) {
    return new StoreBatch(epoch, puts, removes);
  }

  @Test
  @DisplayName("a write is durable when its future returns: puts replace by id and removes forget")
  void appliesBatches() {
    assertThat(store.write(batch(1, List.of(record("a"), record("b")), Set.of())).succeeded()).isTrue();
    assertThat(store.write(batch(1, List.of(version("a", 2)), Set.of("b", "never-stored"))).succeeded()).isTrue();

    StoredTasks loaded = store.load().result();
    assertThat(loaded.records()).containsExactly(version("a", 2));
    assertThat(loaded.undecodable()).isEmpty();
    assertThat(loaded.highestEpoch()).isEqualTo(1);
  }

  @Test
  @DisplayName("a write of an older epoch fails with FencedException and changes nothing")
  void fencesOlderEpoch() {
    store.write(batch(4, List.of(version("a", 1)), Set.of()));

    Future<Void> stale = store.write(batch(3, List.of(version("a", 9), record("z")), Set.of("a")));

    assertThat(stale.failed()).isTrue();
    assertThat(stale.cause()).isInstanceOf(FencedException.class)
      .hasMessage("write of epoch 3 refused: the cluster is at epoch 4");
    assertThat(store.load().result().records()).containsExactly(version("a", 1));
    assertThat(store.load().result().highestEpoch()).isEqualTo(4);
  }

  @Test
  @DisplayName("the same epoch writes again, and a newer epoch advances the fence")
  void sameAndNewerEpoch() {
    assertThat(store.write(batch(2, List.of(record("a")), Set.of())).succeeded()).isTrue();
    assertThat(store.write(batch(2, List.of(record("b")), Set.of())).succeeded()).isTrue();
    assertThat(store.write(batch(5, List.of(record("c")), Set.of())).succeeded()).isTrue();

    assertThat(store.write(batch(2, List.of(record("d")), Set.of())).failed()).isTrue();
    assertThat(store.load().result().highestEpoch()).isEqualTo(5);
    assertThat(store.load().result().records()).extracting(TaskRecord::id).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  @DisplayName("an empty store loads nothing at epoch 0")
  void emptyLoad() {
    StoredTasks loaded = store.load().result();

    assertThat(loaded.records()).isEmpty();
    assertThat(loaded.highestEpoch()).isZero();
  }
}
