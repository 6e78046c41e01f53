package io.mastermind.gateway.nexus;

import io.mastermind.coordinator.CoordinatorClient;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.TaskSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link NexusTask}: submits its task, waits for the end without blocking (the coordinator
 * answers the wait), and turns the record into a {@link NexusResponse}. Shared by the HTTP route and
 * the event-bus endpoint.
 *
 * <p>Implementation notes: the wait is bounded by {@link NexusOptions#getTaskWaitMs()} and, for a task
 * with a {@code timeout}, by that timeout per attempt plus {@link #TIMEOUT_GRACE_MS} (for placement and
 * recording the outcome), since such a task is over by then:
 * <pre>
 *   wait = min(taskWaitMs, timeout * (maxRetries + 1) + TIMEOUT_GRACE_MS)   // with a timeout
 *   wait = taskWaitMs                                                      // without
 * </pre>
 * A task still queued or running when the wait ends is answered as an error and goes on; submitting
 * the same task (same {@code id}) again waits for the same run, never a second one.
 *
 * <p>A valid NexusTask refused for now ({@link #ANSWERED_REFUSALS}: {@code QUEUE_FULL}) is answered, not
 * failed: a NexusResponse with status {@code error} and that code, which the Nexus matches by its
 * {@code requestId} and sends again later. Nothing was created. Other refusals (a bad NexusTask, an
 * unknown function, a conflicting id, no coordinator) fail as before.
 */
public final class NexusService {

  /** Added to a task's own timeout when bounding the wait. */
  public static final long TIMEOUT_GRACE_MS = 5_000;
  /** Coordinator refusals answered as a NexusResponse with status {@code error} rather than a failure. */
  public static final Set<ErrorCode> ANSWERED_REFUSALS = Collections.unmodifiableSet(EnumSet.of(ErrorCode.QUEUE_FULL));

  private final CoordinatorClient coordinator;
  private final NexusOptions options;

  public NexusService(CoordinatorClient coordinator, NexusOptions options) {
    this.coordinator = coordinator;
    this.options = options;
  }

  /**
   * The response once the task ended or the wait is over, or at once when the task is refused for now
   * ({@link NexusResponse#refusal()} set). Fails with a {@link io.mastermind.protocol.ValidationException}
   * for a bad NexusTask, or with the coordinator's failure (a {@link io.vertx.core.eventbus.ReplyException}
   * carrying an ErrorCode) when the task is refused otherwise or nothing answers.
   */
  public Future<NexusResponse> execute(JsonObject body) {
    long start = System.nanoTime();
    NexusTask request;
    try {
      request = NexusTask.fromJson(body);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    long waitMs = waitBound(request.spec(), options.getTaskWaitMs());
    return coordinator.submit(request.task())
      .compose(submitted -> coordinator.await(submitted.record().getString("id"), waitMs)
          .map(record -> NexusResponse.of(request.requestId(), record, waitMs, millisSince(start))),
        refused -> answerRefusal(request, refused, start));
  }

  private static Future<NexusResponse> answerRefusal(NexusTask request, Throwable refused, long start) {
    ErrorCode code = ErrorCode.of(refused);
    if (!ANSWERED_REFUSALS.contains(code)) {
      return Future.failedFuture(refused);
    }
    return Future.succeededFuture(NexusResponse.refused(request.requestId(), request.spec().id(), code,
      refused.getMessage(), millisSince(start)));
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  static long waitBound(TaskSpec spec, long taskWaitMs) {
    if (spec.timeout() == null) {
      return taskWaitMs;
    }
    long attempts = spec.maxRetries() + 1L;
    long byTimeout = spec.timeout() > (Long.MAX_VALUE - TIMEOUT_GRACE_MS) / attempts ? Long.MAX_VALUE
      : spec.timeout() * attempts + TIMEOUT_GRACE_MS;
    return Math.min(taskWaitMs, byTimeout);
  }
}
