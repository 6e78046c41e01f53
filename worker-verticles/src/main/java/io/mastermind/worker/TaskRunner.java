package io.mastermind.worker;

import io.mastermind.protocol.Assignment;
import io.mastermind.protocol.HeldTask;
import io.mastermind.protocol.NodeConfig;
import io.mastermind.protocol.Requirements;
import io.mastermind.protocol.TaskSpec;
import io.mastermind.protocol.TaskUpdate;
import io.mastermind.resources.Resources;
import io.mastermind.tracing.TaskTracing;
import io.mastermind.worker.spi.TaskHandler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tasks a worker holds, from assignment to outcome: a FIFO local queue behind a {@link SlotGate}
 * (the node's cpu, memory and gpu, and one slot per task thread), a bounded pool of task threads
 * (never the event loop), timeouts, and the reports that go to the {@link Outbox}: {@code running}
 * for a task still running {@code runningReportDelayMs} after it started, rate-limited progress, and
 * exactly one outcome per attempt that was not withdrawn, superseded, dropped or stopped with the worker.
 *
 * <p>Everything here runs on the worker's event-loop context except the handler itself; a task thread
 * touches only its {@link RunningTask} and hops back with {@link Context#runOnContext}.
 */
final class TaskRunner {

  private final Vertx vertx;
  private final Context context;
  private final NodeConfig node;
  private final WorkerOptions options;
  private final HandlerRegistry handlers;
  private final Outbox outbox;
  private final TaskTracing tracing;
  private final SlotGate<RunningTask> gate;
  private final ExecutorService executor;
  /** Held attempts, waiting or running (until their outcome is handed to the outbox), by task id. */
  private final Map<String, RunningTask> tasks = new HashMap<>();
  /** Started tasks whose {@code running} report is not due yet, in start order. */
  private final ArrayDeque<RunningTask> justStarted = new ArrayDeque<>();
  private long runningReportTimer = -1;
  private boolean stopped;

  TaskRunner(Vertx vertx, Context context, NodeConfig node, WorkerOptions options, HandlerRegistry handlers,
             Outbox outbox, TaskTracing tracing) {
    this.tracing = tracing;
    this.vertx = vertx;
    this.context = context;
    this.node = node;
    this.options = options;
    this.handlers = handlers;
    this.outbox = outbox;
    int threads = (int) Math.max(1, Math.ceil(node.cpuCores()));
    this.gate = new SlotGate<>(new Resources(node.cpuCores(), node.memoryMb(), node.gpu() ? 1 : 0), threads);
    this.executor = taskThreads(node.id(), threads);
  }

  private static ExecutorService taskThreads(String nodeId, int threads) {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "mastermind-task-" + nodeId + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Queues an assignment behind the tasks already here. A repeat of an attempt held (or an older one)
   * changes nothing; a newer attempt supersedes the one held, which is withdrawn or stopped silently.
   * {@code traceParent}: the leader's trace of it (null when not traced).
   */
  void assign(Assignment assignment, String traceParent) {
    TaskSpec spec = assignment.spec();
    String id = spec.id();
    RunningTask held = tasks.get(id);
    Integer finished = outbox.unsettledAttempt(id);
    if (held != null && held.attempt >= assignment.attempt()
      || held == null && finished != null && finished >= assignment.attempt()) {
      return;
    }
    if (held != null) {
      discard(held);
    }
    if (held != null || finished != null) {
      outbox.drop(id, -1); // the older attempt's reports not sent yet and its unsettled outcome
    }
    RunningTask task = new RunningTask(spec, assignment.attempt(), traceParent, this::onProgressReported);
    tasks.put(id, task);
    gate.enqueue(task, need(spec.requirements()));
  }

  private static Resources need(Requirements requirements) {
    return new Resources(requirements.cpu(), requirements.memory(), requirements.gpu() ? 1 : 0);
  }

  /**
   * Starts every task the gate lets through, in order. A non-blocking handler (TaskHandler#nonBlocking)
   * runs right here and frees its slot at once, so a whole prefetched batch of them runs in this turn;
   * their outcomes then leave together when the turn ends, not after the outbox's batch delay.
   */
  void pump() {
    if (stopped) {
      return;
    }
    boolean ranInline = false;
    List<RunningTask> startable;
    while (!(startable = gate.startable()).isEmpty()) {
      for (RunningTask task : startable) {
        TaskHandler handler = handlers.find(task.spec.function()).orElse(null);
        if (handler != null && handler.nonBlocking()) {
          ranInline |= runInline(task, handler);
        } else {
          executor.execute(() -> execute(task, handler));
        }
      }
    }
    if (ranInline) {
      outbox.flushAtEndOfTurn();
    }
  }

  /**
   * Runs a non-blocking handler on the event loop and hands its outcome to the outbox. No timeout
   * timer and no running report: it returns before either could matter; progress it reports is held
   * and goes just before the outcome.
   */
  private boolean runInline(RunningTask task, TaskHandler handler) {
    if (!task.begin()) {
      return false;
    }
    task.inline = true;
    TaskUpdate outcome = run(task, handler);
    task.inline = false;
    gate.remove(task);
    if (tasks.remove(task.spec.id(), task)) {
      offerOutcome(task, outcome);
    }
    return true;
  }

  /** On a task thread. */
  private void execute(RunningTask task, TaskHandler handler) {
    if (!task.begin()) {
      return; // withdrawn after the gate let it through; whoever withdrew it freed its slot
    }
    context.runOnContext(v -> onStarted(task));
    TaskUpdate outcome = run(task, handler);
    context.runOnContext(v -> onEnded(task, outcome));
  }

  /** The handler's run, traced; wherever it runs. */
  private TaskUpdate run(RunningTask task, TaskHandler handler) {
    Object span = tracing.running(task.spec.id(), task.spec.function(), task.attempt, task.traceParent);
    TaskUpdate outcome = TaskExecution.run(task, handler, node.id(), options.getMaxResultBytes());
    tracing.ran(span, outcome.status());
    return outcome;
  }

  private void onStarted(RunningTask task) {
    Long timeout = task.spec.timeout();
    if (timeout != null && task.isRunning()) {
      task.timeoutTimer = vertx.setTimer(timeout, t -> task.stop(true));
    }
    task.startNanos = System.nanoTime();
    if (options.getRunningReportDelayMs() == 0) {
      reportRunning(task);
      return;
    }
    justStarted.add(task);
    if (runningReportTimer < 0) {
      runningReportTimer = vertx.setTimer(options.getRunningReportDelayMs(), t -> reportDueRunning());
    }
  }

  /** One timer for all start reports: each task still running its delay after it started is reported. */
  private void reportDueRunning() {
    runningReportTimer = -1;
    long delayNanos = TimeUnit.MILLISECONDS.toNanos(options.getRunningReportDelayMs());
    long now = System.nanoTime();
    while (!justStarted.isEmpty() && now - justStarted.peek().startNanos >= delayNanos) {
      RunningTask task = justStarted.poll();
      if (task.isRunning()) {
        reportRunning(task);
      }
    }
    if (!justStarted.isEmpty()) {
      long left = delayNanos - (now - justStarted.peek().startNanos);
      runningReportTimer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999)),
        t -> reportDueRunning());
    }
  }

  private void reportRunning(RunningTask task) {
    if (task.runningReported || !isCurrent(task)) {
      return;
    }
    task.runningReported = true;
    outbox.offer(TaskUpdate.running(task.spec.id(), task.attempt, task.startedAt()));
    if (task.heldProgress != null) {
      outbox.offer(TaskUpdate.progress(task.spec.id(), task.attempt, System.currentTimeMillis(), task.heldProgress));
      task.heldProgress = null;
    }
  }

  /** On the task thread: rate-limited per attempt; the last report (1.0) always goes. */
  private void onProgressReported(RunningTask task, double fraction) {
    if (task.inline) { // on the event loop, before the outcome: goes with it
      task.heldProgress = fraction;
      return;
    }
    long now = System.nanoTime();
    long last = task.lastProgressNanos.get();
    long intervalNanos = TimeUnit.MILLISECONDS.toNanos(options.getProgressIntervalMs());
    if (fraction >= 1.0 || last == Long.MIN_VALUE || now - last >= intervalNanos) {
      task.lastProgressNanos.set(now);
      long at = System.currentTimeMillis();
      context.runOnContext(v -> onProgress(task, fraction, at));
    }
  }

  private void onProgress(RunningTask task, double fraction, long at) {
    if (!isCurrent(task) || task.startedAt() == null) {
      return;
    }
    if (task.runningReported) {
      outbox.offer(TaskUpdate.progress(task.spec.id(), task.attempt, at, fraction));
    } else {
      task.heldProgress = fraction; // goes with its running report, or just before the outcome
    }
  }

  /**
   * True while this attempt is held: a superseded attempt, one the leader dropped, one withdrawn and
   * every task of a stopping worker are out of the map at once, and report nothing more.
   */
  private boolean isCurrent(RunningTask task) {
    return tasks.get(task.spec.id()) == task;
  }

  private void onEnded(RunningTask task, TaskUpdate outcome) {
    if (task.timeoutTimer >= 0) {
      vertx.cancelTimer(task.timeoutTimer);
    }
    gate.remove(task);
    if (tasks.remove(task.spec.id(), task)) {
      offerOutcome(task, outcome);
    }
    pump();
  }

  private void offerOutcome(RunningTask task, TaskUpdate outcome) {
    if (task.heldProgress != null && outcome.startedAt() != null) {
      // a task that ended before its running report still shows its latest progress, just before the end
      outbox.offer(TaskUpdate.progress(task.spec.id(), task.attempt, outcome.at(), task.heldProgress));
      task.heldProgress = null;
    }
    outbox.offer(outcome);
  }

  /** {@code task_cancel}: true when it runs (its {@code cancelled} outcome follows), false when withdrawn or not held. */
  boolean cancel(String taskId, int attempt) {
    RunningTask task = held(taskId, attempt);
    if (task == null) {
      return false;
    }
    if (withdraw(task)) {
      return false;
    }
    task.stop(false);
    return true;
  }

  /** {@code task_revoke}: true when it had not started and was withdrawn (no outcome will be sent). */
  boolean revoke(String taskId, int attempt) {
    RunningTask task = held(taskId, attempt);
    return task != null && withdraw(task);
  }

  /** The leader placed this attempt elsewhere: withdraw or stop it, and report nothing more of it. */
  void drop(String taskId, int attempt) {
    RunningTask task = held(taskId, attempt);
    if (task != null) {
      discard(task);
    }
  }

  private RunningTask held(String taskId, int attempt) {
    RunningTask task = tasks.get(taskId);
    return task != null && (attempt < 0 || task.attempt == attempt) ? task : null;
  }

  private boolean withdraw(RunningTask task) {
    if (!task.withdraw()) {
      return false;
    }
    gate.remove(task);
    tasks.remove(task.spec.id(), task);
    pump();
    return true;
  }

  /** Withdraws or stops the task; out of the map, it reports nothing more (it keeps its slot until its thread returns). */
  private void discard(RunningTask task) {
    if (!withdraw(task)) {
      tasks.remove(task.spec.id(), task);
      task.stop(false);
    }
  }

  /** Waiting tasks (started=false) and running ones (started=true), as a {@code node_join} lists them. */
  List<HeldTask> held() {
    List<HeldTask> held = new ArrayList<>(tasks.size());
    tasks.values().forEach(t -> held.add(new HeldTask(t.spec.id(), t.attempt, t.startedAt() != null, false)));
    return held;
  }

  /** Tasks on a task thread now (or about to be). */
  int runningCount() {
    return gate.runningCount();
  }

  /** The worker stops: nothing more starts, running tasks are interrupted and report nothing. */
  void stopAll() {
    stopped = true;
    if (runningReportTimer >= 0) {
      vertx.cancelTimer(runningReportTimer);
    }
    new ArrayList<>(tasks.values()).forEach(this::discard);
    executor.shutdownNow();
  }
}
