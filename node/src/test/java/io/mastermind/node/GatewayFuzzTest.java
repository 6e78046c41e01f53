package io.mastermind.node;

import io.mastermind.testsupport.TestHttp;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mastermind.node.HttpFuzz.Kind;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.EventNames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Thousands of generated, mostly malformed requests against a real node over loopback: raw HTTP (bad
 * escapes, invalid UTF-8, malformed and deeply nested JSON, wrong content types, huge numbers, long
 * strings, odd methods, oversized bodies, garbage request lines), WebSocket sessions (garbage, deep,
 * oversized and binary frames, long refs) and SockJS sessions (garbage bridge frames over the raw
 * WebSocket and the XHR transports), with valid submissions mixed in. Runs a fixed seed and a fresh
 * one (printed; rerun one with {@code -Dfuzz.seed=N}).
 *
 * <p>Asserts: every request is answered, never with a 5xx, errors in the API's shape; each kind of
 * malformation was really sent (counted from the bytes, not from the generator's intent); every
 * accepted task reaches exactly one terminal event and nothing else was created; no ERROR was logged;
 * the node is healthy and runs a task afterwards.
 */
@DisplayName("Fuzzing the gateway: no 5xx, no crash, no error log, no task lost or duplicated, node healthy after")
class GatewayFuzzTest {

  static final long FIXED_SEED = 0x5EED_F00DL;
  static final int BODY_LIMIT = 16 * 1024;
  static final int MAX_FRAME = 8 * 1024;
  static final int MAX_DEPTH = 32;
  static final int HTTP_REQUESTS = 2_000;
  static final int WS_SESSIONS = 120;
  static final int SOCKJS_SESSIONS = 90;
  /** Each kind must have been sent at least this often per run. */
  static final int MIN_PER_HTTP_KIND = 40;
  static final int MIN_PER_SOCKET_KIND = 10;
  static final Set<String> TERMINAL = Set.of(EventNames.TASK_COMPLETED, EventNames.TASK_FAILED, EventNames.TASK_TIMED_OUT,
    EventNames.TASK_CANCELLED);

  /** What a socket session sent, as the fuzz counts it. */
  enum SocketKind { WS_GARBAGE, WS_DEEP_JSON, WS_HUGE_NUMBER, WS_LONG_REF, WS_BINARY, WS_OVERSIZED_FRAME, WS_VALID_SUBMIT,
    SOCKJS_GARBAGE_FRAME, SOCKJS_OVERSIZED_FRAME, SOCKJS_XHR_GARBAGE }

  static TestNode node;
  static int port;
  static ListAppender<ILoggingEvent> errors;
  static final Set<String> accepted = ConcurrentHashMap.newKeySet();
  /** Submitted on a socket that was then dropped (oversized frame): the server may have accepted them unseen. */
  static final Set<String> unanswered = ConcurrentHashMap.newKeySet();
  static final HttpClient http = TestHttp.builder().build();

  @BeforeAll
  static void start() throws Exception {
    node = new TestNode(new JsonObject()
      .put("http", new JsonObject().put("port", 0).put("bodyLimit", BODY_LIMIT)
        .put("websocket", new JsonObject().put("maxFrameSize", MAX_FRAME))
        .put("limits", new JsonObject().put("maxJsonDepth", MAX_DEPTH).put("maxStringLength", 4096))));
    port = URI.create(node.url).getPort();
    errors = new ListAppender<>();
    errors.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    errors.addFilter(new ch.qos.logback.core.filter.Filter<>() {
      @Override
      public ch.qos.logback.core.spi.FilterReply decide(ILoggingEvent event) {
        return event.getLevel().isGreaterOrEqual(Level.ERROR) ? ch.qos.logback.core.spi.FilterReply.NEUTRAL
          : ch.qos.logback.core.spi.FilterReply.DENY;
      }
    });
    root.addAppender(errors);
  }

  @AfterAll
  static void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(errors);
    node.close();
  }

  static Stream<Long> seeds() {
    String fixed = System.getProperty("fuzz.seed");
    return fixed != null ? Stream.of(Long.parseLong(fixed)) : Stream.of(FIXED_SEED, new SecureRandom().nextLong());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  @Timeout(value = 45, unit = TimeUnit.SECONDS)
  @DisplayName("a fixed seed, then a fresh one")
  void fuzz(long seed) throws Exception {
    System.out.println("GatewayFuzzTest seed " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
    Random random = new Random(seed);
    String idPrefix = "fz" + Long.toHexString(seed & 0xffffffL);
    errors.list.clear();

    long start = System.nanoTime();
    Map<Kind, AtomicInteger> httpKinds = httpFuzz(random, idPrefix);
    long httpDone = System.nanoTime();
    Map<SocketKind, AtomicInteger> socketKinds = new EnumMap<>(SocketKind.class);
    for (SocketKind kind : SocketKind.values()) {
      socketKinds.put(kind, new AtomicInteger());
    }
    webSocketFuzz(random, idPrefix, socketKinds);
    long wsDone = System.nanoTime();
    sockJsFuzz(random, idPrefix, socketKinds);
    System.out.printf("GatewayFuzzTest seed %d: HTTP %d ms, WebSocket %d ms, SockJS %d ms; sent by kind %s %s; tasks accepted so far %d%n",
      seed, (httpDone - start) / 1_000_000, (wsDone - httpDone) / 1_000_000, (System.nanoTime() - wsDone) / 1_000_000,
      httpKinds, socketKinds, accepted.size());

    for (Kind kind : Kind.values()) {
      assertThat(httpKinds.get(kind).get()).as("HTTP requests of kind %s (seed %d)", kind, seed).isGreaterThanOrEqualTo(MIN_PER_HTTP_KIND);
    }
    for (SocketKind kind : SocketKind.values()) {
      assertThat(socketKinds.get(kind).get()).as("socket messages of kind %s (seed %d)", kind, seed)
        .isGreaterThanOrEqualTo(MIN_PER_SOCKET_KIND);
    }
    assertNoTaskLostOrDuplicated(seed);
    assertHealthy();
    assertThat(errors.list).as("ERROR log lines during the fuzz (seed %d): client input must never log an error", seed)
      .extracting(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).isEmpty();
  }

  // ---- HTTP ------------------------------------------------------------------------------------

  private Map<Kind, AtomicInteger> httpFuzz(Random random, String idPrefix) throws Exception {
    HttpFuzz fuzz = new HttpFuzz(random, idPrefix, BODY_LIMIT);
    List<HttpFuzz.Request> requests = new ArrayList<>(HTTP_REQUESTS);
    for (int i = 0; i < HTTP_REQUESTS; i++) {
      requests.add(fuzz.next());
    }
    Map<Kind, AtomicInteger> counts = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      counts.put(kind, new AtomicInteger());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> verdicts = new ArrayList<>();
      for (HttpFuzz.Request request : requests) {
        Set<Kind> kinds = HttpFuzz.classify(request, BODY_LIMIT, MAX_DEPTH);
        kinds.forEach(kind -> counts.get(kind).incrementAndGet());
        verdicts.add(pool.submit(() -> check(request, kinds, WireHttp.send(port, request.bytes(), 5_000))));
      }
      List<String> problems = new ArrayList<>();
      for (Future<String> verdict : verdicts) {
        String problem = verdict.get(30, TimeUnit.SECONDS);
        if (problem != null) {
          problems.add(problem);
        }
      }
      assertThat(problems).as("requests answered wrongly").isEmpty();
    } finally {
      pool.shutdownNow();
    }
    return counts;
  }

  /** Null when the answer is right for the request; else what is wrong, with the request to replay it. */
  private static String check(HttpFuzz.Request request, Set<Kind> kinds, WireHttp.Answer answer) {
    String what = (request.method() == null ? "raw " + abbreviate(new String(request.bytes(), StandardCharsets.ISO_8859_1))
      : request.method() + " " + abbreviate(request.target()) + " [" + request.contentType() + "] "
        + abbreviate(request.body() == null ? "" : new String(request.body(), StandardCharsets.UTF_8))) + " " + kinds;
    int status = answer.status();
    if (status == 0) {
      return "no answer to " + what;
    }
    if (status >= 500) {
      return status + " " + abbreviate(answer.text()) + " for " + what;
    }
    boolean apiShaped = request.underApi() || kinds.contains(Kind.MALFORMED_HTTP);
    if (status >= 400 && apiShaped && !"HEAD".equals(request.method()) && answer.body().length > 0) {
      JsonObject json = answer.json();
      JsonObject error = json == null ? null : json.getValue("error") instanceof JsonObject e ? e : null;
      if (error == null || !(error.getValue("code") instanceof String) || !(error.getValue("message") instanceof String)) {
        return "not the error shape: " + status + " " + abbreviate(answer.text()) + " for " + what;
      }
      if ("/api/v1/nexus/tasks".equals(request.path()) && !"error".equals(json.getString("status"))) {
        return "not a NexusResponse: " + status + " " + abbreviate(answer.text()) + " for " + what;
      }
    }
    Integer expected = expectedStatus(request, kinds);
    if (expected != null && status != expected) {
      return "expected " + expected + " but got " + status + " " + abbreviate(answer.text()) + " for " + what;
    }
    if (status == 429 && answer.header("Retry-After") == null) {
      return "429 without Retry-After for " + what;
    }
    if (kinds.equals(Set.of(Kind.VALID_TASK))) {
      if (status != 200 && status != 202) {
        return "a valid task was refused: " + status + " " + abbreviate(answer.text()) + " for " + what;
      }
      accepted.add(answer.json().getString("id"));
    } else if ((status == 200 || status == 202) && "POST".equals(request.method()) && request.path().equals("/api/v1/tasks")) {
      return "accepted what is not a valid task: " + status + " for " + what;
    }
    return null;
  }

  /** The status some kinds must get, when nothing earlier in the pipeline answers first. */
  private static Integer expectedStatus(HttpFuzz.Request request, Set<Kind> kinds) {
    if (kinds.contains(Kind.MALFORMED_HTTP) || request.method() == null) {
      return null;
    }
    if (HttpFuzz.badEscapeInPath(request)) {
      return 400; // the router cannot decode the path to match a route (a bad escape in the query fails only where it is read)
    }
    boolean bodyMethod = Set.of("POST", "PUT").contains(request.method());
    if (!request.underApi() || !bodyMethod) {
      return null;
    }
    if (kinds.contains(Kind.WRONG_CONTENT_TYPE)) {
      return 415;
    }
    if (kinds.contains(Kind.OVERSIZED_BODY)) {
      return 413;
    }
    boolean badBody = !HttpFuzz.utf8(request.body() == null ? new byte[0] : request.body());
    if (kinds.contains(Kind.DEEP_JSON) || kinds.contains(Kind.MALFORMED_JSON) || kinds.contains(Kind.HUGE_NUMBER)
      || badBody || kinds.contains(Kind.LONG_STRING) && request.body() != null) {
      return 400;
    }
    return null;
  }

  // ---- WebSocket -------------------------------------------------------------------------------

  private void webSocketFuzz(Random random, String idPrefix, Map<SocketKind, AtomicInteger> counts) throws Exception {
    URI uri = URI.create(node.url.replaceFirst("^http", "ws") + "/api/v1/ws");
    for (int s = 0; s < WS_SESSIONS; s++) {
      try (FuzzSocket socket = FuzzSocket.open(http, uri)) {
        int garbage = 0;
        List<String> submitted = new ArrayList<>();
        List<SocketKind> sentKinds = new ArrayList<>();
        int frames = 2 + random.nextInt(8);
        boolean oversized = s % 8 == 3 || random.nextInt(16) == 0; // every eighth session at least: the kind's minimum holds for any seed
        for (int f = 0; f < frames; f++) {
          SocketKind kind = List.of(SocketKind.WS_GARBAGE, SocketKind.WS_DEEP_JSON, SocketKind.WS_HUGE_NUMBER,
            SocketKind.WS_LONG_REF, SocketKind.WS_BINARY, SocketKind.WS_VALID_SUBMIT).get(random.nextInt(6));
          boolean sent;
          if (kind == SocketKind.WS_BINARY) {
            sent = socket.binary(new byte[] {(byte) 0xFF, (byte) 0xFE, 0x7B, (byte) 0xC3, 0x28});
          } else {
            String frame = webSocketFrame(kind, random, idPrefix, s, f);
            sent = socket.text(frame);
            if (kind == SocketKind.WS_VALID_SUBMIT) {
              submitted.add("s" + s + "f" + f);
              unanswered.add(idPrefix + "-ws-" + s + "-" + f); // until its accepted frame is seen
            }
            if (sent && kind != SocketKind.WS_VALID_SUBMIT && !classifiesAs(frame, kind)) {
              throw new AssertionError("the " + kind + " generator made " + abbreviate(frame));
            }
          }
          assertThat(sent).as("frame %d of session %d sent", f, s).isTrue();
          counts.get(kind).incrementAndGet();
          sentKinds.add(kind);
          garbage += kind == SocketKind.WS_VALID_SUBMIT ? 0 : 1;
        }
        if (oversized) {
          socket.text("{\"op\":\"ping\",\"ref\":\"" + "o".repeat(MAX_FRAME + 10) + "\"}");
          counts.get(SocketKind.WS_OVERSIZED_FRAME).incrementAndGet();
          // In one frame, Netty refuses to decode it and the server drops the connection (the JDK client does not
          // always notice a reset, so the server's own count of sessions is what is checked); sent in fragments, the
          // session skips it with PAYLOAD_TOO_LARGE and stays open.
          if (socket.await(m -> m.contains("PAYLOAD_TOO_LARGE"), Duration.ofSeconds(2)) == null) {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
              .until(() -> socket.closed.isDone() || openSessions() == 0);
          }
          continue;
        }
        assertThat(socket.text("{\"op\":\"ping\",\"ref\":\"end\"}")).isTrue();
        assertThat(socket.await(m -> m.contains("\"pong\"") && m.contains("\"end\""), Duration.ofSeconds(10)))
          .as("the socket still answers after %d bad frames (session %d)", garbage, s).isNotNull();
        // every reply to a frame sent before the ping is in socket.seen now: replies are sent in order
        List<JsonObject> answers = socket.seen.stream().map(JsonObject::new).toList();
        long errorFrames = answers.stream().filter(a -> "error".equals(a.getString("op"))).count();
        assertThat(answers.stream().filter(a -> "error".equals(a.getString("op")))
          .map(a -> a.getJsonObject("error").getString("code"))).doesNotContain("INTERNAL", "UNAVAILABLE");
        assertThat(errorFrames).as("one error frame per bad frame (session %d)", s).isEqualTo(garbage);
        for (String ref : submitted) {
          String acceptedFrame = socket.await(m -> m.contains("\"accepted\"") && m.contains("\"" + ref + "\""), Duration.ofSeconds(10));
          assertThat(acceptedFrame).as("submit %s accepted", ref).isNotNull();
          String id = new JsonObject(acceptedFrame).getJsonObject("task").getString("id");
          accepted.add(id);
          unanswered.remove(id);
        }
      }
    }
  }

  private static String webSocketFrame(SocketKind kind, Random random, String idPrefix, int s, int f) {
    return switch (kind) {
      case WS_GARBAGE -> List.of("not json", "[1,2,3]", "\"op\"", "{}", "{\"op\":\"teleport\"}", "{\"op\":5}",
        "{\"op\":\"submit\",\"task\":{\"type\":\"quantum\"}}", "{\"op\":\"cancel\"}", "{\"op\":\"subscribe\",\"events\":[]}",
        "{\"op\":\"submit\",\"ref\":{\"a\":1}}", "{\"op\":\"submit\",\"task\":{\"type\":\"compute\",\"requirements\":{\"cpu\":1e-9},"
          + "\"payload\":{\"function\":\"echo\"}}}").get(random.nextInt(11));
      case WS_DEEP_JSON -> {
        int depth = MAX_DEPTH + 1 + random.nextInt(200);
        yield "{\"op\":\"ping\",\"ref\":\"d\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
      }
      case WS_HUGE_NUMBER -> "{\"op\":\"submit\",\"ref\":\"h\",\"task\":{\"type\":\"compute\",\"payload\":{\"function\":\"echo\","
        + "\"data\":{\"x\":" + List.of("1e400", "-1e309", "9".repeat(300)).get(random.nextInt(3)) + "}}}}";
      case WS_LONG_REF -> "{\"op\":\"ping\",\"ref\":\"" + "r".repeat(129 + random.nextInt(2000)) + "\"}";
      case WS_VALID_SUBMIT -> new JsonObject().put("op", "submit").put("ref", "s" + s + "f" + f)
        .put("task", TestNode.task("compute", "echo", new JsonObject().put("ws", f))
          .put("requirements", new JsonObject().put("cpu", 0.1)).put("id", idPrefix + "-ws-" + s + "-" + f)).encode();
      default -> throw new IllegalArgumentException(kind.name());
    };
  }

  /** Checks a generated frame has the malformation its kind names (so a broken generator is caught). */
  private static boolean classifiesAs(String frame, SocketKind kind) {
    return switch (kind) {
      case WS_DEEP_JSON -> HttpFuzz.scan(frame).depth() > MAX_DEPTH;
      case WS_HUGE_NUMBER -> HttpFuzz.scan(frame).hugeNumber();
      case WS_LONG_REF -> HttpFuzz.scan(frame).longestString() > 128;
      case WS_GARBAGE -> {
        try {
          Object value = io.vertx.core.json.Json.decodeValue(frame);
          yield !(value instanceof JsonObject o) || !Set.of("ping", "subscribe", "unsubscribe").contains(o.getString("op", ""))
            || o.getValue("events") instanceof JsonArray a && a.isEmpty();
        } catch (RuntimeException e) {
          yield true;
        }
      }
      default -> true;
    };
  }

  // ---- SockJS ----------------------------------------------------------------------------------

  private void sockJsFuzz(Random random, String idPrefix, Map<SocketKind, AtomicInteger> counts) throws Exception {
    URI uri = URI.create(node.url.replaceFirst("^http", "ws") + "/eventbus/websocket");
    List<String> garbage = List.of("not json", "[]", "{}", "{\"type\":\"nope\"}", "{\"type\":\"send\"}",
      "{\"type\":\"publish\",\"address\":\"" + Addresses.GATEWAY_SUBMIT + "\",\"body\":{}}",
      "{\"type\":\"send\",\"address\":\"x.y\",\"body\":1,\"replyAddress\":\"r\"}",
      "{\"type\":\"register\",\"address\":\"" + "a".repeat(300) + "\"}",
      "{\"type\":\"send\",\"address\":\"" + Addresses.GATEWAY_SUBMIT + "\",\"replyAddress\":\"g\",\"body\":{\"type\":5}}",
      "{\"type\":\"send\",\"address\":\"" + Addresses.GATEWAY_SUBMIT + "\",\"replyAddress\":\"g\",\"body\":{\"type\":\"compute\","
        + "\"payload\":{\"function\":\"echo\",\"data\":" + "[".repeat(40) + "]".repeat(40) + "}}}",
      "{\"type\":\"send\",\"address\":\"" + Addresses.GATEWAY_SUBMIT + "\",\"replyAddress\":\"g\",\"body\":{\"type\":\"compute\","
        + "\"payload\":{\"function\":\"echo\",\"data\":1e400}}}",
      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
    for (int s = 0; s < SOCKJS_SESSIONS; s++) {
      if (s % 2 == 0) { // half raw WebSocket sessions, half xhr: each kind's minimum holds for any seed
        try (FuzzSocket socket = FuzzSocket.open(http, uri)) {
          int frames = 1 + random.nextInt(6);
          for (int f = 0; f < frames; f++) {
            assertThat(socket.text(garbage.get(random.nextInt(garbage.size())))).isTrue();
            counts.get(SocketKind.SOCKJS_GARBAGE_FRAME).incrementAndGet();
          }
          if (s % 6 == 0 || random.nextInt(4) == 0) {
            // the server drops the connection (checked by the sessions that follow, on fresh connections)
            socket.text("{\"type\":\"ping\",\"x\":\"" + "p".repeat(MAX_FRAME + 10) + "\"}");
            counts.get(SocketKind.SOCKJS_OVERSIZED_FRAME).incrementAndGet();
            continue;
          }
          // still usable: a task sent with a reply address comes back as its status record
          String reply = "reply-" + s;
          String id = idPrefix + "-sj-" + s;
          socket.text(new JsonObject().put("type", "send").put("address", Addresses.GATEWAY_SUBMIT).put("replyAddress", reply)
            .put("body", TestNode.task("compute", "echo", new JsonObject()).put("requirements", new JsonObject().put("cpu", 0.1))
              .put("id", id)).encode());
          String answer = socket.await(m -> m.contains("\"" + reply + "\""), Duration.ofSeconds(10));
          assertThat(answer).as("the bridge still answers session %d", s).isNotNull();
          assertThat(new JsonObject(answer).getJsonObject("body").getString("id")).isEqualTo(id);
          accepted.add(id);
        }
      } else {
        xhrSession(random, s, counts, garbage);
      }
    }
  }

  /** An XHR-polling session: open it, then post garbage with xhr_send; every answer is below 500. */
  private void xhrSession(Random random, int s, Map<SocketKind, AtomicInteger> counts, List<String> frames) throws Exception {
    String base = "/eventbus/" + (100 + random.nextInt(800)) + "/fz" + s + "x" + random.nextInt(1_000_000);
    WireHttp.Answer open = WireHttp.send(port, WireHttp.request("POST", base + "/xhr", "text/plain", new byte[0]), 10_000);
    assertThat(open.status()).as("xhr open").isEqualTo(200);
    int sends = 1 + random.nextInt(5);
    for (int i = 0; i < sends; i++) {
      String body = switch (random.nextInt(6)) {
        case 0 -> "";
        case 1 -> "not json";
        case 2 -> "[1, 2";
        case 3 -> "{\"not\":\"an array\"}";
        case 4 -> new JsonArray().add(frames.get(random.nextInt(frames.size()))).encode();
        default -> "[\"" + "[".repeat(50) + "\"]";
      };
      String target = random.nextInt(5) == 0 ? "/eventbus/1/none" + i + "/xhr_send" : base + "/xhr_send";
      WireHttp.Answer answer = WireHttp.send(port, WireHttp.request("POST", target, "text/plain",
        body.getBytes(StandardCharsets.UTF_8)), 10_000);
      counts.get(SocketKind.SOCKJS_XHR_GARBAGE).incrementAndGet();
      assertThat(answer.status()).as("xhr_send %s to %s", body, target).isBetween(200, 499);
    }
    WireHttp.Answer jsonp = WireHttp.send(port, WireHttp.request("GET", base + "x/jsonp", null, null), 10_000);
    assertThat(jsonp.status()).as("jsonp without a callback").isBetween(200, 499);
  }

  // ---- after -----------------------------------------------------------------------------------

  /**
   * Every accepted task exists and ended exactly once; nothing else exists, except valid submissions on a
   * socket dropped before their answer came (which may have been accepted unseen: they must end once too).
   */
  private void assertNoTaskLostOrDuplicated(long seed) {
    Set<String> listed = new HashSet<>();
    String after = null;
    do {
      JsonObject page = node.get("/api/v1/tasks?limit=1000" + (after == null ? "" : "&after=" + after)).body();
      page.getJsonArray("tasks").forEach(t -> listed.add(((JsonObject) t).getString("id")));
      after = page.getString("next");
    } while (after != null);
    assertThat(listed).as("every accepted task exists (seed %d)", seed).containsAll(accepted);
    Set<String> unasked = new HashSet<>(listed);
    unasked.removeAll(accepted);
    assertThat(unasked).as("tasks nobody was told were accepted: only valid submissions on a socket then dropped (seed %d)", seed)
      .isSubsetOf(unanswered);
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
      assertThat(terminalEventsById().keySet()).as("tasks with a terminal event").containsAll(listed));
    Map<String, Long> ended = terminalEventsById();
    assertThat(listed.stream().filter(id -> ended.get(id) != 1).collect(Collectors.toMap(id -> id, ended::get)))
      .as("tasks whose terminal event is not exactly one (seed %d)", seed).isEmpty();
    assertThat(ended.keySet()).as("no terminal event for a task that does not exist").isSubsetOf(listed);
  }

  /** The gateway's open WebSocket sessions, from its own gauge. */
  private static int openSessions() {
    return node.get("/metrics").body().getString("text", "").lines()
      .filter(line -> line.startsWith("mastermind_websocket_sessions"))
      .mapToInt(line -> (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
  }

  private static Map<String, Long> terminalEventsById() {
    return node.events.stream().filter(e -> TERMINAL.contains(e.getString("event")))
      .collect(Collectors.groupingBy(e -> e.getString("taskId"), Collectors.counting()));
  }

  private void assertHealthy() {
    assertThat(node.get("/health/live").status()).isEqualTo(200);
    assertThat(node.get("/health/ready").status()).isEqualTo(200);
    JsonArray nodes = node.get("/api/v1/nodes").body().getJsonArray("nodes", null);
    JsonObject self = node.workerNode();
    assertThat(self.getString("state")).isEqualTo("healthy");
    if (nodes != null) {
      assertThat(nodes).as("no node was added by bad input").hasSize(1);
    }
    JsonObject done = node.run(TestNode.task("compute", "primes", new JsonObject().put("upTo", 100)));
    assertThat(done.getString("status")).isEqualTo("succeeded");
    accepted.add(done.getString("id"));
  }

  private static String abbreviate(String text) {
    String printable = text.chars().mapToObj(c -> c < 0x20 && c != '\n' ? "\\x" + Integer.toHexString(c) : String.valueOf((char) c))
      .collect(Collectors.joining());
    return printable.length() > 160 ? printable.substring(0, 160) + "…(" + text.length() + ")" : printable;
  }
}
