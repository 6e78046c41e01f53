package io.mastermind.store;

import io.mastermind.protocol.TaskRecord;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One flush of the group commit: the latest record of each task written since the last flush, and the
 * ids of finished tasks no longer retained, applied <em>before</em> the puts (a task removed and written
 * again in one batch ends with the put). {@code epoch} is the writing leader's, for fencing.
 *
 * <p>{@code encoded} is filled by a store that encodes records ({@link FlushWriter#encode}) with the bytes
 * of each record it wrote, so that the coordinator can keep a finished record packed in those same bytes
 * instead of encoding it a second time ({@link GroupCommit#encoded}). Identity-keyed: the very instance put.
 */
public record StoreBatch(long epoch, Collection<TaskRecord> puts, Set<String> removes, Map<TaskRecord, byte[]> encoded) {

  public StoreBatch(long epoch, Collection<TaskRecord> puts, Set<String> removes) {
    this(epoch, puts, removes, new IdentityHashMap<>());
  }

  public int size() {
    return puts.size() + removes.size();
  }
}
