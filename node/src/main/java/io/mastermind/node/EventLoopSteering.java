package io.mastermind.node;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps the node's busy verticles (coordinator, workers, gateway) on event loops of their own. Vert.x
 * hands each new deployment the next event loop in turn, so which verticles shared a loop depended on how
 * many contexts happened to be created before them: one more and the gateway shared the coordinator's
 * loop, the node ran on one core and its throughput fell (measured: one thread with 12,808 JFR samples,
 * the others 90 and 71; docs/BENCHMARKS.md). Before deploying a busy verticle the node moves the turn on
 * to a loop that none of the busy verticles deployed so far holds.
 *
 * <p>How: Netty's event loop group hands out its loops in a fixed cycle, the order it iterates them, so
 * after it handed out loop {@code i} the next context gets loop {@code i + 1}. Vert.x has no public way to
 * choose a deployment's loop; this uses its internal event loop group and contexts, as the coordinator's
 * {@code SameLoopDeployment} does. Best effort: a context created by another thread between the steering
 * and the deployment takes the turn instead, and placement is then as Vert.x's turn gives it.
 */
final class EventLoopSteering {

  private final Vertx vertx;
  /** The loops of the busy verticles deployed so far (also of any undeployed since), the first deployed first. */
  private final List<EventLoop> busy = new CopyOnWriteArrayList<>();

  EventLoopSteering(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Deploys a busy verticle on a loop of its own when there is one left (else off the first busy one's). */
  Future<String> deploy(Deployable verticle) {
    steerAwayFrom(busy);
    Recorded recorded = new Recorded(verticle);
    return vertx.deployVerticle(recorded).onSuccess(id -> busy.add(recorded.loop));
  }

  /** The loops of the busy verticles deployed, in deployment order. */
  List<EventLoop> busyLoops() {
    return List.copyOf(busy);
  }

  /**
   * Moves Vert.x's turn so that the next context gets a loop none of {@code avoid} holds; when every loop
   * is in it, one other than its first.
   */
  private void steerAwayFrom(List<EventLoop> avoid) {
    List<EventExecutor> loops = new ArrayList<>();
    group().forEach(loops::add);
    if (loops.size() < 2 || avoid.isEmpty()) {
      return;
    }
    List<EventLoop> away = avoid.size() < loops.size() ? avoid : avoid.subList(0, 1);
    for (int turns = 0; turns < loops.size(); turns++) {
      EventExecutor following = loops.get((loops.indexOf(group().next()) + 1) % loops.size());
      if (!away.contains(following)) {
        return;
      }
    }
  }

  private io.netty.channel.EventLoopGroup group() {
    return ((VertxInternal) vertx).nettyEventLoopGroup();
  }

  /** The event loop a context runs on. */
  static EventLoop loopOf(Context context) {
    return ((ContextInternal) context).nettyEventLoop();
  }

  /** A verticle as deployed, remembering the loop of the context Vert.x gave it. */
  private static final class Recorded implements Deployable {
    private final Deployable verticle;
    private volatile EventLoop loop;

    Recorded(Deployable verticle) {
      this.verticle = verticle;
    }

    @Override
    public Future<?> deploy(Context context) throws Exception {
      loop = loopOf(context);
      return verticle.deploy(context);
    }

    @Override
    public Future<?> undeploy(Context context) throws Exception {
      return verticle.undeploy(context);
    }
  }
}
