package io.mastermind.coordinator;

import io.mastermind.balancer.PlacementRequest;
import io.mastermind.events.EventPublisher;
import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.resources.Resources;
import io.mastermind.scheduler.TaskQueue;
import io.mastermind.store.GroupCommit;
import io.mastermind.store.TaskStore;
import io.mastermind.security.SecureChannel;
import io.mastermind.tracing.TaskTracing;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

import java.util.HashMap;
import java.util.Map;

/**
 * What the leading coordinator knows while it leads, shared by the parts that act on it on the
 * coordinator's one event loop: {@link Outcomes} (results, retries, waiters), {@link Dispatcher}
 * (passes, assignments, nodes) and the verticle itself (submissions and queries). Created on takeover,
 * dropped on stepping down.
 */
final class LeaderState {

  final CoordinatorOptions options;
  final String nodeId;
  final Vertx vertx;
  final EventBus bus;
  /** Messages to workers go through it: signed with the worker's key when the cluster has a secret. */
  final SecureChannel channel;
  final EventPublisher events;
  final GroupCommit commit;
  final TaskBook book = new TaskBook();
  final TaskQueue<PlacementRequest> queue;
  final Placements placements = new Placements();
  final LeaderCounters counters = new LeaderCounters();
  /** Task spans across the batched dispatch; {@link TaskTracing#OFF} unless the node traces. */
  final TaskTracing tracing;
  /** The task histograms, recorded once per task when its terminal record is stored. */
  LeaderMetrics metrics = new LeaderMetrics(null);
  /** Terminal records whose write is in flight: not yet visible, acknowledged or published. */
  final Map<String, TaskRecord> finishing = new HashMap<>();
  /** One PlacementRequest per task shape: a million queued echo tasks share one object. */
  private final Map<PlacementRequest, PlacementRequest> shapes = new HashMap<>();
  long epoch;

  LeaderState(CoordinatorOptions options, String nodeId, Vertx vertx, EventPublisher events, TaskStore store) {
    this.options = options;
    this.nodeId = nodeId;
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.channel = SecureChannel.of(bus, nodeId);
    this.tracing = TaskTracing.of(vertx);
    this.events = events;
    this.commit = new GroupCommit(store, () -> epoch, options.getStoreBatch()); // every write carries the epoch
    this.queue = new TaskQueue<>(options.getAgingIntervalMs());
  }

  PlacementRequest shapeOf(TaskSpec spec) {
    PlacementRequest request = new PlacementRequest(spec.type().wireName(), spec.function(),
      new Resources(spec.requirements().cpu(), spec.requirements().memory(), spec.requirements().gpu() ? 1 : 0));
    return shapes.computeIfAbsent(request, r -> r);
  }

  /** Queues a task to be placed (it is stored already). */
  void enqueue(TaskRecord record, long now) {
    queue.add(record.id(), record.spec().priority().rank(), now, shapeOf(record.spec()));
  }
}
