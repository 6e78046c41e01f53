package io.mastermind.gateway;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Outbox bounds what a slow WebSocket costs: oldest events dropped, replies never, one notice")
class OutboxTest {

  /** A socket whose write queue is full until the test says otherwise. */
  static final class FakeSocket implements Outbox.Sink {
    final List<String> written = new ArrayList<>();
    boolean full;
    Short closedWith;

    @Override
    public boolean writeQueueFull() {
      return full;
    }

    @Override
    public void write(String frame) {
      written.add(frame);
    }

    @Override
    public void close(short status, String reason) {
      closedWith = status;
    }
  }

  private final FakeSocket socket = new FakeSocket();
  private final AtomicLong droppedMetric = new AtomicLong();
  private final Outbox outbox = new Outbox(socket, 3, Long.MAX_VALUE, n -> "dropped " + n, droppedMetric::addAndGet);

  @Test
  @DisplayName("frames go straight through while the socket keeps up")
  void straightThrough() {
    outbox.offer("e1", true);
    outbox.offer("r1", false);
    assertThat(socket.written).containsExactly("e1", "r1");
    assertThat(outbox.queued()).isZero();
  }

  @Test
  @DisplayName("while the socket is full frames queue in order and go out, in order, on drain")
  void queuesInOrder() {
    socket.full = true;
    outbox.offer("e1", true);
    outbox.offer("r1", false);
    assertThat(socket.written).isEmpty();
    assertThat(outbox.queued()).isEqualTo(2);

    socket.full = false;
    outbox.offer("e2", true); // something waits: this one queues behind it, it does not overtake
    assertThat(socket.written).isEmpty();
    outbox.drain();
    assertThat(socket.written).containsExactly("e1", "r1", "e2");
    assertThat(outbox.queued()).isZero();
  }

  @Test
  @DisplayName("a full queue drops its oldest event frame, never a reply, and never grows past the bound")
  void dropsOldestEvent() {
    socket.full = true;
    outbox.offer("r1", false);
    outbox.offer("e1", true);
    outbox.offer("e2", true);
    for (int i = 3; i <= 10; i++) {
      outbox.offer("e" + i, true);
      assertThat(outbox.queued()).isLessThanOrEqualTo(3);
    }
    outbox.offer("r2", false);
    assertThat(outbox.queued()).isEqualTo(3);
    assertThat(droppedMetric).hasValue(9);

    socket.full = false;
    outbox.drain();
    assertThat(socket.written).containsExactly("r1", "e10", "r2", "dropped 9");
  }

  @Test
  @DisplayName("the notice of drops comes once, after the queue drained, and counts only what was dropped since")
  void oneNoticePerDrain() {
    socket.full = true;
    for (int i = 1; i <= 5; i++) {
      outbox.offer("e" + i, true);
    }
    socket.full = false;
    outbox.drain();
    outbox.drain();
    assertThat(socket.written).containsExactly("e3", "e4", "e5", "dropped 2");

    socket.full = true;
    for (int i = 6; i <= 10; i++) {
      outbox.offer("e" + i, true);
    }
    socket.full = false;
    outbox.drain();
    assertThat(socket.written).endsWith("e8", "e9", "e10", "dropped 2");
  }

  @Test
  @DisplayName("a drain that leaves frames waiting sends no notice yet")
  void noNoticeWhileBacklogged() {
    socket.full = true;
    for (int i = 1; i <= 4; i++) {
      outbox.offer("e" + i, true);
    }
    outbox.drain(); // still full: nothing moves
    assertThat(socket.written).isEmpty();
    assertThat(outbox.queued()).isEqualTo(3);
  }

  @Test
  @DisplayName("a new event is dropped itself when only replies wait")
  void dropsNewEventBehindReplies() {
    socket.full = true;
    outbox.offer("r1", false);
    outbox.offer("r2", false);
    outbox.offer("r3", false);
    outbox.offer("e1", true);
    socket.full = false;
    outbox.drain();
    assertThat(socket.written).containsExactly("r1", "r2", "r3", "dropped 1");
    assertThat(socket.closedWith).isNull();
  }

  @Test
  @DisplayName("replies that overflow the queue close the socket with 1008 and free the queue")
  void closesOnUnreadReplies() {
    socket.full = true;
    for (int i = 1; i <= 4; i++) {
      outbox.offer("r" + i, false);
    }
    assertThat(socket.closedWith).isEqualTo(Outbox.POLICY_VIOLATION);
    assertThat(outbox.queued()).isZero();
    outbox.offer("r5", false);
    socket.full = false;
    outbox.drain();
    assertThat(socket.written).isEmpty();
  }

  @Test
  @DisplayName("events dropped before they were queued are told in the next notice")
  void droppedElsewhere() {
    outbox.dropped(4);
    outbox.drain();
    assertThat(socket.written).containsExactly("dropped 4");
    assertThat(droppedMetric).hasValue(4);
  }

  @Test
  @DisplayName("the queue is also bounded in bytes: old events make room for a big frame, and the bytes never pass the bound")
  void boundedInBytes() {
    Outbox bytes = new Outbox(socket, 100, 10, n -> "dropped " + n, droppedMetric::addAndGet);
    socket.full = true;
    bytes.offer("e1..", true);
    bytes.offer("e2..", true);
    assertThat(bytes.queuedBytes()).isEqualTo(8);
    bytes.offer("r1....", false); // 6 bytes: 14 > 10, so e1 goes
    assertThat(bytes.queuedBytes()).isEqualTo(10);
    assertThat(bytes.queued()).isEqualTo(2);
    bytes.offer("é", true); // 2 bytes in UTF-8: e2 goes
    assertThat(bytes.queuedBytes()).isEqualTo(8);

    socket.full = false;
    bytes.drain();
    assertThat(socket.written).containsExactly("r1....", "é", "dropped 2");
    assertThat(bytes.queuedBytes()).isZero();
  }

  @Test
  @DisplayName("one frame larger than the byte bound still waits when alone; a reply that cannot fit behind replies closes the socket")
  void oversizedFrames() {
    Outbox bytes = new Outbox(socket, 100, 10, n -> "dropped " + n, droppedMetric::addAndGet);
    socket.full = true;
    bytes.offer("a big result frame", false);
    assertThat(bytes.queued()).isEqualTo(1);
    assertThat(bytes.queuedBytes()).isEqualTo(18);
    bytes.offer("r2", false);
    assertThat(socket.closedWith).isEqualTo(Outbox.POLICY_VIOLATION);
    assertThat(bytes.queuedBytes()).isZero();
  }

  @Test
  @DisplayName("utf8Length counts what the socket sends: 1 to 4 bytes a code point")
  void utf8Length() {
    assertThat(Outbox.utf8Length("abc")).isEqualTo(3);
    assertThat(Outbox.utf8Length("é")).isEqualTo(2);
    assertThat(Outbox.utf8Length("€")).isEqualTo(3);
    assertThat(Outbox.utf8Length("😀")).isEqualTo(4);
    assertThat(Outbox.utf8Length("x😀é")).isEqualTo("x😀é".getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
  }
}
