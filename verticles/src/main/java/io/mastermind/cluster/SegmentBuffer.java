package io.mastermind.cluster;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.mastermind.store.FlushWriter;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Set;

/**
 * Finished records stored since the last segment, waiting to be stored again together in one map
 * entry about the size of a heap region (a <em>segment</em>): each with the key of the flush it is in
 * and its bytes as that flush wrote them.
 *
 * <p>Why: a flush mixes records just accepted (written again within milliseconds, when they finish)
 * with records just finished (kept for the retention period, minutes), so each flush entry lived as
 * long as its last finished record: every one of them, half dead weight, was copied out of the young
 * generation by the next collection on the leader and on the member holding its backup (measured:
 * 20-60 ms young pauses every few seconds on the workers, 15-30 ms every 1-2 s on the leader, at
 * 6,000-8,000 tasks/s). Moved into a segment, finished records stop keeping their flushes alive, so
 * flushes die young, and a segment of half a region or more is allocated straight into the old
 * generation (G1 "humongous"), on every member that stores it: never copied.
 *
 * <p>Pure and not thread-safe: the store's event loop owns it.
 */
final class SegmentBuffer {

  /** When the collector says nothing of its regions: under a megabyte, over half of G1's smallest region. */
  static final int FALLBACK_BYTES = 896 * 1024;

  private final int targetBytes;
  private long[] hashes = new long[256];
  private long[] from = new long[256];
  private byte[][] bytes = new byte[256][];
  private int size;
  private long held;

  SegmentBuffer(int targetBytes) {
    if (targetBytes <= 0) {
      throw new IllegalArgumentException("targetBytes must be > 0");
    }
    this.targetBytes = targetBytes;
  }

  /**
   * Seven eighths of this JVM's G1 region: over half, so the segment is humongous, and with room for
   * the last record before it spills into a second region. Members of one cluster run the same heap
   * settings as a rule, so the backup's member sees the same.
   */
  static int regionTarget() {
    try {
      var diagnostics = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      long region = Long.parseLong(diagnostics.getVMOption("G1HeapRegionSize").getValue());
      if (region >= 1 << 20) {
        return (int) Math.min(region / 8 * 7, 28L << 20);
      }
    } catch (RuntimeException e) {
      // not HotSpot, or no such option: the fallback
    }
    return FALLBACK_BYTES;
  }

  /** A finished record (its id's {@link FinishedIndex#hash}) now stored in flush {@code key} as {@code recordBytes}. */
  void add(long hash, long key, byte[] recordBytes) {
    if (size == hashes.length) {
      hashes = Arrays.copyOf(hashes, size * 2);
      from = Arrays.copyOf(from, size * 2);
      bytes = Arrays.copyOf(bytes, size * 2);
    }
    hashes[size] = hash;
    from[size] = key;
    bytes[size] = recordBytes;
    size++;
    held += recordBytes.length + 1;
  }

  boolean full() {
    return held >= targetBytes;
  }

  int size() {
    return size;
  }

  /**
   * Empties the buffer into a segment of the records still in the flush they were added from (per
   * {@code finishedIn}: neither forgotten nor pinned since) and not in {@code skip} (hashes of the
   * flush being written); null when none is left. The segment's value starts after {@code room} bytes
   * left zero for the store's header.
   */
  Segment take(long epoch, FinishedIndex finishedIn, Set<Long> skip, int room) {
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (finishedIn.get(hashes[i]) == from[i] && !skip.contains(hashes[i])) {
        hashes[kept] = hashes[i];
        from[kept] = from[i];
        bytes[kept] = bytes[i];
        kept++;
      }
    }
    Segment segment = kept == 0 ? null
      : new Segment(Arrays.copyOf(hashes, kept), Arrays.copyOf(from, kept), FlushWriter.join(epoch, bytes, kept, room));
    Arrays.fill(bytes, 0, size, null);
    size = 0;
    held = 0;
    return segment;
  }

  /** Records to move into one entry: their id hashes, the flushes they are in now, the entry's value (after the room asked for). */
  record Segment(long[] hashes, long[] from, byte[] value) {
  }
}
