package io.mastermind.cluster;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.impl.HeapData;
import com.hazelcast.internal.serialization.impl.SerializationConstants;

/**
 * A byte-array map value built in Hazelcast's serialized form, so the map stores it as it is.
 *
 * <p>Why: Hazelcast serializes a {@code byte[]} value into a pooled buffer that starts at 4 KB and
 * doubles until the value fits, copies it out, and shrinks the buffer again once it is over 32 KB. A
 * flush is 20-60 KB and a segment about a heap region, so each write allocated and copied several times
 * its size on the leader's event loop (JFR at 8,000 tasks/s: 8% of the leader's allocation, a segment's
 * copies humongous). A value that already is Hazelcast's {@link Data} is passed through untouched, and
 * read back it is an ordinary {@code byte[]}: HazelcastTaskStoreTest compares this layout with the one
 * Hazelcast writes itself. Internal Hazelcast classes: checked again on every Hazelcast upgrade by that test.
 */
final class SerializedBytes {

  /** What precedes the bytes: partition hash, serializer type id, array length (big-endian ints). */
  static final int HEADER = 12;

  private SerializedBytes() {
  }

  /**
   * The map value for the bytes of {@code array} after its first {@link #HEADER} bytes, which this fills
   * in (the caller left them free, e.g. {@code FlushWriter.writeBytes(..., HEADER)}).
   */
  static Data wrap(byte[] array) {
    if (array.length < HEADER) {
      throw new IllegalArgumentException("no room for the header");
    }
    writeInt(array, 0, 0); // no partition hash: a value is not partitioned
    writeInt(array, 4, SerializationConstants.CONSTANT_TYPE_BYTE_ARRAY);
    writeInt(array, 8, array.length - HEADER);
    return new HeapData(array);
  }

  private static void writeInt(byte[] array, int at, int value) {
    array[at] = (byte) (value >>> 24);
    array[at + 1] = (byte) (value >>> 16);
    array[at + 2] = (byte) (value >>> 8);
    array[at + 3] = (byte) value;
  }
}
