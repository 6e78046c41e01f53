package io.mastermind.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The flushes of a burst of writes reach the socket as one, once the handler is installed. */
class FlushCoalescingTest {

  /**
   * Stands for the socket: counts the writes and flushes that reach it. It keeps the writes from the
   * EmbeddedChannel itself, which runs its pending tasks on every write (a real event loop does not).
   */
  private static final class Socket extends ChannelOutboundHandlerAdapter {
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger flushes = new AtomicInteger();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      writes.incrementAndGet();
      ReferenceCountUtil.release(msg);
      promise.setSuccess();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      flushes.incrementAndGet();
    }
  }

  private static int flushesOfABurst(boolean installed) {
    Socket socket = new Socket();
    ChannelInboundHandlerAdapter vertx = new ChannelInboundHandlerAdapter(); // stands for Vert.x's handler, last
    EmbeddedChannel channel = new EmbeddedChannel(socket, vertx);
    if (installed) {
      FlushCoalescing.install(channel.pipeline());
      FlushCoalescing.install(channel.pipeline()); // a second call changes nothing
    }
    ChannelHandlerContext writer = channel.pipeline().context(vertx);
    channel.eventLoop().execute(() -> {
      for (int i = 0; i < 5; i++) {
        writer.writeAndFlush(Unpooled.copiedBuffer(new byte[] {(byte) i}));
      }
    });
    channel.runPendingTasks();
    assertThat(socket.writes).as("every frame still leaves").hasValue(5);
    return socket.flushes.get();
  }

  @Test
  void aBurstOfFiveFramesIsFlushedOnceInsteadOfFiveTimes() {
    assertThat(flushesOfABurst(false)).isEqualTo(5);
    assertThat(flushesOfABurst(true)).isEqualTo(1);
  }

  @Test
  void sitsJustBeforeTheLastHandler() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter(), new ChannelInboundHandlerAdapter());
    FlushCoalescing.install(channel.pipeline());
    var names = channel.pipeline().names();
    assertThat(names.get(names.size() - 3)).isEqualTo("mastermind-flush-coalescing"); // before the handler, then the tail
  }
}
