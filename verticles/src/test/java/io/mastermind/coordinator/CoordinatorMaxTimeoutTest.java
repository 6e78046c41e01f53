package io.mastermind.coordinator;

import io.mastermind.protocol.ErrorCode;
import io.mastermind.store.InMemoryTaskStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static io.mastermind.coordinator.LeaderFixtures.client;
import static io.mastermind.coordinator.LeaderFixtures.deploy;
import static io.mastermind.coordinator.LeaderFixtures.echo;
import static io.mastermind.coordinator.LeaderFixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code scheduler.maxTimeoutMs}: the server's bound on how long any task may run. */
@ExtendWith(VertxExtension.class)
class CoordinatorMaxTimeoutTest {

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a task without a timeout gets scheduler.maxTimeoutMs, resubmitting it is idempotent, and a longer timeout is refused creating nothing")
  void maxTimeout(Vertx vertx, VertxTestContext test) {
    CoordinatorClient client = client(vertx);
    deploy(vertx, options().setMaxTimeoutMs(60_000), new InMemoryTaskStore())
      .compose(id -> client.submit(echo("no-timeout")))
      .compose(first -> {
        test.verify(() -> {
          assertThat(first.existing()).isFalse();
          assertThat(first.record().getLong("timeout")).isEqualTo(60_000L);
        });
        return client.submit(echo("no-timeout"));
      })
      .compose(again -> {
        test.verify(() -> assertThat(again.existing()).as("the same body again is the same task, not a conflict").isTrue());
        return client.submit(echo("at-max").put("timeout", 60_000));
      })
      .compose(atMax -> {
        test.verify(() -> assertThat(atMax.record().getLong("timeout")).isEqualTo(60_000L));
        return client.submit(echo("too-long").put("timeout", 60_001)).map(s -> (Throwable) null).recover(err -> Future.succeededFuture(err));
      })
      .compose(refusal -> {
        test.verify(() -> {
          assertThat(refusal).isInstanceOf(ReplyException.class);
          assertThat(ErrorCode.of(refusal)).isEqualTo(ErrorCode.INVALID_FIELD);
          assertThat(refusal.getMessage()).contains("timeout").contains("scheduler.maxTimeoutMs");
        });
        return client.get("too-long").map(r -> (Throwable) null).recover(err -> Future.succeededFuture(err));
      })
      .onComplete(test.succeeding(missing -> test.verify(() -> {
        assertThat(ErrorCode.of(missing)).as("nothing was created").isEqualTo(ErrorCode.NOT_FOUND);
        test.completeNow();
      })));
  }
}
