package io.mastermind.gateway;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/**
 * The bounded outbound queue of one WebSocket: frames wait here while the socket's own write queue
 * is full, so a client that reads slowly costs the server at most {@code maxQueued} frames and
 * {@code maxQueuedBytes} bytes (UTF-8) of them, whichever comes first. One frame larger than the byte
 * bound still waits when it is the only one (a large result must be able to reach a slow reader).
 *
 * <p>Implementation notes. Frames are written straight through while nothing waits and the sink
 * accepts more; otherwise they queue in order, and {@link #drain()} (the socket's drain handler)
 * writes them out. When the queue is full (in frames, or in bytes with the new frame), room is made
 * one frame at a time until the new frame fits:
 * <table>
 *   <caption>what a full queue does with a new frame</caption>
 *   <tr><th>queue holds an event frame</th><th>new frame</th><th>outcome</th></tr>
 *   <tr><td>yes</td><td>any</td><td>the oldest event frame is dropped, the new one queued</td></tr>
 *   <tr><td>no</td><td>event</td><td>the new event frame is dropped</td></tr>
 *   <tr><td>no</td><td>reply</td><td>the socket is closed with 1008: replies are never dropped, and a client
 *   that sends requests without reading the answers gets no more memory</td></tr>
 * </table>
 * Drops are counted; once the queue has drained, one notice frame (built by {@code dropNotice}) tells the
 * client how many events it missed. Not thread-safe: one socket, one event loop.
 */
final class Outbox {

  /** Where frames go: the socket. */
  interface Sink {
    boolean writeQueueFull();

    void write(String frame);

    void close(short status, String reason);
  }

  /** RFC 6455 "policy violation". */
  static final short POLICY_VIOLATION = 1008;

  private record Pending(String text, boolean droppable, long bytes) {
  }

  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final Sink sink;
  private final int maxQueued;
  private final long maxQueuedBytes;
  private long queuedBytes;
  private final LongFunction<String> dropNotice;
  private final LongConsumer onDropped;
  private long droppedSinceNotice;
  private boolean closed;

  /**
   * @param dropNotice the frame telling the client how many events were dropped since the last notice
   * @param onDropped  told of every drop (metrics)
   */
  Outbox(Sink sink, int maxQueued, long maxQueuedBytes, LongFunction<String> dropNotice, LongConsumer onDropped) {
    this.sink = sink;
    this.maxQueued = maxQueued;
    this.maxQueuedBytes = maxQueuedBytes;
    this.dropNotice = dropNotice;
    this.onDropped = onDropped;
  }

  /** Sends {@code frame} now or queues it; {@code droppable} marks event frames, which may be dropped. */
  void offer(String frame, boolean droppable) {
    if (closed) {
      return;
    }
    if (queue.isEmpty() && !sink.writeQueueFull()) {
      sink.write(frame);
      return;
    }
    long bytes = utf8Length(frame);
    while (!queue.isEmpty() && (queue.size() >= maxQueued || queuedBytes + bytes > maxQueuedBytes)) {
      if (!makeRoom(droppable)) {
        return;
      }
    }
    queue.addLast(new Pending(frame, droppable, bytes));
    queuedBytes += bytes;
  }

  /** Writes what waits while the sink accepts it; when all is out, the notice of drops, if any. */
  void drain() {
    while (!closed && !queue.isEmpty() && !sink.writeQueueFull()) {
      Pending next = queue.pollFirst();
      queuedBytes -= next.bytes();
      sink.write(next.text());
    }
    if (!closed && queue.isEmpty() && droppedSinceNotice > 0 && !sink.writeQueueFull()) {
      long dropped = droppedSinceNotice;
      droppedSinceNotice = 0;
      sink.write(dropNotice.apply(dropped));
    }
  }

  /** Counts event frames dropped before they reached the queue (they will be in the next notice). */
  void dropped(long count) {
    droppedSinceNotice += count;
    onDropped.accept(count);
  }

  /** Frames waiting now; never more than the bound. */
  int queued() {
    return queue.size();
  }

  /** Bytes (UTF-8) of the frames waiting now; never more than the bound, unless one frame alone is larger. */
  long queuedBytes() {
    return queuedBytes;
  }

  /** Forgets everything: the socket is gone. */
  void close() {
    closed = true;
    queue.clear();
    queuedBytes = 0;
  }

  /** True when there is room for a new frame; false when it was dropped or the socket closed instead. */
  private boolean makeRoom(boolean droppable) {
    for (Iterator<Pending> it = queue.iterator(); it.hasNext(); ) {
      Pending pending = it.next();
      if (pending.droppable()) {
        it.remove();
        queuedBytes -= pending.bytes();
        dropped(1);
        return true;
      }
    }
    if (droppable) {
      dropped(1);
    } else {
      close();
      sink.close(POLICY_VIOLATION, "too many unread replies");
    }
    return false;
  }

  /** The UTF-8 length of {@code text}, without encoding it. */
  static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
