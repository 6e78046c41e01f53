package io.mastermind.worker.handlers;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SleepHandlerTest {

  private static final JsonObject TEN_SECONDS = new JsonObject().put("ms", 10_000);

  private final TestContext context = new TestContext();

  @Test
  void returnsTheTimeSlept() throws Exception {
    long start = System.nanoTime();

    Object result = new SleepHandler().handle(new JsonObject().put("ms", 120), context);

    assertThat(result).isEqualTo(new JsonObject().put("sleptMs", 120));
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(120));
  }

  @Test
  void interruptEndsTheSleepPromptly() throws Exception {
    Running running = startSleeping();
    awaitUnderWay();

    running.thread.interrupt();

    assertEndsWithInterruptedExceptionWithin200Ms(running.outcome);
  }

  @Test
  void cancelEndsTheSleepPromptlyWithoutAnInterrupt() throws Exception {
    Running running = startSleeping();
    awaitUnderWay();

    context.cancel();

    assertEndsWithInterruptedExceptionWithin200Ms(running.outcome);
  }

  private record Running(Thread thread, CompletableFuture<Object> outcome) {
  }

  private Running startSleeping() {
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        outcome.complete(new SleepHandler().handle(TEN_SECONDS, context));
      } catch (Throwable t) {
        outcome.completeExceptionally(t);
      }
    }, "sleep-handler-test");
    thread.start();
    return new Running(thread, outcome);
  }

  /** The first progress report comes from inside the sleep loop. */
  private void awaitUnderWay() throws InterruptedException {
    assertThat(context.firstProgress().await(5, TimeUnit.SECONDS)).as("sleep reported progress").isTrue();
  }

  private static void assertEndsWithInterruptedExceptionWithin200Ms(CompletableFuture<Object> outcome) {
    assertThatThrownBy(() -> outcome.get(200, TimeUnit.MILLISECONDS))
      .isInstanceOf(ExecutionException.class)
      .cause()
      .isInstanceOf(InterruptedException.class);
  }
}
