package io.mastermind.coordinator;

import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.BuiltinFunctions;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.NodeState;
import io.mastermind.protocol.Priority;
import io.mastermind.protocol.TaskRecord;
import io.mastermind.protocol.TaskStatus;
import io.mastermind.protocol.TaskType;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The task meters of {@code /metrics}, kept by the leading coordinator so that each task is counted
 * once in the whole cluster (summing every node's {@code /metrics} does not double count):
 * <ul>
 *   <li>histograms (with {@code _bucket} series) of run time, queue wait and submit→result, recorded
 *   once per task when its terminal record is stored, tagged {@code type} and {@code function}; built-in
 *   functions keep their names, other functions too up to {@value #MAX_FUNCTIONS} distinct names, any
 *   further one is {@value #OTHER};</li>
 *   <li>gauges (queued by priority, running, nodes by state, epoch; per node, {@link NodeGauges}) and counters (submitted, finished by
 *   status, retried, rejected by code) from {@link LeaderCounters}, registered while this node leads and
 *   removed when it steps down, so only the leader exports them.</li>
 * </ul>
 * Gauges and counters read a snapshot the coordinator's loop refreshes every
 * {@value #REFRESH_MS} ms (a few counts, no scan), never the leader's maps from the scraping thread.
 * One per coordinator; every method but the meters' reads runs on the coordinator's loop.
 */
final class LeaderMetrics {

  static final int MAX_FUNCTIONS = 32;
  static final String OTHER = "other";
  static final long REFRESH_MS = 1_000;
  /** Buckets of the three task histograms, from 5 ms to 1 hour. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
    Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1)};
  /** Rejections exported even before the first one, so a rate of them can be asked from the start. */
  private static final Set<ErrorCode> REJECTIONS_SHOWN = Set.of(ErrorCode.QUEUE_FULL);

  static final String RUN = "mastermind.task.run";
  static final String QUEUE_WAIT = "mastermind.task.queue.wait";
  static final String SUBMIT_TO_RESULT = "mastermind.task.submit.to.result";

  private final MeterRegistry registry;
  private final Set<String> functions = new HashSet<>();
  /**
   * The three histograms of each (type, function tag), found per ended task without building key
   * strings (three concatenated keys per task were ~1% of the leader's loop).
   */
  private final Map<TaskType, Map<String, TaskTimers>> timers = new EnumMap<>(TaskType.class);
  private final List<Meter> leaderMeters = new ArrayList<>();

  private final AtomicLong[] queued = new AtomicLong[Priority.values().length];
  private final AtomicLong running = new AtomicLong();
  private final AtomicLong epoch = new AtomicLong();
  private final Map<NodeState, AtomicLong> nodes = new EnumMap<>(NodeState.class);
  private final AtomicLong submitted = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong requeuedAfterNodeLoss = new AtomicLong();
  private final Map<TaskStatus, AtomicLong> finished = new EnumMap<>(TaskStatus.class);
  private final Map<ErrorCode, AtomicLong> rejected = new EnumMap<>(ErrorCode.class);

  /** Per-node gauges (null without a registry). */
  private final NodeGauges nodeGauges;
  private LeaderState state;
  private long lastRefresh = Long.MIN_VALUE;
  private boolean askingNodes;

  /** {@code registry} null: no meters at all (a coordinator embedded without metrics). */
  LeaderMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.nodeGauges = registry == null ? null : new NodeGauges(registry);
    for (int i = 0; i < queued.length; i++) {
      queued[i] = new AtomicLong();
    }
  }

  // ---- leadership -----------------------------------------------------------------------------

  /** Starts exporting the leader's gauges and counters, read from {@code st}. */
  void lead(LeaderState st) {
    stepDown();
    state = st;
    if (registry == null) {
      return;
    }
    for (Priority p : Priority.values()) {
      gauge("mastermind.tasks.queued", "Tasks waiting to be placed, by priority", queued[p.rank()], "priority", p.wireName());
    }
    gauge("mastermind.tasks.running", "Tasks started on a node and not ended", running, null, null);
    gauge("mastermind.leader.epoch", "The leading coordinator's epoch", epoch, null, null);
    for (NodeState n : NodeState.values()) {
      gauge("mastermind.nodes", "Nodes the leader knows, by state", nodes.computeIfAbsent(n, k -> new AtomicLong()),
        "state", n.wireName());
    }
    counter("mastermind.tasks.submitted", "Tasks accepted (stored) by the leader", submitted, null, null);
    counter("mastermind.tasks.retried", "Failed attempts queued again for a retry", retried, null, null);
    counter("mastermind.tasks.requeued.node.lost", "Tasks queued again because their node was lost",
      requeuedAfterNodeLoss, null, null);
    for (TaskStatus status : TaskStatus.values()) {
      if (status.isTerminal()) {
        counter("mastermind.tasks.finished", "Tasks that ended, by terminal status",
          finished.computeIfAbsent(status, k -> new AtomicLong()), "status", status.wireName());
      }
    }
    for (ErrorCode code : REJECTIONS_SHOWN) {
      rejectedCounter(code);
    }
    refresh(System.currentTimeMillis(), true);
  }

  /** Removes the leader's gauges and counters: a standby exports none. The histograms stay (their history). */
  void stepDown() {
    state = null;
    if (registry != null) {
      leaderMeters.forEach(registry::remove);
      nodeGauges.clear();
    }
    leaderMeters.clear();
    rejected.clear();
    lastRefresh = Long.MIN_VALUE;
  }

  // ---- the coordinator's tick -----------------------------------------------------------------

  /** Called by the coordinator's tick: copies the counts the meters read, at most every {@value #REFRESH_MS} ms. */
  void tick(long now) {
    refresh(now, false);
  }

  private void refresh(long now, boolean force) {
    LeaderState st = state;
    if (st == null || registry == null || (!force && now - lastRefresh < REFRESH_MS)) {
      return;
    }
    lastRefresh = now;
    for (Priority p : Priority.values()) {
      queued[p.rank()].set(st.queue.size(p.rank()));
    }
    running.set(st.book.count(TaskStatus.RUNNING));
    epoch.set(st.epoch);
    submitted.set(st.counters.submittedCount());
    retried.set(st.counters.retriedCount());
    requeuedAfterNodeLoss.set(st.counters.requeuedAfterNodeLossCount());
    finished.forEach((status, n) -> n.set(st.counters.finishedCount(status)));
    for (ErrorCode code : ErrorCode.values()) {
      long n = st.counters.rejectedCount(code);
      if (n > 0 || rejected.containsKey(code)) {
        rejectedCounter(code).set(n);
      }
    }
    askNodeCounts(st);
  }

  /** Nodes by state come from the health verticle (local, answered from its registry's counts). */
  private void askNodeCounts(LeaderState st) {
    if (askingNodes) {
      return;
    }
    askingNodes = true;
    st.bus.<JsonObject>request(Addresses.LEADER_HEALTH_COUNTS, new JsonObject().put("perNode", true),
        new DeliveryOptions().setSendTimeout(2_000))
      .onComplete(ar -> {
        askingNodes = false;
        if (ar.succeeded() && state == st) {
          JsonObject counts = ar.result().body();
          nodes.forEach((n, value) -> value.set(counts.getLong(n.wireName(), 0L)));
          nodeGauges.update(counts.getJsonArray("perNode", new JsonArray()));
        }
      });
  }

  // ---- histograms -----------------------------------------------------------------------------

  /** A terminal record was stored: its run time, queue wait and submit→result, once. */
  void ended(TaskRecord terminal) {
    if (registry == null || terminal.finishedAt() == null) {
      return;
    }
    TaskType type = terminal.spec().type();
    TaskTimers t = timers.computeIfAbsent(type, k -> new HashMap<>())
      .computeIfAbsent(functionTag(terminal.spec().function()), function -> timersOf(type.wireName(), function));
    long finishedAt = terminal.finishedAt();
    t.submitToResult().record(Math.max(0, finishedAt - terminal.submittedAt()), TimeUnit.MILLISECONDS);
    if (terminal.startedAt() != null) {
      t.run().record(Math.max(0, finishedAt - terminal.startedAt()), TimeUnit.MILLISECONDS);
      t.queueWait().record(Math.max(0, terminal.startedAt() - terminal.submittedAt()), TimeUnit.MILLISECONDS);
    }
  }

  private record TaskTimers(Timer submitToResult, Timer run, Timer queueWait) {
  }

  private TaskTimers timersOf(String type, String function) {
    return new TaskTimers(
      timer(SUBMIT_TO_RESULT, "Time from submission to the stored result", type, function),
      timer(RUN, "Time from the start of the last attempt to its end", type, function),
      timer(QUEUE_WAIT, "Time from submission to start", type, function));
  }

  /** The {@code function} tag: built-ins and the first {@value #MAX_FUNCTIONS} other names as they are, later ones {@value #OTHER}. */
  String functionTag(String function) {
    if (function == null) {
      return OTHER;
    }
    if (BuiltinFunctions.names().contains(function) || functions.contains(function)) {
      return function;
    }
    if (functions.size() < MAX_FUNCTIONS) {
      functions.add(function);
      return function;
    }
    return OTHER;
  }

  private Timer timer(String name, String description, String type, String function) {
    return Timer.builder(name)
      .description(description)
      .tag("type", type)
      .tag("function", function)
      .serviceLevelObjectives(BUCKETS)
      .minimumExpectedValue(BUCKETS[0])
      .maximumExpectedValue(BUCKETS[BUCKETS.length - 1])
      .register(registry);
  }

  // ---- registration ---------------------------------------------------------------------------

  private AtomicLong rejectedCounter(ErrorCode code) {
    AtomicLong n = rejected.get(code);
    if (n == null) {
      n = new AtomicLong();
      rejected.put(code, n);
      counter("mastermind.tasks.rejected", "Submissions refused by the leader, by error code", n, "code", code.name());
    }
    return n;
  }

  private void gauge(String name, String description, AtomicLong value, String tag, String tagValue) {
    Gauge.Builder<AtomicLong> builder = Gauge.builder(name, value, AtomicLong::get).description(description).strongReference(true);
    if (tag != null) {
      builder.tag(tag, tagValue);
    }
    leaderMeters.add(builder.register(registry));
  }

  private void counter(String name, String description, AtomicLong value, String tag, String tagValue) {
    FunctionCounter.Builder<AtomicLong> builder = FunctionCounter.builder(name, value, AtomicLong::get).description(description);
    if (tag != null) {
      builder.tag(tag, tagValue);
    }
    leaderMeters.add(builder.register(registry));
  }
}
