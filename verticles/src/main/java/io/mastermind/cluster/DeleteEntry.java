package io.mastermind.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.impl.LazyMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.util.Map;

/**
 * Deletes a map entry without sending its value back, on the primary and (as its own backup processor)
 * on the backup.
 *
 * <p>Why: Hazelcast 5.3's {@code IMap} has no asynchronous delete, and {@code removeAsync} answers with
 * the old value: every flush the store deleted (half of its Hazelcast operations) came back to the
 * leader as a copy of its 20-60 KB, deserialized on a response thread only to be dropped (JFR at 8,000
 * tasks/s: 7% of the leader's allocation). {@link DataSerializable}, not Java serialization: it
 * travels with each delete.
 */
final class DeleteEntry implements EntryProcessor<Long, Object, Boolean>, DataSerializable {

  static final DeleteEntry INSTANCE = new DeleteEntry();

  /** Public, for Hazelcast's deserialization on the backup's member. */
  public DeleteEntry() {
  }

  @Override
  public Boolean process(Map.Entry<Long, Object> entry) {
    if (entry instanceof LazyMapEntry<Long, Object> lazy) {
      lazy.remove(); // setValue would deserialize the old value to return it (JFR on a worker: 16% of what it allocated)
    } else {
      entry.setValue(null);
    }
    return null;
  }

  @Override
  public void writeData(ObjectDataOutput out) {
  }

  @Override
  public void readData(ObjectDataInput in) {
  }
}
