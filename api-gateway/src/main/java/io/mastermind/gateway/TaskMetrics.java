package io.mastermind.gateway;

import io.mastermind.protocol.EventNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Map;

/**
 * Task counters for {@code /metrics}, counted from the live events every node receives, so each
 * gateway shows the whole cluster's totals without asking anyone.
 */
final class TaskMetrics {

  private final Map<String, Counter> byEvent;
  private final Timer duration;

  TaskMetrics(MeterRegistry registry) {
    byEvent = Map.of(
      EventNames.TASK_SUBMITTED, counter(registry, "mastermind.tasks.submitted", null),
      EventNames.TASK_RETRYING, counter(registry, "mastermind.tasks.retried", null),
      EventNames.TASK_COMPLETED, counter(registry, "mastermind.tasks.finished", "succeeded"),
      EventNames.TASK_FAILED, counter(registry, "mastermind.tasks.finished", "failed"),
      EventNames.TASK_TIMED_OUT, counter(registry, "mastermind.tasks.finished", "timed_out"),
      EventNames.TASK_CANCELLED, counter(registry, "mastermind.tasks.finished", "cancelled"));
    duration = Timer.builder("mastermind.task.duration")
      .description("Time from start to end of tasks that ran")
      .register(registry);
  }

  private static Counter counter(MeterRegistry registry, String name, String status) {
    Counter.Builder builder = Counter.builder(name).description("Tasks by lifecycle event");
    if (status != null) {
      builder.tag("status", status);
    }
    return builder.register(registry);
  }

  /** Counts one live event (the gateway's one consumer of {@code mastermind.events} hands it over). */
  void count(JsonObject event) {
    Counter counter = byEvent.get(event.getString("event"));
    if (counter == null) {
      return;
    }
    counter.increment();
    JsonObject data = event.getJsonObject("data");
    if (data != null && data.getLong("startedAt") != null && data.getLong("finishedAt") != null) {
      duration.record(Duration.ofMillis(Math.max(0, data.getLong("finishedAt") - data.getLong("startedAt"))));
    }
  }
}
