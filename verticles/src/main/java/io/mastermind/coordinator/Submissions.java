package io.mastermind.coordinator;

import io.mastermind.events.SharedJsonCodec;
import io.mastermind.balancer.Blocked;
import io.mastermind.balancer.NodeSnapshot;
import io.mastermind.balancer.PassPlanner;
import io.mastermind.balancer.PlacementRequest;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.NodeConfig;
import io.mastermind.controlplane.ResourceVerticle;
import io.mastermind.resources.Resources;
import io.mastermind.protocol.EventNames;
import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.protocol.TaskSpecJson;
import io.mastermind.store.FlushWriter;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Admission of new tasks on the leader: the server's maximum timeout ({@code scheduler.maxTimeoutMs}:
 * given to a task without one, a longer one refused), idempotent ids (200 for the same body, 409 for
 * another), a refusal when no member could ever run the task, {@code QUEUE_FULL} past {@code maxQueuedTasks}, and
 * the rule that accepted means stored: the answer and {@code task:submitted} wait for the batch that
 * holds the record; a failed write answers 503 and creates nothing, so the same id can be retried.
 */
final class Submissions {

  /** A submission waiting for its write, with identical submissions that arrived meanwhile, and its trace (or null). */
  private record Pending(TaskRecord record, Message<JsonObject> first, List<Message<JsonObject>> duplicates, Object trace) {
  }

  private static final Blocked CAN_RUN = new Blocked("", "", false);

  private final LeaderState s;
  private final Dispatcher dispatcher;
  private final Map<String, Pending> pending = new HashMap<>();
  private final Map<PlacementRequest, Blocked> refusals = new HashMap<>();
  /** Every member node as it joined: what could ever run, whether busy or not. */
  private final Map<String, NodeSnapshot> members = new java.util.LinkedHashMap<>();
  private boolean active = true;

  Submissions(LeaderState state, Dispatcher dispatcher) {
    this.s = state;
    this.dispatcher = dispatcher;
  }

  /** A node joined (or rejoined with another config): what can ever run is worked out again, lazily. */
  void joined(NodeConfig config) {
    Resources capacity = ResourceVerticle.capacityOf(config);
    members.put(config.id(), new NodeSnapshot(config.id(), config.capabilities(), config.functions(), capacity, capacity, 0));
    refusals.clear();
  }

  /** A node failed or left. */
  void lost(String nodeId) {
    if (members.remove(nodeId) != null) {
      refusals.clear();
    }
  }

  void submit(Message<JsonObject> message) {
    TaskSpec spec = TaskSpecJson.specOf(message.body().getJsonObject("task")).withGeneratedId();
    long maxTimeoutMs = s.options.getMaxTimeoutMs();
    if (spec.timeout() == null) {
      spec = spec.withTimeout(maxTimeoutMs); // before the idempotency check: the stored spec has it too
    } else if (spec.timeout() > maxTimeoutMs) {
      fail(message, ErrorCode.INVALID_FIELD, "timeout must be at most " + maxTimeoutMs + " ms (scheduler.maxTimeoutMs), got "
        + spec.timeout());
      return;
    }
    TaskRecord existing = s.book.get(spec.id());
    if (existing != null) {
      if (existing.spec().toJson().equals(spec.toJson())) {
        message.reply(existing.toJson(), new DeliveryOptions().addHeader("existing", "true"));
      } else {
        fail(message, ErrorCode.CONFLICT, "task " + spec.id() + " exists with a different body");
      }
      return;
    }
    Pending waiting = pending.get(spec.id());
    if (waiting != null) {
      if (waiting.record().spec().toJson().equals(spec.toJson())) {
        waiting.duplicates().add(message);
      } else {
        fail(message, ErrorCode.CONFLICT, "task " + spec.id() + " exists with a different body");
      }
      return;
    }
    Blocked never = members.isEmpty() ? CAN_RUN : refusals.computeIfAbsent(s.shapeOf(spec), shape -> {
      Blocked why = PassPlanner.whyNever(List.copyOf(members.values()), shape);
      return why == null ? CAN_RUN : why;
    });
    if (never.permanent()) {
      fail(message, "function".equals(never.dimension()) ? ErrorCode.UNKNOWN_FUNCTION : ErrorCode.UNSATISFIABLE, never.reason());
      return;
    }
    int queued = s.queue.size() + pending.size();
    if (queued >= s.options.getMaxQueuedTasks()) { // admission (SPEC 10): refused, nothing created
      fail(message, ErrorCode.QUEUE_FULL, "queue is full: " + queued + " tasks queued (scheduler.maxQueuedTasks)");
      return;
    }
    TaskRecord record = TaskRecord.queued(spec, System.currentTimeMillis());
    if (members.isEmpty()) {
      record = record.withReason("no worker node has joined yet");
    } else if (dispatcher.noRoomReason() != null) {
      record = record.withReason(dispatcher.noRoomReason());
    }
    TaskRecord accepted = record;
    pending.put(spec.id(), new Pending(accepted, message, new ArrayList<>(0), s.tracing.current()));
    s.commit.put(accepted).onComplete(ar -> {
      Pending done = pending.remove(accepted.id());
      if (done == null || !active) {
        return; // stepped down meanwhile: already answered UNAVAILABLE
      }
      if (ar.failed()) {
        String why = "task " + accepted.id() + " could not be stored, nothing was created: " + ar.cause().getMessage();
        fail(message, ErrorCode.UNAVAILABLE, why);
        done.duplicates().forEach(m -> fail(m, ErrorCode.UNAVAILABLE, why));
        return;
      }
      s.book.put(accepted);
      s.tracing.submitted(accepted.id(), done.trace());
      s.counters.submitted();
      s.enqueue(accepted, System.currentTimeMillis());
      byte[] stored = s.commit.encoded(accepted);
      // its text cut from the bytes just stored, when the store kept them: a gateway here writes it as it is
      JsonObject json = stored == null ? accepted.toJson() : FlushWriter.statusJson(accepted, stored);
      // the event says what was submitted, not the whole record: the submitter has that in its answer
      s.events.publish(EventNames.TASK_SUBMITTED, accepted.id(), new JsonObject()
        .put("type", accepted.spec().type().wireName()).put("function", accepted.spec().function())
        .put("priority", accepted.spec().priority().wireName()).put("status", accepted.status().wireName())
        .put("submittedAt", accepted.submittedAt()));
      done.duplicates().forEach(m -> m.reply(json, new DeliveryOptions().addHeader("existing", "true")));
      message.reply(json, SharedJsonCodec.DELIVERY); // after the copies the duplicates got
      dispatcher.requestPass();
    });
  }

  /** Stepping down: every submission still waiting for its write is answered UNAVAILABLE. */
  void abandon() {
    active = false;
    pending.values().forEach(p -> {
      fail(p.first(), ErrorCode.UNAVAILABLE, "the coordinator stopped leading");
      p.duplicates().forEach(m -> fail(m, ErrorCode.UNAVAILABLE, "the coordinator stopped leading"));
    });
    pending.clear();
  }

  private void fail(Message<?> message, ErrorCode code, String text) {
    s.counters.rejected(code);
    message.fail(code.failureCode(), text);
  }
}
