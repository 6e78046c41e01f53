package io.mastermind.worker;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The worker tests' common start: a {@link StandInLeader} on the test's Vert.x before each test. */
@ExtendWith(VertxExtension.class)
abstract class WithStandInLeader {

  protected StandInLeader leader;

  @BeforeEach
  void startLeader(Vertx vertx, VertxTestContext testContext) {
    StandInLeader.start(vertx).onComplete(testContext.succeeding(started -> {
      leader = started;
      testContext.completeNow();
    }));
  }
}
