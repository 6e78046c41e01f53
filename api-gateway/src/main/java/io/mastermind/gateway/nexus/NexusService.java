package io.mastermind.gateway.nexus;

import io.mastermind.coordinator.CoordinatorClient;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.protocol.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

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
 * <p>Every refusal is answered, never failed (SPEC section 8: a Nexus caller always gets a
 * NexusResponse): a bad NexusTask ({@code INVALID_FIELD} naming the field), an unknown function, a
 * conflicting id, a full queue ({@code QUEUE_FULL}: send it again later) or no coordinator
 * ({@code UNAVAILABLE}) is a NexusResponse with status {@code error}, that code, the {@code requestId}
 * when the body had one, and {@link NexusResponse#refusal()} set so the HTTP door answers the code's
 * status. Nothing was created, except when the coordinator stopped answering while the task waited:
 * then the task exists, the response names it, and sending the same task again only waits for it.
 */
public final class NexusService {

  /** Added to a task's own timeout when bounding the wait. */
  public static final long TIMEOUT_GRACE_MS = 5_000;

  private final CoordinatorClient coordinator;
  private final NexusOptions options;

  public NexusService(CoordinatorClient coordinator, NexusOptions options) {
    this.coordinator = coordinator;
    this.options = options;
  }

  /**
   * The response once the task ended or the wait is over, or at once when the task is refused
   * ({@link NexusResponse#refusal()} set). Never fails.
   */
  public Future<NexusResponse> execute(JsonObject body) {
    long start = System.nanoTime();
    NexusTask request;
    try {
      request = NexusTask.fromJson(body);
    } catch (ValidationException e) {
      return Future.succeededFuture(NexusResponse.refused(NexusTask.requestIdOf(body), null, ErrorCode.INVALID_FIELD,
        e.getMessage(), e.field(), millisSince(start)));
    }
    long waitMs = waitBound(request.spec(), options.getTaskWaitMs());
    return coordinator.submit(request.task())
      .compose(submitted -> coordinator.await(submitted.record().getString("id"), waitMs)
        .map(record -> NexusResponse.of(request.requestId(), record, waitMs, millisSince(start))))
      .recover(refused -> Future.succeededFuture(refusal(request, refused, start)));
  }

  private static NexusResponse refusal(NexusTask request, Throwable refused, long start) {
    ErrorCode code = ErrorCode.of(refused);
    String message = code == ErrorCode.UNAVAILABLE ? "the coordinator did not answer: " + refused.getMessage()
      : refused.getMessage();
    return NexusResponse.refused(request.requestId(), request.spec().id(), code, message, millisSince(start));
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
