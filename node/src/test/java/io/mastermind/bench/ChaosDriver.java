package io.mastermind.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The client side of {@code scripts/chaos.sh} (issue 9's failover proof): drives {@code pi} tasks through
 * the gateway of the node that survives (c2), kills a worker and then the leading coordinator with
 * {@code kill -9} mid-run (by the PIDs the script started), and checks afterwards that no accepted task
 * was lost, no reported result changed and nothing was left unfinished.
 * <ul>
 *   <li>One WebSocket to {@code /api/v1/ws} subscribed to {@code task:*} records every event of every task
 *   in arrival order, and the result each {@code task:completed} carried ({@code data.result}).</li>
 *   <li>Submissions are {@code POST /api/v1/tasks} with ids {@code chaos-<i>}; at most {@code --window}
 *   tasks are outstanding (submitted and not yet seen ending), so submitting goes on across both kills.
 *   A submission answered 503/429/5xx or not answered within {@code --submit-timeout-ms} is sent again with
 *   the same id (idempotent); a task counts as accepted on 202 or 200 only.</li>
 *   <li>SIGKILL ({@code kill -9}) of the worker once {@code --worker-at} of the tasks ended, of the leader
 *   once {@code --leader-at} ended and at least {@code --kill-gap-ms} after the worker; each while an
 *   <i>anchor</i> runs: a long {@code pi} task ({@code --anchor-samples}, default 250 times S; 0: none)
 *   sent when the kill is due, again until one is seen started on the worker (for the worker's kill) or
 *   anywhere (for the leader's). Short tasks end within the time an event takes to arrive, so without
 *   anchors a kill rarely catches one running. Anchors are checked like every other task.</li>
 *   <li>At the end (at most {@code --wait} s after the last submission) every accepted id is read back with
 *   {@code GET /api/v1/tasks/{id}} and classified; then a markdown block and one {@code RESULT {json}} line
 *   go to stdout. Exit 1 when a task was lost, changed its result or was not finished; 3 when the run
 *   itself could not be made.</li>
 * </ul>
 * <pre>
 * ChaosDriver --port C2_HTTP_PORT --kill-worker w1:PID --kill-leader c1:PID [--tasks 10000] [--samples 200000]
 *             [--window 64] [--worker-at 0.333] [--leader-at 0.667] [--wait 180] [--submit-timeout-ms 12000]
 *             [--kill-gap-ms 0] [--anchor-samples 250*S] [--max-seconds 540] [--events-out FILE] [--command TEXT]
 * </pre>
 * A main, not a test (surefire skips it); everything runs on one Vert.x context, so there is no locking.
 */
public final class ChaosDriver {

  private static final String HOST = "127.0.0.1";
  private static final Set<String> TERMINAL = Set.of("task:completed", "task:failed", "task:timed_out", "task:cancelled");
  private static final Set<String> TERMINAL_STATUS = Set.of("succeeded", "failed", "timed_out", "cancelled");
  private static final int SHOW = 20;

  // ---- settings ---------------------------------------------------------------------------------

  private final int port;
  private final int count;
  private final int samples;
  private final int window;
  private final double workerAt;
  private final double leaderAt;
  private final long waitMs;
  private final long submitTimeoutMs;
  private final long maxMs;
  private final long killGapMs;
  private final long anchorSamples;
  private final String eventsOut;
  private final String command;
  private final Victim worker;
  private final Victim leader;

  // ---- state (the driver's context only) --------------------------------------------------------

  private final Vertx vertx;
  private Context context;
  private HttpClientAgent http;
  private WebSocketClient wsClient;
  private WebSocket socket;
  private final long t0 = System.currentTimeMillis();
  private final List<Task> tasks = new ArrayList<>();   // the N regular tasks first, then the anchors
  private final Map<String, Task> byId = new java.util.HashMap<>();
  private int next;                 // index of the next task to submit for the first time
  private int outstanding;          // tasks holding a window slot
  private int submitting;           // tasks whose submission is not settled (accepted, refused or given up)
  private int accepted;
  private int ended;                // tasks seen ending (event or read back)
  private long lastSubmissionAt;
  private long submitDeadline;
  private boolean submissionsDone;
  private long pollsInFlight;
  private final Map<String, Long> submitOutcomes = new TreeMap<>();   // per answer: count
  private final Map<String, Long> retryReasons = new TreeMap<>();
  private long socketDrops;
  private long socketCloses;
  private long unknownEvents;
  private long eventsSeen;
  private String leaderBefore = "?";
  private String leaderAfter = "?";
  private JsonObject clusterAfter;
  private final List<Long> completionTimes = new ArrayList<>();  // ms since t0 of every first task:completed
  private final CompletableFuture<Integer> finished = new CompletableFuture<>();

  /** A process to kill, named as the cluster knows it. */
  record Victim(String name, long pid) {
    static Victim parse(String text) {
      int colon = text.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("expected NAME:PID, got " + text);
      }
      return new Victim(text.substring(0, colon), Long.parseLong(text.substring(colon + 1)));
    }
  }

  /** What happened at a kill. */
  static final class Kill {
    final Victim victim;
    long at = -1;                  // ms since t0
    int endedBefore;
    int runningOnVictim;           // tasks last seen scheduled/started on the victim, not seen ending
    int outstandingTasks;          // sent and not seen ending (accepted or still being submitted)
    long due = -1;                 // ms since t0 when the threshold was reached
    long firstCompletionAfter = -1; // ms since t0
    long firstAcceptedAfter = -1;  // ms since t0: the first 202 to a submission sent after the kill
    String killResult = "";
    final String runsOn;           // where an anchor must be running for this kill: the victim, or null (any)
    final List<Task> anchors = new ArrayList<>();
    Task anchorHit;                // the anchor running when the kill was made

    Kill(Victim victim, String runsOn) {
      this.runsOn = runsOn;
      this.victim = victim;
    }
  }

  private final Kill workerKill;
  private final Kill leaderKill;

  /** One event as it arrived. */
  record Event(String name, String node, Integer attempt, long at) {
    String show() {
      String n = name.startsWith("task:") ? name.substring(5) : name;
      return n + (node == null ? "" : "@" + node) + (attempt == null ? "" : "#" + attempt) + "+" + at;
    }
  }

  /** Everything known of one task. */
  static final class Task {
    final int index;
    final String id;
    final String body;
    boolean holdsSlot;
    boolean settled;              // the submission got its final answer (accepted, refused, given up)
    boolean accepted;
    String refusal;
    int sends;
    long firstSentAt = -1;
    long acceptedAt = -1;
    long lastSentAt = -1;
    final List<Event> events = new ArrayList<>(6);
    boolean endSeen;
    long endAt = -1;
    String endedBy;               // "event" or "poll"
    boolean completedSeen;
    Object firstCompletedResult;
    int completedEvents;
    boolean completedResultsDiffer;
    JsonObject firstTerminalRead; // the first terminal record read back over HTTP (before the final pass)
    long lastPolledAt = -1;
    long missingSince = -1;       // first 404 read back after it was accepted
    JsonObject finalRecord;
    int finalCode;                // HTTP status of the final read (0: none)
    String currentNode;           // from the last scheduled/started event
    String lastEvent;             // the name of the last event
    String currentNodeAtKill;     // for an anchor that a kill caught: where it was running
    Kill anchorFor;               // an anchor task: a long one sent so that a kill catches it running

    Task(int index, String id, String body) {
      this.index = index;
      this.id = id;
      this.body = body;
    }

    String sequence() {
      StringBuilder sb = new StringBuilder();
      for (Event e : events) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(e.show());
      }
      return sb.toString();
    }
  }

  private ChaosDriver(String[] args) {
    port = BenchSupport.intArg(args, "--port", 0);
    count = BenchSupport.intArg(args, "--tasks", 10_000);
    samples = BenchSupport.intArg(args, "--samples", 200_000);
    window = BenchSupport.intArg(args, "--window", 64);
    workerAt = BenchSupport.doubleArg(args, "--worker-at", 1.0 / 3);
    leaderAt = BenchSupport.doubleArg(args, "--leader-at", 2.0 / 3);
    waitMs = BenchSupport.intArg(args, "--wait", 180) * 1000L;
    submitTimeoutMs = BenchSupport.intArg(args, "--submit-timeout-ms", 12_000);
    maxMs = BenchSupport.intArg(args, "--max-seconds", 540) * 1000L;
    killGapMs = BenchSupport.intArg(args, "--kill-gap-ms", 0);
    anchorSamples = Long.parseLong(BenchSupport.arg(args, "--anchor-samples", String.valueOf(250L * samples)));
    eventsOut = BenchSupport.arg(args, "--events-out", null);
    command = BenchSupport.arg(args, "--command", "");
    worker = Victim.parse(BenchSupport.arg(args, "--kill-worker", ""));
    leader = Victim.parse(BenchSupport.arg(args, "--kill-leader", ""));
    if (port <= 0 || count < 3 || window < 1 || workerAt <= 0 || leaderAt <= workerAt || leaderAt >= 1) {
      throw new IllegalArgumentException("bad arguments");
    }
    workerKill = new Kill(worker, worker.name());
    leaderKill = new Kill(leader, null);
    for (int i = 0; i < count; i++) {
      addTask("chaos-" + i, samples, null);
    }
    vertx = Vertx.vertx();
  }

  private Task addTask(String id, long taskSamples, Kill anchorFor) {
    String body = new JsonObject().put("id", id).put("type", "compute")
      .put("payload", new JsonObject().put("function", "pi").put("data", new JsonObject().put("samples", taskSamples)))
      .encode();
    Task task = new Task(tasks.size(), id, body);
    task.anchorFor = anchorFor;
    tasks.add(task);
    byId.put(id, task);
    return task;
  }

  public static void main(String[] args) throws Exception {
    ChaosDriver driver;
    try {
      driver = new ChaosDriver(args);
    } catch (RuntimeException e) {
      System.err.println("usage: ChaosDriver --port C2_HTTP_PORT --kill-worker NAME:PID --kill-leader NAME:PID"
        + " [--tasks N] [--samples S] [--window W] [--worker-at F] [--leader-at F] [--wait S]"
        + " [--submit-timeout-ms MS] [--kill-gap-ms MS] [--anchor-samples S] [--max-seconds S] [--events-out FILE] [--command TEXT] (" + e.getMessage() + ")");
      System.exit(2);
      return;
    }
    int code;
    try {
      code = driver.run();
    } catch (Exception e) {
      e.printStackTrace();
      code = 3;
    }
    System.out.flush();
    System.exit(code);
  }

  private static void say(String message) {
    System.err.println("[chaos] " + message);
  }

  private long now() {
    return System.currentTimeMillis() - t0;
  }

  /** Local wall-clock time of a driver time, as the node logs print it. */
  private String clock(long ms) {
    return java.time.LocalTime.ofInstant(java.time.Instant.ofEpochMilli(t0 + ms), java.time.ZoneId.systemDefault())
      .format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS"));
  }

  private String secs(long ms) {
    return String.format("%.1f s", ms / 1000.0);
  }

  // ---- the run ----------------------------------------------------------------------------------

  private int run() throws Exception {
    context = vertx.getOrCreateContext();
    context.runOnContext(v -> start());
    int code = finished.get(maxMs + 120_000, TimeUnit.MILLISECONDS);
    return code;
  }

  private void start() {
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setDefaultHost(HOST).setDefaultPort(port),
      new PoolOptions().setHttp1MaxSize(window + 64));
    say("tasks " + count + " (pi, " + samples + " samples), window " + window + ", through 127.0.0.1:" + port
      + "; kill -9 " + worker.name() + " (pid " + worker.pid() + ") at " + Math.round(workerAt * 100) + "% ended, "
      + leader.name() + " (pid " + leader.pid() + ") at " + Math.round(leaderAt * 100) + "% ended; t0 = " + clock(0)
      + " local (times below are ms since t0)");
    get("/api/v1/cluster").onComplete(ar -> {
      if (ar.succeeded() && ar.result().code == 200) {
        JsonObject leaderJson = ar.result().json.getJsonObject("leader");
        leaderBefore = leaderJson == null ? "none" : String.valueOf(leaderJson.getValue("nodeId"));
      }
      say("leader before the run: " + leaderBefore);
      if (!leaderBefore.equals(leader.name())) {
        say("WARNING: the leader is " + leaderBefore + ", not " + leader.name() + ": the leader kill will not kill the leader");
      }
      connectSocket().onComplete(s -> {
        if (s.failed()) {
          say("the WebSocket could not be opened: " + s.cause());
          finished.complete(3);
          return;
        }
        submitDeadline = now() + maxMs / 2;
        vertx.setPeriodic(250, id -> tick());
        pump();
      });
    });
  }

  /** Opens the watching socket (again, if it closed) and subscribes to every task event. */
  private Future<Void> connectSocket() {
    Promise<Void> subscribed = Promise.promise();
    if (wsClient == null) {
      // held in a field: Vert.x closes a client that is no longer referenced (and its sockets) once it is
      // garbage collected
      wsClient = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22));
    }
    wsClient.connect(new WebSocketConnectOptions().setHost(HOST).setPort(port).setURI("/api/v1/ws"))
      .onFailure(subscribed::tryFail)
      .onSuccess(ws -> {
        socket = ws;
        ws.textMessageHandler(text -> onFrame(text, subscribed));
        ws.closeHandler(v -> {
          socketCloses++;
          say("WARNING: the watching WebSocket closed; events are missed until it is open again");
          if (!finished.isDone()) {
            vertx.setTimer(200, t -> connectSocket().onFailure(err -> say("reconnect failed: " + err.getMessage())));
          }
        });
        ws.writeTextMessage(new JsonObject().put("op", "subscribe").put("ref", "s").put("events", new JsonArray().add("task:*"))
          .encode());
      });
    return subscribed.future();
  }

  private void onFrame(String text, Promise<Void> subscribed) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (RuntimeException e) {
      return;
    }
    String op = frame.getString("op", "");
    switch (op) {
      case "event" -> onEvent(frame.getJsonObject("event"));
      case "subscribed" -> subscribed.tryComplete();
      case "error" -> {
        JsonObject error = frame.getJsonObject("error", new JsonObject());
        String message = error.getString("message", "");
        if ("SLOW_CONSUMER".equals(error.getString("code"))) {
          try {
            socketDrops += Long.parseLong(message.split(" ")[0]);
          } catch (RuntimeException e) {
            socketDrops++;
          }
        }
        say("socket error frame: " + text);
        if (!subscribed.future().isComplete()) {
          subscribed.tryFail(text);
        }
      }
      default -> {
      }
    }
  }

  private void onEvent(JsonObject event) {
    if (event == null) {
      return;
    }
    Task task = byId.get(event.getString("taskId", ""));
    if (task == null) {
      unknownEvents++;
      return;
    }
    eventsSeen++;
    String name = event.getString("event", "");
    JsonObject data = event.getJsonObject("data", new JsonObject());
    String node = data.getValue("node") instanceof String s ? s : null;
    Integer attempt = null;
    if (data.getValue("attempt") instanceof Number n) {
      attempt = n.intValue();
    } else if (data.getValue("attempts") instanceof Number n) {
      attempt = n.intValue();
    }
    long at = now();
    task.events.add(new Event(name, node, attempt, at));
    task.lastEvent = name;
    if (name.equals("task:scheduled") || name.equals("task:started")) {
      task.currentNode = node;
    }
    if (name.equals("task:completed")) {
      Object result = data.getValue("result");
      if (task.completedEvents == 0) {
        task.firstCompletedResult = result;
        completionTimes.add(at);
        noteCompletion(at);
      } else if (!Objects.equals(task.firstCompletedResult, result)) {
        task.completedResultsDiffer = true;
      }
      task.completedEvents++;
      task.completedSeen = true;
    }
    if (TERMINAL.contains(name)) {
      ended(task, "event");
    } else if (task.anchorFor != null) {
      maybeKill(); // an anchor started: its kill may be made now
    }
  }

  private void noteCompletion(long at) {
    for (Kill kill : List.of(workerKill, leaderKill)) {
      if (kill.at >= 0 && kill.firstCompletionAfter < 0 && at >= kill.at) {
        kill.firstCompletionAfter = at;
      }
    }
  }

  /** The task is seen ending (by its terminal event or a terminal record read back): frees its slot. */
  private void ended(Task task, String how) {
    if (task.endSeen) {
      return;
    }
    task.endSeen = true;
    task.endAt = now();
    task.endedBy = how;
    if (task.anchorFor == null) {
      ended++;
    }
    release(task);
    maybeKill();
    pump();
  }

  private void release(Task task) {
    if (task.holdsSlot) {
      task.holdsSlot = false;
      outstanding--;
    }
  }

  // ---- kills ------------------------------------------------------------------------------------

  /**
   * A kill is due once its share of the tasks ended (the leader's also {@code --kill-gap-ms} after the
   * worker's). Then, with anchors (the default), long {@code pi} tasks are sent one after another until
   * one is seen running where it matters (on the worker for the worker's kill, anywhere for the leader's)
   * and the kill is made while it runs, at most 15 s after the kill was due. Without anchors the worker
   * is killed when a task was last placed on it (at most 3 s after due), the leader at once.
   */
  private void maybeKill() {
    Kill kill;
    if (workerKill.at < 0 && ended >= Math.ceil(count * workerAt)) {
      kill = workerKill;
    } else if (workerKill.at >= 0 && leaderKill.at < 0 && ended >= Math.ceil(count * leaderAt)
      && now() - workerKill.at >= killGapMs) {
      kill = leaderKill;
    } else {
      return;
    }
    if (kill.due < 0) {
      kill.due = now();
    }
    if (anchorSamples <= 0) {
      if (kill == leaderKill || placedOn(worker.name()) > 0 || now() - kill.due >= 3000) {
        kill(kill);
      }
      return;
    }
    for (Task a : kill.anchors) {
      if (!a.endSeen && ("task:started".equals(a.lastEvent) || "task:progress".equals(a.lastEvent))
        && (kill.runsOn == null || kill.runsOn.equals(a.currentNode))) {
        kill.anchorHit = a;
        kill(kill);
        return;
      }
    }
    if (now() - kill.due >= 15_000) {
      say("no anchor task seen running " + (kill.runsOn == null ? "" : "on " + kill.runsOn + " ") + "15 s after the "
        + kill.victim.name() + " kill was due: killing it anyway");
      kill(kill);
      return;
    }
    boolean waiting = false;
    for (Task a : kill.anchors) {
      // sent, not ended, and not running (or about to run) somewhere that does not count
      if (!a.endSeen && a.refusal == null && (kill.runsOn == null || a.currentNode == null || kill.runsOn.equals(a.currentNode))) {
        waiting = true;
      }
    }
    if (!waiting && kill.anchors.size() < 8) {
      String role = kill == workerKill ? "w" : "l";
      Task anchor = addTask("chaos-anchor-" + role + kill.anchors.size(), anchorSamples, kill);
      kill.anchors.add(anchor);
      submitting++;
      say("anchor " + anchor.id + " (pi, " + anchorSamples + " samples) sent: the " + kill.victim.name()
        + " kill waits until it runs" + (kill.runsOn == null ? "" : " on " + kill.runsOn));
      send(anchor);
    }
  }

  private int placedOn(String node) {
    int n = 0;
    for (Task t : tasks) {
      if (t.firstSentAt >= 0 && !t.endSeen && node.equals(t.currentNode)) {
        n++;
      }
    }
    return n;
  }

  private void kill(Kill kill) {
    kill.endedBefore = ended;
    if (kill.anchorHit != null) {
      kill.anchorHit.currentNodeAtKill = kill.anchorHit.currentNode;
    }
    for (Task t : tasks) {
      if (t.firstSentAt >= 0 && !t.endSeen && t.refusal == null) {
        kill.outstandingTasks++;
        if (kill.victim.name().equals(t.currentNode)) {
          kill.runningOnVictim++;
        }
      }
    }
    // SIGKILL, what `kill -9 PID` sends, by a kill(2) call: no process to start, so the event loop is
    // not held up and the kill time is exact. ProcessHandle checks the process start time, so a reused
    // PID cannot be hit.
    var handle = ProcessHandle.of(kill.victim.pid());
    if (handle.isEmpty()) {
      kill.killResult = "no such process";
    } else {
      kill.killResult = handle.get().destroyForcibly() ? "SIGKILL sent" : "SIGKILL refused";
    }
    kill.at = now();
    say(String.format("KILL -9 %s (pid %d) at %s (%s local): %d of %d tasks ended, %d sent not ended, %d of them last"
        + " placed on %s; %s", kill.victim.name(), kill.victim.pid(), secs(kill.at), clock(kill.at), kill.endedBefore, count,
      kill.outstandingTasks, kill.runningOnVictim, kill.victim.name(), kill.killResult)
      + (kill.anchorHit == null ? "" : "; anchor " + kill.anchorHit.id + " running on " + kill.anchorHit.currentNodeAtKill));
    System.out.println("PROGRESS killed=" + kill.victim.name() + " ended=" + kill.endedBefore);
    System.out.flush();
  }

  // ---- submissions ------------------------------------------------------------------------------

  private void pump() {
    while (!submissionsDone && outstanding < window && next < count) {
      Task task = tasks.get(next++);
      task.holdsSlot = true;
      outstanding++;
      submitting++;
      send(task);
    }
    if (!submissionsDone && next >= count && submitting == 0) {
      submissionsDone = true;
      lastSubmissionAt = now();
      say(String.format("every submission settled at %s: %d of %d accepted; waiting for them to end (at most %d s)",
        secs(lastSubmissionAt), accepted, count, waitMs / 1000));
    }
  }

  private void send(Task task) {
    long sentAt = now();
    task.sends++;
    task.lastSentAt = sentAt;
    if (task.firstSentAt < 0) {
      task.firstSentAt = sentAt;
    }
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(HOST).setPort(port)
      .setURI("/api/v1/tasks").setConnectTimeout(3000).setIdleTimeout(submitTimeoutMs)
      .putHeader("content-type", "application/json");
    http.request(options)
      .compose(req -> req.send(Buffer.buffer(task.body)))
      .compose(resp -> resp.body().map(body -> new Answer(resp.statusCode(), resp.getHeader("Retry-After"), body)))
      .onComplete(ar -> {
        if (ar.failed()) {
          String why = ar.cause() instanceof java.util.concurrent.TimeoutException
            || String.valueOf(ar.cause().getMessage()).contains("timeout") ? "no answer (timeout)" : "no answer (" + shortError(ar.cause()) + ")";
          count(submitOutcomes, why);
          retry(task, why, 250);
          return;
        }
        Answer a = ar.result();
        count(submitOutcomes, String.valueOf(a.code));
        if (a.code == 202 || a.code == 200) {
          accept(task, sentAt);
        } else if (a.code == 503 || a.code == 429 || a.code >= 500) {
          long delay = 250;
          if (a.retryAfter != null) {
            try {
              delay = Math.min(1000, Math.max(100, Long.parseLong(a.retryAfter.trim()) * 1000));
            } catch (NumberFormatException e) {
              // keep the default
            }
          }
          retry(task, String.valueOf(a.code), delay);
        } else {
          // bad input or a conflict: not retried (nothing here should get one)
          task.refusal = a.code + " " + a.bodyText();
          settle(task);
          release(task);
          say("submission of " + task.id + " refused: " + task.refusal);
          pump();
        }
      });
  }

  private static String shortError(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + (m.length() > 60 ? m.substring(0, 60) : m));
  }

  private void accept(Task task, long sentAt) {
    if (!task.accepted) {
      task.accepted = true;
      task.acceptedAt = now();
      accepted++;
      for (Kill kill : List.of(workerKill, leaderKill)) {
        if (kill.at >= 0 && kill.firstAcceptedAfter < 0 && sentAt >= kill.at) {
          kill.firstAcceptedAfter = task.acceptedAt;
        }
      }
    }
    settle(task);
    pump();
  }

  private void settle(Task task) {
    if (!task.settled) {
      task.settled = true;
      submitting--;
    }
  }

  private void retry(Task task, String why, long delayMs) {
    count(retryReasons, why);
    if (now() > submitDeadline) {
      task.refusal = "given up at " + secs(now()) + " after " + task.sends + " sends (last: " + why + ")";
      say("submission of " + task.id + " " + task.refusal);
      settle(task);
      release(task);
      pump();
      return;
    }
    vertx.setTimer(delayMs, t -> send(task));
  }

  private static void count(Map<String, Long> map, String key) {
    map.merge(key, 1L, Long::sum);
  }

  // ---- the periodic tick: polls, progress, the end ------------------------------------------------

  private long lastProgress = -10_000;
  private long lastPing;
  private boolean finalPassStarted;

  private void tick() {
    long now = now();
    maybeKill();
    if (socket != null && now - lastPing >= 15_000) {
      lastPing = now;
      socket.writeTextMessage("{\"op\":\"ping\",\"ref\":\"keepalive\"}");
    }
    if (now - lastProgress >= 2000) {
      lastProgress = now;
      say(String.format("%s: sent %d, accepted %d, ended %d (completed events %d), outstanding %d, retries %s, socket drops %d",
        secs(now), next, accepted, ended, completionTimes.size(), outstanding, retryReasons, socketDrops));
      System.out.println("PROGRESS ended=" + ended + " accepted=" + accepted);
      System.out.flush();
    }
    if (finalPassStarted) {
      return;
    }
    // Read back accepted tasks not seen ending: a terminal event can be missed (a dead leader's last
    // events), which must not hold a window slot forever. Early in the run: only those accepted 3 s ago.
    long minAge = submissionsDone ? 0 : 3000;
    int budget = (int) Math.max(0, 32 - pollsInFlight);
    for (Task t : tasks) {
      if (budget <= 0) {
        break;
      }
      if (t.accepted && !t.endSeen && now - t.acceptedAt >= minAge && now - t.lastPolledAt >= 2000) {
        budget--;
        poll(t);
      }
    }
    // both kills first: with --kill-gap-ms the leader's may still be due after the last task ended
    boolean allEnded = submissionsDone && acceptedNotEnded() == 0 && leaderKill.at >= 0;
    boolean timeUp = submissionsDone && now - lastSubmissionAt >= waitMs;
    boolean hardStop = now >= maxMs;
    if (allEnded || timeUp || hardStop) {
      finalPassStarted = true;
      say(String.format("%s: %s; reading back every task from 127.0.0.1:%d in 3 s", secs(now),
        allEnded ? "every accepted task ended (or has been 404 for 15 s)" : timeUp ? "the wait after the last submission is over" : "--max-seconds reached",
        port));
      vertx.setTimer(3000, t -> finalPass());
    }
  }

  /** Accepted tasks still awaited: not seen ending, and not 404 for 15 s running (lost: nothing to wait for). */
  private int acceptedNotEnded() {
    int n = 0;
    long now = now();
    for (Task t : tasks) {
      if (t.accepted && !t.endSeen && !(t.missingSince >= 0 && now - t.missingSince >= 15_000)) {
        n++;
      }
    }
    return n;
  }

  private void poll(Task task) {
    task.lastPolledAt = now();
    pollsInFlight++;
    get("/api/v1/tasks/" + task.id).onComplete(ar -> {
      pollsInFlight--;
      if (ar.succeeded() && ar.result().code == 404 && task.missingSince < 0) {
        task.missingSince = now();
        say("WARNING: " + task.id + " was accepted, and now GET answers 404 | events: " + task.sequence());
      }
      if (ar.succeeded() && ar.result().code == 200) {
        task.missingSince = -1;
        JsonObject record = ar.result().json;
        if (TERMINAL_STATUS.contains(record.getString("status"))) {
          if (task.firstTerminalRead == null) {
            task.firstTerminalRead = record;
          }
          ended(task, "poll");
        }
      }
    });
  }

  // ---- reads ------------------------------------------------------------------------------------

  record Answer(int code, String retryAfter, Buffer body) {
    String bodyText() {
      String s = body == null ? "" : body.toString();
      return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
  }

  record Read(int code, JsonObject json) {
  }

  private Future<Read> get(String uri) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(HOST).setPort(port).setURI(uri)
      .setConnectTimeout(3000).setIdleTimeout(15_000);
    return http.request(options).compose(req -> req.send()).compose(resp -> resp.body().map(body -> {
      JsonObject json;
      try {
        json = body.length() == 0 ? new JsonObject() : new JsonObject(body);
      } catch (RuntimeException e) {
        json = new JsonObject().put("raw", body.toString());
      }
      return new Read(resp.statusCode(), json);
    }));
  }

  /** GET with a few tries when unanswered or 5xx (a 404 is an answer). */
  private Future<Read> getFirmly(String uri, int tries) {
    return get(uri).transform(ar -> {
      if (ar.succeeded() && ar.result().code < 500) {
        return Future.succeededFuture(ar.result());
      }
      if (tries <= 1) {
        return ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause());
      }
      Promise<Read> later = Promise.promise();
      vertx.setTimer(500, t -> getFirmly(uri, tries - 1).onComplete(later));
      return later.future();
    });
  }

  /** Runs {@code op} over {@code items}, {@code parallel} at a time. */
  private <T> Future<Void> forEach(List<T> items, int parallel, Function<T, Future<?>> op) {
    Promise<Void> all = Promise.promise();
    Deque<T> queue = new ArrayDeque<>(items);
    int[] running = {0};
    Runnable[] step = new Runnable[1];
    step[0] = () -> {
      while (running[0] < parallel && !queue.isEmpty()) {
        T item = queue.poll();
        running[0]++;
        op.apply(item).onComplete(ar -> {
          running[0]--;
          step[0].run();
        });
      }
      if (running[0] == 0 && queue.isEmpty()) {
        all.tryComplete();
      }
    };
    step[0].run();
    return all.future();
  }

  private void finalPass() {
    long started = now();
    List<Task> all = new ArrayList<>(tasks);
    forEach(all, 32, t -> getFirmly("/api/v1/tasks/" + t.id, 6).andThen(ar -> {
      if (ar.succeeded()) {
        t.finalCode = ar.result().code;
        t.finalRecord = ar.result().code == 200 ? ar.result().json : null;
      } else {
        t.finalCode = 0;
      }
    })).compose(v -> get("/api/v1/cluster").andThen(ar -> {
      if (ar.succeeded() && ar.result().code == 200) {
        clusterAfter = ar.result().json;
        JsonObject l = clusterAfter.getJsonObject("leader");
        leaderAfter = l == null ? "none" : String.valueOf(l.getValue("nodeId"));
      }
    })).onComplete(v -> {
      say(String.format("read back %d tasks in %s", all.size(), secs(now() - started)));
      int code;
      try {
        code = report();
      } catch (RuntimeException e) {
        e.printStackTrace();
        code = 3;
      }
      finished.complete(code);
    });
  }

  // ---- the verdict ------------------------------------------------------------------------------

  private static final Map<String, Integer> RANK = Map.of("task:submitted", 0, "task:scheduled", 1, "task:retrying", 1,
    "task:started", 2, "task:progress", 2);

  /** Why the events of a task are out of lifecycle order, or null. */
  static String orderProblem(List<Event> events) {
    int rank = -1;
    String last = null;
    for (Event e : events) {
      String name = e.name();
      if (last != null && TERMINAL.contains(last)) {
        return name + " after " + last;
      }
      if (TERMINAL.contains(name)) {
        last = name;
        rank = 3;
        continue;
      }
      Integer r = RANK.get(name);
      if (r == null) {
        last = name;
        continue;
      }
      boolean rerun = (name.equals("task:scheduled") || name.equals("task:retrying")) && rank >= 1;
      if (r < rank && !rerun) {
        return name + " after " + last;
      }
      rank = r;
      last = name;
    }
    return null;
  }

  private int report() {
    int acceptedN = 0;
    int succeeded = 0;
    int failed = 0;
    int lost = 0;
    int unreadable = 0;
    int stuck = 0;
    int changed = 0;
    int outOfOrder = 0;
    int noTerminalEvent = 0;
    int noSubmittedEvent = 0;
    int endWithoutStarted = 0;
    int duplicateTerminal = 0;
    int ranMoreThanOnce = 0;
    int notAccepted = 0;
    int notAcceptedButExists = 0;
    Map<String, Integer> failedCodes = new TreeMap<>();
    Map<String, Integer> stuckStatus = new TreeMap<>();
    Map<Integer, Integer> attempts = new TreeMap<>();
    Map<String, Integer> byNode = new TreeMap<>();
    Map<String, Integer> endedBy = new TreeMap<>();
    List<String> lostLines = new ArrayList<>();
    List<String> stuckLines = new ArrayList<>();
    List<String> changedLines = new ArrayList<>();
    List<String> orderLines = new ArrayList<>();
    List<String> failedLines = new ArrayList<>();
    List<String> otherLines = new ArrayList<>();
    for (Task t : tasks) {
      if (!t.accepted) {
        notAccepted++;
        if (t.finalCode == 200) {
          notAcceptedButExists++;
        }
        otherLines.add(t.id + " not accepted (" + t.refusal + "), read back: " + t.finalCode
          + (t.finalRecord == null ? "" : " " + t.finalRecord.getString("status")));
        continue;
      }
      acceptedN++;
      if (t.endedBy != null) {
        endedBy.merge(t.endedBy, 1, Integer::sum);
      }
      JsonObject rec = t.finalRecord;
      String status = rec == null ? null : rec.getString("status");
      if (t.finalCode == 404) {
        lost++;
        lostLines.add(t.id + ": 404 | events: " + t.sequence());
      } else if (rec == null) {
        unreadable++;
        lostLines.add(t.id + ": not readable (HTTP " + t.finalCode + ") | events: " + t.sequence());
      } else if (!TERMINAL_STATUS.contains(status)) {
        stuck++;
        stuckStatus.merge(String.valueOf(status), 1, Integer::sum);
        stuckLines.add(t.id + ": " + status + " node " + rec.getValue("node") + " attempts " + rec.getValue("attempts")
          + (rec.getValue("reason") == null ? "" : " reason " + rec.getValue("reason")) + " | events: " + t.sequence());
      } else if (status.equals("succeeded")) {
        succeeded++;
      } else {
        failed++;
        JsonObject error = rec.getJsonObject("error", new JsonObject());
        String code = status + " " + error.getString("code", "?");
        failedCodes.merge(code, 1, Integer::sum);
        failedLines.add(t.id + ": " + code + " " + error.getString("message", "") + " | events: " + t.sequence());
      }
      if (rec != null) {
        if (rec.getValue("attempts") instanceof Number n) {
          attempts.merge(n.intValue(), 1, Integer::sum);
        }
        byNode.merge(String.valueOf(rec.getValue("node")), 1, Integer::sum);
      }
      // results changed after they were reported
      List<String> why = new ArrayList<>();
      if (t.completedResultsDiffer) {
        why.add("two task:completed events with different results");
      }
      if (t.completedSeen && rec != null) {
        if (!"succeeded".equals(status)) {
          why.add("task:completed reported, the record says " + status);
        } else if (!Objects.equals(t.firstCompletedResult, rec.getValue("result"))) {
          why.add("task:completed said " + t.firstCompletedResult + ", the record says " + rec.getValue("result"));
        }
      }
      if (t.firstTerminalRead != null && rec != null) {
        JsonObject first = t.firstTerminalRead;
        if (!Objects.equals(first.getString("status"), status) || !Objects.equals(first.getValue("result"), rec.getValue("result"))) {
          why.add("read " + first.getString("status") + " " + first.getValue("result") + " during the run, "
            + status + " " + rec.getValue("result") + " at the end");
        }
      }
      if (!why.isEmpty()) {
        changed++;
        changedLines.add(t.id + ": " + String.join("; ", why) + " | events: " + t.sequence());
      }
      // event order and completeness
      String problem = orderProblem(t.events);
      if (problem != null) {
        outOfOrder++;
        orderLines.add(t.id + ": " + problem + " | events: " + t.sequence());
      }
      int terminals = 0;
      boolean startedSeen = false;
      boolean endWithoutStart = false;
      int starts = 0;
      for (Event e : t.events) {
        if (e.name().equals("task:started")) {
          startedSeen = true;
          starts++;
        }
        if (TERMINAL.contains(e.name())) {
          terminals++;
          if (!startedSeen) {
            endWithoutStart = true;
          }
        }
      }
      if (terminals == 0) {
        noTerminalEvent++;
      }
      if (terminals > 1) {
        duplicateTerminal++;
      }
      if (endWithoutStart) {
        endWithoutStarted++;
      }
      if (t.events.isEmpty() || !t.events.get(0).name().equals("task:submitted")) {
        noSubmittedEvent++;
      }
      if (starts > 1) {
        ranMoreThanOnce++;
      }
    }

    writeEvents();

    long bad = lost + unreadable + changed + stuck;
    boolean killsDone = workerKill.at >= 0 && leaderKill.at >= 0;
    int code = bad == 0 && killsDone ? 0 : bad > 0 ? 1 : 3;

    // the longest pause between completion events after each kill
    long gapWorker = longestGap(workerKill.at, leaderKill.at >= 0 ? leaderKill.at : Long.MAX_VALUE);
    long gapLeader = longestGap(leaderKill.at, Long.MAX_VALUE);

    StringBuilder md = new StringBuilder();
    md.append("| measurement | value |\n|---|---|\n");
    int anchorsN = tasks.size() - count;
    row(md, "tasks submitted (`pi`, " + samples + " samples" + (anchorsN > 0 ? "; + anchors: `pi`, " + anchorSamples
      + " samples" : "") + ") / accepted (202 or 200)", (anchorsN > 0 ? count + " + " + anchorsN : String.valueOf(count))
      + " / " + acceptedN
      + (notAccepted > 0 ? " (" + notAccepted + " never accepted; " + notAcceptedButExists + " of them exist anyway)" : ""));
    row(md, "succeeded", String.valueOf(succeeded));
    row(md, "failed (status and code)", failed + (failedCodes.isEmpty() ? "" : " " + failedCodes));
    row(md, "**lost** (accepted, then 404)" + (unreadable > 0 ? " / not readable" : ""), lost + (unreadable > 0 ? " / " + unreadable : ""));
    row(md, "**stuck** (accepted, not ended " + waitMs / 1000 + " s after the last submission)", stuck
      + (stuckStatus.isEmpty() ? "" : " " + stuckStatus));
    row(md, "**results changed** after `task:completed` reported them", String.valueOf(changed));
    row(md, "tasks whose events arrived out of lifecycle order", String.valueOf(outOfOrder));
    row(md, "tasks with more than one terminal event", String.valueOf(duplicateTerminal));
    row(md, "tasks ended without `task:started` before the end event", String.valueOf(endWithoutStarted));
    row(md, "tasks with no terminal event seen / no `task:submitted` first (events lost, e.g. with the leader)",
      noTerminalEvent + " / " + noSubmittedEvent);
    row(md, "tasks started more than once (re-runs)", String.valueOf(ranMoreThanOnce));
    row(md, "attempts (final record): distribution", attempts.toString());
    row(md, "ran on (final record `node`)", byNode.toString());
    row(md, killLabel(workerKill, "worker"), killText(workerKill, gapWorker));
    row(md, killLabel(leaderKill, "leader"), killText(leaderKill, gapLeader));
    row(md, "time between the two kills", workerKill.at < 0 || leaderKill.at < 0 ? "—" : (leaderKill.at - workerKill.at) + " ms");
    row(md, "leader before → after", leaderBefore + " → " + leaderAfter);
    row(md, "submission answers (all sends)", submitOutcomes.toString());
    row(md, "re-sent submissions, by reason", retryReasons.isEmpty() ? "none" : retryReasons.toString());
    row(md, "events received (tasks of this run) / dropped for a slow socket / socket closes", eventsSeen + " / "
      + socketDrops + " / " + socketCloses);
    row(md, "last submission settled → every task ended", lastSubmissionAt < 0 ? "—" : secs(lastSubmissionAt)
      + " after the start; whole run " + secs(now()));
    row(md, "verdict", code == 0 ? "**pass**: 0 lost, 0 changed, 0 stuck" : code == 1
      ? "**FAIL**: " + lost + " lost, " + unreadable + " unreadable, " + changed + " changed, " + stuck + " stuck"
      : "**not a valid run**: a kill did not happen");

    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    out.println();
    out.println("### Chaos run result");
    out.println();
    if (!command.isEmpty()) {
      out.println("Command: `" + command + "`");
      out.println();
    }
    out.print(md);
    details(out, "lost or unreadable", lostLines);
    details(out, "stuck", stuckLines);
    details(out, "results changed", changedLines);
    details(out, "out of lifecycle order", orderLines);
    details(out, "failed", failedLines);
    details(out, "not accepted", otherLines);
    out.println();
    JsonObject result = new JsonObject().put("tasks", count).put("accepted", acceptedN).put("succeeded", succeeded)
      .put("failed", failed).put("failedCodes", new JsonObject(new java.util.LinkedHashMap<>(failedCodes)))
      .put("lost", lost).put("unreadable", unreadable).put("stuck", stuck).put("changed", changed)
      .put("outOfOrder", outOfOrder).put("duplicateTerminal", duplicateTerminal).put("endWithoutStarted", endWithoutStarted)
      .put("noTerminalEvent", noTerminalEvent).put("ranMoreThanOnce", ranMoreThanOnce)
      .put("workerKillAtMs", workerKill.at).put("leaderKillAtMs", leaderKill.at)
      .put("workerKillToCompletionMs", workerKill.firstCompletionAfter < 0 ? null : workerKill.firstCompletionAfter - workerKill.at)
      .put("leaderKillToCompletionMs", leaderKill.firstCompletionAfter < 0 ? null : leaderKill.firstCompletionAfter - leaderKill.at)
      .put("leaderAfter", leaderAfter).put("exit", code);
    out.println("RESULT " + result.encode());
    out.flush();
    say("verdict: " + (code == 0 ? "pass" : code == 1 ? "FAIL" : "invalid run") + " (exit " + code + ")");
    return code;
  }

  private String killLabel(Kill kill, String role) {
    return "`kill -9` " + kill.victim.name() + " (" + role + ")" + ": when; → first `task:completed` after it; longest pause"
      + " between completions after it";
  }

  private String killText(Kill kill, long gap) {
    if (kill.at < 0) {
      return "not killed";
    }
    String first = kill.firstCompletionAfter < 0 ? "none" : (kill.firstCompletionAfter - kill.at) + " ms";
    String anchor;
    if (kill.anchorHit != null) {
      Task a = kill.anchorHit;
      JsonObject rec = a.finalRecord;
      anchor = "; anchor " + a.id + " was running on " + a.currentNodeAtKill + " → " + (rec == null ? "HTTP " + a.finalCode
        : rec.getString("status") + " on " + rec.getValue("node") + ", attempts " + rec.getValue("attempts"))
        + " (events: " + a.sequence() + ")";
    } else if (!kill.anchors.isEmpty()) {
      anchor = "; no anchor was seen running " + (kill.runsOn == null ? "" : "on " + kill.runsOn) + " (" + kill.anchors.size() + " sent)";
    } else {
      anchor = "";
    }
    String accept = kill.firstAcceptedAfter < 0 ? "none" : (kill.firstAcceptedAfter - kill.at) + " ms";
    return String.format("at %s, %d of %d ended, %d sent not ended (%d last placed on %s); first completion %s;"
        + " longest pause %d ms; first 202 to a POST sent after the kill %s; kill: %s",
      secs(kill.at), kill.endedBefore, count, kill.outstandingTasks, kill.runningOnVictim, kill.victim.name(), first, gap, accept,
      kill.killResult) + anchor;
  }

  /** The longest time without a first task:completed event in [from, to). */
  private long longestGap(long from, long to) {
    if (from < 0) {
      return -1;
    }
    long previous = from;
    long gap = 0;
    for (long at : completionTimes.stream().sorted().toList()) {
      if (at < from) {
        continue;
      }
      if (at >= to) {
        break;
      }
      gap = Math.max(gap, at - previous);
      previous = at;
    }
    return gap;
  }

  private static void row(StringBuilder md, String label, String value) {
    md.append("| ").append(label).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
  }

  private static void details(PrintWriter out, String what, List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    out.println();
    out.println("Tasks " + what + " (" + lines.size() + (lines.size() > SHOW ? ", the first " + SHOW : "")
      + "; events as name@node#attempt+ms since the start):");
    out.println();
    out.println("```");
    lines.stream().limit(SHOW).forEach(out::println);
    out.println("```");
  }

  /** Every task's events and final record, one JSON line each, for a look after the run. */
  private void writeEvents() {
    if (eventsOut == null) {
      return;
    }
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(eventsOut), StandardCharsets.UTF_8))) {
      for (Task t : tasks) {
        JsonArray events = new JsonArray();
        t.events.forEach(e -> events.add(e.show()));
        w.println(new JsonObject().put("id", t.id).put("accepted", t.accepted).put("sends", t.sends)
          .put("firstSentAt", t.firstSentAt).put("acceptedAt", t.acceptedAt).put("endedBy", t.endedBy)
          .put("completedResult", t.firstCompletedResult).put("finalCode", t.finalCode)
          .put("final", t.finalRecord).put("events", events).encode());
      }
    } catch (IOException e) {
      say("could not write " + eventsOut + ": " + e.getMessage());
    }
  }
}
