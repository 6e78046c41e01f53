package io.mastermind.store;

import io.mastermind.protocol.TaskRecord;

import java.util.Collection;
import java.util.Set;

/**
 * One flush of the group commit: the latest record of each task written since the last flush, and the
 * ids of finished tasks no longer retained. {@code epoch} is the writing leader's, for fencing.
 */
public record StoreBatch(long epoch, Collection<TaskRecord> puts, Set<String> removes) {

  public int size() {
    return puts.size() + removes.size();
  }
}
