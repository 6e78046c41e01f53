package io.mastermind.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A separate client JVM that drives {@code echo} tasks (type compute, default requirements, a ~100-byte
 * {@code data}) through a gateway's front door, for {@code scripts/bench.sh}. Modes:
 * <ul>
 *   <li>{@code ws}: closed loop through the WebSocket {@code /api/v1/ws} (SPEC section 6): a fixed window
 *   of submissions in flight; a task is done when its {@code {"op":"result"}} frame arrives (status
 *   succeeded), and the next one is sent. Latency: submit frame sent to result frame received.</li>
 *   <li>{@code http}: the same through {@code POST /api/v1/tasks?wait=30000} (200 with the final record).</li>
 *   <li>{@code open}: open loop through the WebSocket at a fixed {@code --rate} per second, whatever the
 *   answers do. Records, for the tasks whose intended send time falls in the measuring window: submit to
 *   result from the INTENDED send time (so a stalled server or driver cannot hide latency: corrected for
 *   coordinated omission), and submit to start from the final record ({@code startedAt - submittedAt},
 *   both set by the server's clock, ms resolution).</li>
 *   <li>{@code fill}: submits {@code --count} tasks through WebSockets and waits only for each
 *   {@code accepted} (for a node without workers: the tasks stay queued). A socket follows at most
 *   {@code http.websocket.maxTrackedTasks} (1000) tasks, and a queued task is followed until the socket
 *   closes, so every {@code --per-socket} submissions go through a new socket and the old one is closed.</li>
 * </ul>
 * <pre>
 * FrontDoorBench ws|http|open|fill --port P [--warmup 5] [--seconds 10] [--window 256] [--connections N] [--events false]
 *                [--label TEXT] [--rate N] [--count N] [--per-socket 900] [--payload-bytes 100] [--max-seconds 1800]
 * </pre>
 * Prints one {@code RESULT {json}} line on stdout, progress on stderr.
 */
public final class FrontDoorBench {

  private static final String HOST = "127.0.0.1";
  private static final String WS_PATH = "/api/v1/ws";

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "";
    int port = BenchSupport.intArg(args, "--port", 0);
    if (port == 0 || !List.of("ws", "http", "client", "open", "fill").contains(mode)) {
      System.err.println("usage: FrontDoorBench ws|http|client|open|fill --port P [options]");
      System.exit(2);
    }
    int warmup = BenchSupport.intArg(args, "--warmup", 5);
    int seconds = BenchSupport.intArg(args, "--seconds", 10);
    int window = BenchSupport.intArg(args, "--window", 256);
    String task = echoTask(BenchSupport.intArg(args, "--payload-bytes", 100));
    if ("false".equals(BenchSupport.arg(args, "--events", "true"))) {
      submitOptions = ",\"events\":false";
    }
    Vertx vertx = Vertx.vertx();
    JsonObject result;
    switch (mode) {
      case "ws" -> result = closedWebSocket(vertx, BenchSupport.arg(args, "--label", "WebSocket echo tasks"), port,
        warmup, seconds, window, BenchSupport.intArg(args, "--connections", 1), task);
      case "http" -> result = closedHttp(vertx, BenchSupport.arg(args, "--label", "HTTP POST ?wait echo tasks"), port,
        warmup, seconds, window, task);
      case "client" -> result = closedClient(vertx, BenchSupport.arg(args, "--label", "Java client submit -> result()"), port,
        warmup, seconds, window, task);
      case "open" -> result = openLoop(vertx, port, warmup, seconds, BenchSupport.doubleArg(args, "--rate", 1000),
        BenchSupport.intArg(args, "--connections", 4), task);
      default -> result = fill(vertx, port, BenchSupport.intArg(args, "--count", 1_000_000), window,
        BenchSupport.intArg(args, "--per-socket", 900), BenchSupport.intArg(args, "--max-seconds", 1800), task);
    }
    result.put("task", new JsonObject(task)).put("taskBytes", task.length());
    BenchSupport.result(result);
    System.exit(0);
  }

  /** An echo task with default requirements whose {@code data} encodes to {@code dataBytes} bytes. */
  static String echoTask(int dataBytes) {
    String text = "x".repeat(Math.max(1, dataBytes - "{\"text\":\"\"}".length()));
    JsonObject data = new JsonObject().put("text", text);
    return new JsonObject().put("type", "compute")
      .put("payload", new JsonObject().put("function", "echo").put("data", data)).encode();
  }

  // ---- WebSocket --------------------------------------------------------------------------------

  /** What a submission waits for. Called on the socket's event loop. */
  interface Pending {
    /** The {@code accepted} frame (only when the connection was asked to report it). */
    default void accepted() {
    }

    /** The {@code result} frame: the final record. */
    void result(JsonObject record);

    /** An {@code error} frame for this ref, or the socket closed. */
    void failed(String code);
  }

  /** {@code --events false}: submit frames ask for the accepted and result frames only (no event frames). */
  static volatile String submitOptions = "";

  /** One WebSocket and the submissions it carries, by numeric ref. */
  static final class Conn {
    final WebSocket socket;
    final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final boolean reportAccepted;
    private final String task;
    final Map<String, Long> errors;
    final AtomicLong notices;
    long submitted;
    long answered;
    boolean closing;

    Conn(WebSocket socket, String task, boolean reportAccepted, Map<String, Long> errors, AtomicLong notices) {
      this.socket = socket;
      this.task = task;
      this.reportAccepted = reportAccepted;
      this.errors = errors;
      this.notices = notices;
      socket.textMessageHandler(this::onText);
      socket.closeHandler(v -> {
        for (Long ref : List.copyOf(pending.keySet())) {
          Pending p = pending.remove(ref);
          if (p != null) {
            p.failed("SOCKET_CLOSED");
          }
        }
      });
    }

    void submit(long ref, Pending p) {
      pending.put(ref, p);
      submitted++;
      socket.writeTextMessage("{\"op\":\"submit\",\"ref\":" + ref + submitOptions + ",\"task\":" + task + "}");
    }

    int inFlight() {
      return pending.size();
    }

    /** Events are skipped by their first bytes (the server writes {@code op} first); the rest are parsed. */
    private void onText(String text) {
      if (text.startsWith("{\"op\":\"event\"")) {
        return;
      }
      if (text.startsWith("{\"op\":\"accepted\"")) {
        if (reportAccepted) { // fill: accepted is the end of it (a later result for the ref is ignored)
          JsonObject frame = new JsonObject(text);
          Pending p = pending.remove(frame.getLong("ref"));
          if (p != null) {
            answered++;
            p.accepted();
          }
        }
        return;
      }
      JsonObject frame = new JsonObject(text);
      String op = frame.getString("op");
      Object ref = frame.getValue("ref");
      if ("result".equals(op) && ref instanceof Number n) {
        Pending p = pending.remove(n.longValue());
        if (p != null) {
          answered++;
          p.result(frame.getJsonObject("task"));
        }
      } else if ("error".equals(op)) {
        String code = frame.getJsonObject("error", new JsonObject()).getString("code", "?");
        if (ref instanceof Number n) {
          Pending p = pending.remove(n.longValue());
          errors.merge(code, 1L, Long::sum);
          if (p != null) {
            answered++;
            p.failed(code);
          }
        } else {
          notices.incrementAndGet(); // e.g. SLOW_CONSUMER: events of ours were dropped
          errors.merge(code + " (no ref)", 1L, Long::sum);
        }
      }
    }
  }

  static Future<Conn> connect(Vertx vertx, Context context, WebSocketClient client, int port, String task,
                              boolean reportAccepted, Map<String, Long> errors, AtomicLong notices) {
    io.vertx.core.Promise<Conn> promise = io.vertx.core.Promise.promise();
    context.runOnContext(v -> client.connect(port, HOST, WS_PATH)
      .map(socket -> new Conn(socket, task, reportAccepted, errors, notices))
      .onComplete(promise));
    return promise.future();
  }

  private static <T> T await(Future<T> future, int seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  private static JsonObject errorsJson(Map<String, Long> errors) {
    JsonObject json = new JsonObject();
    new TreeMap<>(errors).forEach(json::put);
    return json;
  }

  private static JsonObject closedWebSocket(Vertx vertx, String label, int port, int warmup, int seconds, int window, int connections,
                                            String task) throws Exception {
    Context context = vertx.getOrCreateContext();
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(connections + 1));
    Map<String, Long> errors = new ConcurrentHashMap<>();
    AtomicLong notices = new AtomicLong();
    List<Conn> conns = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      conns.add(await(connect(vertx, context, client, port, task, false, errors, notices), 30));
    }
    AtomicLong refs = new AtomicLong();
    AtomicLong notSucceeded = new AtomicLong();
    BenchSupport.Measured m = BenchSupport.closedLoop(label, window, warmup, seconds,
      r -> context.runOnContext(v -> r.run()), done -> {
        long ref = refs.incrementAndGet();
        conns.get((int) (ref % conns.size())).submit(ref, new Pending() {
          @Override
          public void result(JsonObject record) {
            boolean ok = "succeeded".equals(record.getString("status"));
            if (!ok) {
              notSucceeded.incrementAndGet();
            }
            done.accept(ok);
          }

          @Override
          public void failed(String code) {
            done.accept(false);
          }
        });
      });
    return m.toJson(submitOptions.isEmpty() ? "ws" : "ws-quiet").put("connections", connections).put("window", window).put("errors", errorsJson(errors))
      .put("notSucceeded", notSucceeded.get()).put("droppedEventNotices", notices.get());
  }

  // ---- HTTP -------------------------------------------------------------------------------------

  private static JsonObject closedHttp(Vertx vertx, String label, int port, int warmup, int seconds, int window, String task)
    throws Exception {
    Context context = vertx.getOrCreateContext();
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
      new PoolOptions().setHttp1MaxSize(window));
    Buffer body = Buffer.buffer(task);
    Map<String, Long> errors = new ConcurrentHashMap<>();
    BenchSupport.Measured m = BenchSupport.closedLoop(label, window, warmup,
      seconds, r -> context.runOnContext(v -> r.run()),
      done -> client.request(HttpMethod.POST, port, HOST, "/api/v1/tasks?wait=30000")
        .compose(req -> req.putHeader("content-type", "application/json").send(body)
          .compose(resp -> resp.body().map(b -> resp.statusCode() == 200
            && b.toString().contains("\"status\":\"succeeded\"") ? "ok" : "HTTP " + resp.statusCode())))
        .onComplete(ar -> {
          String outcome = ar.succeeded() ? ar.result() : ar.cause().getClass().getSimpleName();
          if (!outcome.equals("ok")) {
            errors.merge(outcome, 1L, Long::sum);
          }
          done.accept(outcome.equals("ok"));
        }));
    return m.toJson("http").put("window", window).put("errors", errorsJson(errors));
  }

  /**
   * The remote Java client as an application uses it (issue 10: one client must reach the throughput
   * targets): {@code submit} then the handle's {@code result()}, on the application's Vert.x, default
   * options.
   */
  private static JsonObject closedClient(Vertx vertx, String label, int port, int warmup, int seconds, int window,
                                         String task) throws Exception {
    Context context = vertx.getOrCreateContext();
    io.mastermind.api.DistributedSystem system = io.mastermind.api.DistributedSystem.remote(vertx,
      "http://" + HOST + ":" + port, null, new io.mastermind.api.DistributedSystemOptions()
        .setMaxConnections(Integer.getInteger("bench.maxConnections", io.mastermind.api.DistributedSystemOptions.DEFAULT_MAX_CONNECTIONS)));
    await(system.initialize(), 30);
    JsonObject spec = new JsonObject(task);
    Map<String, Long> errors = new ConcurrentHashMap<>();
    BenchSupport.Measured m = BenchSupport.closedLoop(label, window, warmup,
      seconds, r -> context.runOnContext(v -> r.run()),
      done -> system.submit(spec.copy())
        .compose(io.mastermind.api.TaskHandle::result)
        .map(record -> "succeeded".equals(record.getString("status")) ? "ok" : record.getString("status"))
        .onComplete(ar -> {
          String outcome = ar.succeeded() ? ar.result() : ar.cause().getClass().getSimpleName();
          if (!outcome.equals("ok")) {
            errors.merge(outcome, 1L, Long::sum);
          }
          done.accept(outcome.equals("ok"));
        }));
    return m.toJson("client").put("window", window).put("errors", errorsJson(errors));
  }

  // ---- open loop --------------------------------------------------------------------------------

  /**
   * Sends at a fixed rate in 1 ms ticks: every send due by now goes out, each with its intended time
   * (start + i / rate). When every socket already follows {@code MAX_PER_SOCKET} tasks, due sends wait
   * (and their latency keeps counting from the intended time).
   *
   * <p>The ticks come from a pacing thread that parks until the next millisecond and then hands the tick
   * to the sockets' event loop, not from a 1 ms Vert.x timer: Netty's NIO loop rounds a select timeout to
   * the nearest millisecond and polls without blocking (selectNow) while a timer is due in under 0.5 ms,
   * so with a 1 ms timer armed the driver's loop spun for part of every millisecond in which a frame woke
   * it (measured: 1,743 empty selectNow calls per second at 1,000 tasks/s, 9-23% of the driver's cpu in
   * reading the clock). The driver shares the machine with what it measures; its own spin was cpu taken
   * from the nodes.
   */
  private static JsonObject openLoop(Vertx vertx, int port, int warmup, int seconds, double rate, int connections,
                                     String task) throws Exception {
    final int maxPerSocket = 950; // below http.websocket.maxTrackedTasks (1000)
    Context context = vertx.getOrCreateContext();
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(connections + 1));
    Map<String, Long> errors = new ConcurrentHashMap<>();
    AtomicLong notices = new AtomicLong();
    List<Conn> conns = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      conns.add(await(connect(vertx, context, client, port, task, false, errors, notices), 30));
    }
    Histogram toResult = BenchSupport.histogram();
    Histogram toStart = BenchSupport.histogram();
    Histogram warmToResult = BenchSupport.histogram();
    Histogram warmToStart = BenchSupport.histogram();
    long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    long warmEnd = t0 + TimeUnit.SECONDS.toNanos(warmup);
    long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
    double nanosPerTask = 1e9 / rate;
    long total = (long) Math.floor((end - t0) / nanosPerTask);
    BenchSupport.progress(String.format("open loop at %,.0f tasks/s: warm-up %d s, then %d s measured, %d sockets",
      rate, warmup, seconds, connections));
    AtomicReference<long[]> cpuAtWarmEnd = new AtomicReference<>();
    CompletableFuture.delayedExecutor(TimeUnit.NANOSECONDS.toMillis(warmEnd - System.nanoTime()), TimeUnit.MILLISECONDS)
      .execute(() -> cpuAtWarmEnd.set(BenchSupport.MachineCpu.read()));
    // all state below is touched on the context's event loop only
    long[] sent = {0};
    long[] measuredSent = {0};
    long[] completed = {0};
    long[] failed = {0};
    long[] maxLagNanos = {0};
    Map<Long, Long> intendedOf = new ConcurrentHashMap<>(); // measured refs still open -> intended send time
    long[] worstBySecond = new long[warmup + seconds + 1]; // worst submit->result (us) of the tasks intended in each second
    long[] lagBySecond = new long[warmup + seconds + 1]; // worst send lag (us) of the tasks intended in each second
    CompletableFuture<Void> allSent = new CompletableFuture<>();
    AtomicBoolean tickQueued = new AtomicBoolean();
    Runnable tick = () -> {
      tickQueued.set(false);
      long now = System.nanoTime();
      while (sent[0] < total) {
        long intended = t0 + (long) (sent[0] * nanosPerTask);
        if (intended > now) {
          break;
        }
        Conn conn = null;
        for (Conn c : conns) {
          if (c.inFlight() < maxPerSocket && (conn == null || c.inFlight() < conn.inFlight())) {
            conn = c;
          }
        }
        if (conn == null) {
          break; // every socket is full: the send waits, its latency counts from `intended`
        }
        long ref = ++sent[0];
        boolean measured = intended >= warmEnd && intended < end;
        maxLagNanos[0] = Math.max(maxLagNanos[0], now - intended);
        int sendSecond = (int) Math.min(lagBySecond.length - 1, (intended - t0) / 1_000_000_000L);
        lagBySecond[sendSecond] = Math.max(lagBySecond[sendSecond], (now - intended) / 1_000);
        if (measured) {
          measuredSent[0]++;
          intendedOf.put(ref, intended);
        }
        conn.submit(ref, new Pending() {
          // warm-up answers take the same path into throw-away histograms: code first run when the
          // window opens made this driver stall (JIT) and burst in its first measured second
          @Override
          public void result(JsonObject record) {
            if (measured) {
              intendedOf.remove(ref);
            }
            if ("succeeded".equals(record.getString("status"))) {
              if (measured) {
                completed[0]++;
              }
              long us = (System.nanoTime() - intended) / 1_000;
              BenchSupport.record(measured ? toResult : warmToResult, us);
              int second = (int) Math.min(worstBySecond.length - 1, (intended - t0) / 1_000_000_000L);
              worstBySecond[second] = Math.max(worstBySecond[second], us);
              Long submittedAt = record.getLong("submittedAt");
              Long startedAt = record.getLong("startedAt");
              if (submittedAt != null && startedAt != null) {
                BenchSupport.record(measured ? toStart : warmToStart, (startedAt - submittedAt) * 1_000);
              }
            } else if (measured) {
              failed[0]++;
              errors.merge("status " + record.getString("status"), 1L, Long::sum);
            }
          }

          @Override
          public void failed(String code) {
            if (measured) {
              intendedOf.remove(ref);
              failed[0]++;
            }
          }
        });
      }
      if (sent[0] >= total) {
        allSent.complete(null);
      }
    };
    Thread pacer = new Thread(() -> {
      long next = t0;
      while (!allSent.isDone()) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
          continue; // parkNanos may return early
        }
        next += TimeUnit.MILLISECONDS.toNanos(1);
        if (tickQueued.compareAndSet(false, true)) { // one tick waiting on the loop is enough
          context.runOnContext(v -> tick.run());
        }
      }
    }, "open-loop-pacer");
    pacer.setDaemon(true);
    pacer.start();
    allSent.get(warmup + seconds + 120L, TimeUnit.SECONDS);
    JsonObject machineCpu = BenchSupport.MachineCpu.between(cpuAtWarmEnd.get(), BenchSupport.MachineCpu.read());
    // the measured tasks still open get up to 30 s more to end
    long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    CompletableFuture<Long> unfinished = new CompletableFuture<>();
    long[] poll = {0};
    context.runOnContext(v -> poll[0] = vertx.setPeriodic(20, id -> {
      if (intendedOf.isEmpty() || System.nanoTime() >= drainDeadline) {
        vertx.cancelTimer(poll[0]);
        long now = System.nanoTime();
        // never answered: counted at what they had waited by the deadline (a lower bound, not dropped)
        intendedOf.values().forEach(intended -> BenchSupport.record(toResult, (now - intended) / 1_000));
        unfinished.complete((long) intendedOf.size());
      }
    }));
    long open = unfinished.get(60, TimeUnit.SECONDS);
    JsonObject result = new JsonObject().put("scenario", "open").put("rate", rate).put("connections", connections)
      .put("seconds", seconds).put("sent", measuredSent[0]).put("completed", completed[0]).put("failed", failed[0])
      .put("unfinished", open).put("achievedPerSecond", completed[0] / (double) seconds)
      .put("maxSendLagUs", maxLagNanos[0] / 1_000)
      .put("submitToResultUs", BenchSupport.percentiles(toResult))
      .put("submitToStartUs", BenchSupport.percentiles(toStart))
      .put("errors", errorsJson(errors)).put("droppedEventNotices", notices.get()).put("machineCpu", machineCpu);
    StringBuilder worst = new StringBuilder();
    for (int i = warmup; i < worstBySecond.length - 1; i++) {
      worst.append(' ').append(worstBySecond[i] / 1_000);
    }
    StringBuilder warm = new StringBuilder();
    StringBuilder lag = new StringBuilder();
    for (int i = Math.max(0, warmup - 5); i < warmup; i++) {
      warm.append(' ').append(worstBySecond[i] / 1_000);
    }
    for (int i = warmup; i < lagBySecond.length - 1; i++) {
      lag.append(' ').append(lagBySecond[i] / 1_000);
    }
    BenchSupport.progress("open loop: worst submit->result (ms) of the last warm-up seconds:" + warm
      + "; of each measured second:" + worst + "; this driver's worst send lag (ms) in each measured second:" + lag);
    BenchSupport.progress(String.format("open loop: %,d sent, %,d succeeded, %,d failed, %,d unfinished; submit->result"
        + " p50 %,d us p99 %,d us; submit->start p50 %,d us p99 %,d us", measuredSent[0], completed[0], failed[0], open,
      toResult.getValueAtPercentile(50), toResult.getValueAtPercentile(99), toStart.getValueAtPercentile(50),
      toStart.getValueAtPercentile(99)));
    return result;
  }

  // ---- fill (memory) ----------------------------------------------------------------------------

  /**
   * Submits {@code count} tasks with {@code window} awaiting their {@code accepted} frame, each socket
   * carrying {@code perSocket} of them before it is closed and a new one takes over.
   */
  private static JsonObject fill(Vertx vertx, int port, int count, int window, int perSocket, int maxSeconds,
                                 String task) throws Exception {
    Context context = vertx.getOrCreateContext();
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(16));
    Map<String, Long> errors = new ConcurrentHashMap<>();
    AtomicLong notices = new AtomicLong();
    CompletableFuture<Void> done = new CompletableFuture<>();
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(maxSeconds);
    // event-loop state
    long[] sent = {0};
    long[] accepted = {0};
    long[] refused = {0};
    long[] sockets = {0};
    int[] inFlight = {0};
    Conn[] current = {null};
    boolean[] connecting = {false};
    ArrayDeque<Conn> retiring = new ArrayDeque<>();
    Runnable[] pump = new Runnable[1];
    Consumer<Conn> retireIfDone = c -> {
      if (c.closing && c.answered >= c.submitted) {
        c.socket.close();
        retiring.remove(c);
      }
    };
    pump[0] = () -> {
      if (done.isDone()) {
        return;
      }
      if (refused[0] > 0 || System.nanoTime() > deadline) {
        if (inFlight[0] == 0) {
          done.complete(null);
        }
        return;
      }
      while (sent[0] < count && inFlight[0] < window) {
        Conn conn = current[0];
        if (conn == null || conn.submitted >= perSocket) {
          if (conn != null) {
            conn.closing = true;
            retiring.add(conn);
            retireIfDone.accept(conn);
            current[0] = null;
          }
          if (!connecting[0]) {
            connecting[0] = true;
            client.connect(port, HOST, WS_PATH).onComplete(ar -> {
              connecting[0] = false;
              if (ar.failed()) {
                errors.merge("connect: " + ar.cause().getMessage(), 1L, Long::sum);
                refused[0]++;
              } else {
                sockets[0]++;
                current[0] = new Conn(ar.result(), task, true, errors, notices);
              }
              pump[0].run();
            });
          }
          return;
        }
        long ref = ++sent[0];
        inFlight[0]++;
        conn.submit(ref, new Pending() {
          @Override
          public void accepted() {
            accepted[0]++;
            inFlight[0]--;
            retireIfDone.accept(conn);
            pump[0].run();
          }

          @Override
          public void result(JsonObject record) {
            // a task that ended (a worker was there after all): it was accepted before
          }

          @Override
          public void failed(String code) {
            refused[0]++; // e.g. QUEUE_FULL (scheduler.maxQueuedTasks), or the socket closed
            inFlight[0]--;
            retireIfDone.accept(conn);
            pump[0].run();
          }
        });
      }
      if (sent[0] >= count && inFlight[0] == 0) {
        done.complete(null);
      }
    };
    long[] reporter = {0};
    context.runOnContext(v -> {
      reporter[0] = vertx.setPeriodic(5_000, id -> BenchSupport.progress(String.format("fill: %,d accepted of %,d"
        + " (%,.0f/s), %,d sockets so far", accepted[0], count,
        accepted[0] / ((System.nanoTime() - start) / 1e9), sockets[0])));
      pump[0].run();
    });
    done.get(maxSeconds + 60L, TimeUnit.SECONDS);
    CompletableFuture<Void> closed = new CompletableFuture<>();
    context.runOnContext(v -> {
      vertx.cancelTimer(reporter[0]);
      if (current[0] != null) {
        current[0].socket.close();
      }
      retiring.forEach(c -> c.socket.close());
      closed.complete(null);
    });
    closed.get(10, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    BenchSupport.progress(String.format("fill: %,d accepted, %,d refused, in %.1f s (%,.0f/s), %,d sockets",
      accepted[0], refused[0], elapsed, accepted[0] / elapsed, sockets[0]));
    return new JsonObject().put("scenario", "fill").put("requested", count).put("sent", sent[0])
      .put("accepted", accepted[0]).put("refused", refused[0]).put("seconds", elapsed)
      .put("perSecond", accepted[0] / elapsed).put("sockets", sockets[0]).put("errors", errorsJson(errors));
  }

  private FrontDoorBench() {
  }
}
