package io.mastermind.coordinator;

import io.mastermind.balancer.Blocked;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.Priority;
import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskStatus;
import io.mastermind.protocol.TaskType;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;

/**
 * The leader's read side: one task, a page of tasks, {@code ?wait}, and the cluster summary, answered
 * from the {@link TaskBook}'s indexes and counters and the health verticle's node counts: no scan of
 * every record.
 */
final class Queries {

  /** The {@code blockedBy} dimension of a queued task no scheduling pass has looked at yet. */
  static final String QUEUE = "queue";

  private final LeaderState s;
  private final Dispatcher dispatcher;
  private final Outcomes outcomes;

  Queries(LeaderState state, Dispatcher dispatcher, Outcomes outcomes) {
    this.s = state;
    this.dispatcher = dispatcher;
    this.outcomes = outcomes;
  }

  /** The task a request names, or null after answering NOT_FOUND. */
  TaskRecord find(Message<JsonObject> message) {
    String id = message.body().getString("id");
    TaskRecord record = id == null ? null : s.book.get(id);
    if (record == null) {
      message.fail(ErrorCode.NOT_FOUND.failureCode(), "no task " + id);
    }
    return record;
  }

  void get(Message<JsonObject> message) {
    TaskRecord record = find(message);
    if (record != null) {
      message.reply(toJson(record));
    }
  }

  /**
   * The status record, with {@code blockedBy} while it waits: the dimension the last pass found short
   * ({@code queue} when no pass has looked at it yet) and its 1-based place in the placement order, worked
   * out for this one task ({@link io.mastermind.scheduler.TaskQueue#position}).
   */
  private JsonObject toJson(TaskRecord record) {
    JsonObject json = record.toJson();
    if (record.status() == TaskStatus.QUEUED) {
      Blocked blocked = dispatcher.blockedBy(record.id());
      int position = s.queue.position(record.id(), System.currentTimeMillis());
      if (dispatcher.inGrace() && position == 0) {
        json.put("reason", "waiting for the nodes to rejoin the new leader");
      } else if (position > 0) {
        json.put("blockedBy", new JsonObject().put("dimension", blocked == null ? QUEUE : blocked.dimension())
          .put("position", position));
        if (blocked == null && record.reason() == null) {
          json.put("reason", "waiting for a scheduling pass: " + (position - 1) + " queued tasks ahead of it");
        }
      } else if (blocked != null) {
        json.put("blockedBy", new JsonObject().put("dimension", blocked.dimension()));
      }
    }
    return json;
  }

  void await(Message<JsonObject> message) {
    TaskRecord record = find(message);
    if (record != null) {
      outcomes.await(record, message.body().getLong("waitMs", 0L), message);
    }
  }

  void list(Message<JsonObject> message) {
    JsonObject filter = message.body();
    TaskStatus status = filter.getString("status") == null ? null : TaskStatus.parse(filter.getString("status"), "status");
    TaskType type = filter.getString("type") == null ? null : TaskType.parse(filter.getString("type"), "type");
    TaskBook.Page page = s.book.list(status, type, filter.getInteger("limit", 100), filter.getString("after"));
    JsonArray tasks = new JsonArray(new ArrayList<>(page.records().size()));
    page.records().forEach(r -> tasks.add(r.toJson()));
    JsonObject answer = new JsonObject().put("tasks", tasks).put("count", tasks.size());
    if (page.next() != null) {
      answer.put("next", page.next());
    }
    message.reply(answer);
  }

  /** Queued tasks by the priority they were submitted with (aging does not move a task between levels). */
  private JsonObject queueByPriority() {
    JsonObject byPriority = new JsonObject();
    for (Priority priority : Priority.values()) {
      byPriority.put(priority.wireName(), s.queue.size(priority.rank()));
    }
    return byPriority;
  }

  void cluster(Message<JsonObject> message) {
    JsonObject tasks = new JsonObject();
    for (TaskStatus status : TaskStatus.values()) {
      tasks.put(status.wireName(), s.book.count(status));
    }
    JsonObject summary = new JsonObject()
      .put("name", s.options.isClusterNameShown() ? s.options.getClusterName() : null)
      .put("config", s.options.getClusterConfig().copy().put("scheduler", s.options.toJson()))
      .put("leader", new JsonObject().put("nodeId", s.nodeId).put("epoch", s.epoch))
      .put("queue", s.queue.size())
      .put("queueByPriority", queueByPriority())
      .put("tasks", tasks)
      .put("store", new JsonObject().put("flushes", s.commit.flushes()).put("entries", s.commit.entries())
        .put("writeMs", s.commit.writeNanos() / 1_000_000))
      .put("scheduler", new JsonObject().put("passes", dispatcher.passes()).put("offered", dispatcher.offered()))
      .put("waiters", outcomes.waiterCount())
      .put("counters", s.counters.toJson());
    s.bus.<JsonObject>request(Addresses.LEADER_HEALTH_COUNTS, new JsonObject(), new DeliveryOptions().setSendTimeout(2_000))
      .onComplete(ar -> message.reply(summary.put("nodes", ar.succeeded() ? ar.result().body() : new JsonObject())));
  }
}
