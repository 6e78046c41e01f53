package io.mastermind.coordinator;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The leader's helper verticles on the coordinator's event loop: started, answering and stopped there. */
@ExtendWith(VertxExtension.class)
class SameLoopDeploymentTest {

  /** Stands for the coordinator: only its context matters. */
  private static final class Home extends VerticleBase {
    Context context() {
      return context;
    }
  }

  /**
   * Records the threads it starts and stops on and answers on {@code address} with its thread's name;
   * its stop releases its consumer and timer, as a verticle deployed this way must.
   */
  private static final class Helper extends VerticleBase {
    final String address;
    final Promise<Void> startGate;
    final Promise<Void> inStart = Promise.promise();
    volatile Thread startedOn;
    volatile Thread stoppedOn;
    volatile Context ownContext;
    volatile long timer = -1;
    volatile MessageConsumer<String> consumer;

    Helper(String address, boolean startAtOnce) {
      this.address = address;
      this.startGate = Promise.promise();
      if (startAtOnce) {
        startGate.complete();
      }
    }

    @Override
    public Future<?> start() {
      startedOn = Thread.currentThread();
      ownContext = context;
      timer = vertx.setPeriodic(60_000, t -> { });
      inStart.complete();
      consumer = vertx.eventBus().localConsumer(address, m -> m.reply(Thread.currentThread().getName()));
      return consumer.completion().compose(v -> startGate.future());
    }

    @Override
    public Future<?> stop() {
      stoppedOn = Thread.currentThread();
      vertx.cancelTimer(timer);
      return consumer.unregister();
    }
  }

  private static Future<Home> home(Vertx vertx) {
    Home home = new Home();
    return vertx.deployVerticle(home).map(id -> home);
  }

  @Test
  @DisplayName("helpers start, answer and stop on the home event loop, each in a context of its own")
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void helpersRunOnTheHomeLoop(Vertx vertx, VertxTestContext test) {
    Helper first = new Helper("helper.first", true);
    Helper second = new Helper("helper.second", true);
    home(vertx).onComplete(test.succeeding(home -> home.context().runOnContext(v -> {
      Thread homeThread = Thread.currentThread();
      SameLoopDeployment helpers = new SameLoopDeployment(vertx, home.context());
      helpers.deploy(first)
        .compose(x -> helpers.deploy(second))
        .compose(x -> vertx.eventBus().<String>request("helper.second", "which thread?"))
        .compose(answer -> {
          test.verify(() -> {
            assertThat(first.startedOn).isSameAs(homeThread);
            assertThat(second.startedOn).isSameAs(homeThread);
            assertThat(answer.body()).isEqualTo(homeThread.getName());
            assertThat(first.ownContext).isNotSameAs(home.context()).isNotSameAs(second.ownContext);
            assertThat(helpers.isEmpty()).isFalse();
          });
          return helpers.undeployAll();
        })
        .onComplete(test.succeeding(x -> test.verify(() -> {
          assertThat(first.stoppedOn).isSameAs(homeThread);
          assertThat(second.stoppedOn).isSameAs(homeThread);
          assertThat(helpers.isEmpty()).isTrue();
        })))
        .compose(x -> vertx.eventBus().request("helper.first", "still there?"))
        .onComplete(test.failing(gone -> test.completeNow()));
    })));
  }

  @Test
  @DisplayName("a helper that finishes starting after undeployAll (a step-down mid-takeover) is stopped at once")
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void lateStartIsStopped(Vertx vertx, VertxTestContext test) {
    Helper late = new Helper("helper.late", false);
    home(vertx).onComplete(test.succeeding(home -> home.context().runOnContext(v -> {
      SameLoopDeployment helpers = new SameLoopDeployment(vertx, home.context());
      Future<Void> deployed = helpers.deploy(late);
      late.inStart.future().onSuccess(started -> {
        helpers.undeployAll();
        late.startGate.complete();
        deployed.onComplete(test.failing(err -> test.verify(() -> {
          assertThat(late.stoppedOn).isNotNull();
          assertThat(helpers.isEmpty()).isTrue();
          test.completeNow();
        })));
      });
    })));
  }

  @Test
  @DisplayName("a helper whose start fails is not kept")
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void failedStartIsNotKept(Vertx vertx, VertxTestContext test) {
    Helper failing = new Helper("helper.failing", false);
    failing.startGate.fail("no");
    home(vertx).onComplete(test.succeeding(home -> home.context().runOnContext(v -> {
      SameLoopDeployment helpers = new SameLoopDeployment(vertx, home.context());
      helpers.deploy(failing).onComplete(test.failing(err -> test.verify(() -> {
        assertThat(err).hasMessage("no");
        assertThat(helpers.isEmpty()).isTrue();
        test.completeNow();
      })));
    })));
  }
}
