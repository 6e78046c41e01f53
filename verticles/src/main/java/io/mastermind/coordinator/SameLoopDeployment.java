package io.mastermind.coordinator;

import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Deploys verticles on the event loop of a home context (the coordinator's), each with a context of
 * its own: the leader's resource, load-balancer and health verticles run beside the coordinator.
 *
 * <p>Why: a scheduling pass is a round trip coordinator, load balancer, resource verticle and back.
 * Deployed the usual way each verticle gets the next event loop, so a pass crossed threads four times,
 * and on a busy 2-core machine each crossing waits for a sleeping thread to be woken and scheduled:
 * that wait was most of a task's time from submitted to started (measured in docs/BENCHMARKS.md,
 * "One event loop for the leader's verticles"). On one loop the verticles still talk only over the event
 * bus (local consumers, the local codec), each message queued behind what the loop is doing, and no
 * thread has to wake up.
 *
 * <p>Vert.x has no public way to deploy onto a chosen event loop, so the contexts are built with its
 * internal context builder, as its own deployment does, and this class runs {@link Deployable#deploy}
 * and {@link Deployable#undeploy} itself. Such a context is not a Vert.x deployment, so nothing a verticle
 * opened is closed for it: a verticle deployed here releases its consumers and timers in its stop (the
 * resource, load-balancer and health verticles do). Used from the home context only.
 */
final class SameLoopDeployment {

  private record Deployed(Deployable verticle, ContextInternal context) {
  }

  private final VertxInternal vertx;
  private final ContextInternal home;
  private final List<Deployed> deployed = new ArrayList<>();
  /** Counts {@link #undeployAll} calls: a verticle that finishes starting after one is stopped at once. */
  private long round;
  private Future<Void> stopped = Future.succeededFuture();

  SameLoopDeployment(Vertx vertx, Context home) {
    this.vertx = (VertxInternal) vertx;
    this.home = (ContextInternal) home;
  }

  /**
   * Starts the verticle on the home event loop; it is kept (and later undeployed) only if it started,
   * and only if {@link #undeployAll} was not called meanwhile (else it is stopped and this fails).
   */
  Future<Void> deploy(Deployable verticle) {
    long deployRound = round;
    ContextInternal context = vertx.contextBuilder().withEventLoop(home.nettyEventLoop())
      .withClassLoader(home.classLoader()).build();
    Promise<Void> started = home.promise();
    context.runOnContext(v -> step(() -> verticle.deploy(context)).onComplete(ar -> {
      if (ar.failed()) {
        started.fail(ar.cause());
      } else if (deployRound == round) {
        deployed.add(new Deployed(verticle, context));
        started.complete();
      } else {
        undeploy(new Deployed(verticle, context)).onComplete(x -> started.fail("undeployed while it was starting"));
      }
    }));
    return started.future();
  }

  boolean isEmpty() {
    return deployed.isEmpty();
  }

  /** Stops every verticle, the latest deployed first; done once these and any earlier call's are stopped. */
  Future<Void> undeployAll() {
    round++;
    List<Deployed> stopping = new ArrayList<>(deployed);
    deployed.clear();
    for (int i = stopping.size() - 1; i >= 0; i--) {
      Deployed d = stopping.get(i);
      stopped = stopped.eventually(() -> undeploy(d));
    }
    return stopped;
  }

  private static Future<Void> undeploy(Deployed d) {
    Promise<Void> done = d.context().promise();
    d.context().runOnContext(v -> step(() -> d.verticle().undeploy(d.context())).<Void>mapEmpty().onComplete(done));
    return done.future();
  }

  /** A verticle's deploy or undeploy, a throw turned into a failed future. */
  private static Future<?> step(Callable<Future<?>> lifecycle) {
    try {
      return lifecycle.call();
    } catch (Throwable e) {
      return Future.failedFuture(e);
    }
  }
}
