package io.mastermind.node;

import io.mastermind.protocol.TaskSpec;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates malformed HTTP requests for the gateway fuzz test, from a seed, and classifies what a
 * request actually contains ({@link #classify}) independently of what its generator meant to make: the
 * test counts requests per classified kind, so a generator that stopped producing its kind is caught.
 */
final class HttpFuzz {

  /** The kinds of malformation (and the valid submissions mixed in), as found in the bytes sent. */
  enum Kind {
    BAD_ESCAPE, INVALID_UTF8, MALFORMED_JSON, DEEP_JSON, WRONG_CONTENT_TYPE, HUGE_NUMBER, LONG_STRING,
    WRONG_METHOD, OVERSIZED_BODY, MALFORMED_HTTP, VALID_TASK
  }

  /** One request: its bytes on the wire, and the parts they were made of (null parts for raw ones). */
  record Request(Kind intended, String method, String target, String contentType, byte[] body, byte[] bytes) {
    boolean underApi() {
      return target != null && target.startsWith("/api/");
    }

    String path() {
      int query = target == null ? -1 : target.indexOf('?');
      return query < 0 ? target : target.substring(0, query);
    }
  }

  static final String JSON = "application/json";
  private static final Pattern BAD_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");
  private static final Pattern ESCAPE = Pattern.compile("%([0-9A-Fa-f]{2})");
  private static final Pattern REQUEST_LINE = Pattern.compile("[A-Z][A-Z-]{0,15} /[\\x21-\\x7e]{0,4000} HTTP/1\\.1");
  private static final Pattern HUGE_QUERY = Pattern.compile("[?&][a-z]+=-?\\d{20,}");
  private static final String[] BAD_ESCAPES = {"%u0041", "%ZZ", "%", "%4", "%G0", "%%", "%-1", "%u00e9", "%x"};
  private static final String[] BAD_UTF8_ESCAPES = {"%C0%AF", "%FF", "%FE%FF", "%ED%A0%80", "%E0%A4", "%F8%88%80%80%80",
    "%C3%28", "%80", "%F0%28%8C%BC"};
  private static final byte[][] BAD_UTF8_BYTES = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80}, {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
  private static final String[] HUGE = {"1e400", "-1e309", "1" + "0".repeat(30), "-" + "9".repeat(25), "9".repeat(400),
    "1.5e99999", "123456789012345678901234567890.5e300"};
  private static final String[] ODD_METHODS = {"PATCH", "OPTIONS", "HEAD", "TRACE", "FOO", "PROPFIND", "LINK", "M-SEARCH"};
  private static final String[] TARGETS = {"/api/v1/tasks", "/api/v1/tasks/{task}", "/api/v1/tasks?status={word}",
    "/api/v1/tasks?limit={word}", "/api/v1/nodes", "/api/v1/nodes/{node}", "/api/v1/cluster", "/api/v1/log-level",
    "/api/v1/nexus/tasks", "/health", "/health/ready", "/metrics", "/eventbus/info", "/api/v1/ws", "/nothing/here",
    "/api/v2/{word}", "/"};
  private static final String[] WRONG_TYPES = {null, "text/plain", "multipart/form-data; boundary=xx",
    "application/x-www-form-urlencoded", "application/xml", "application/jsonp", "json", "text/json; charset=utf-8"};

  private final Random random;
  private final String idPrefix;
  private final int bodyLimit;
  private final List<String> validBodies = new ArrayList<>();
  private int counter;

  HttpFuzz(Random random, String idPrefix, int bodyLimit) {
    this.random = random;
    this.idPrefix = idPrefix;
    this.bodyLimit = bodyLimit;
  }

  Request next() {
    Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
    return switch (kind) {
      case BAD_ESCAPE -> badEscape();
      case INVALID_UTF8 -> invalidUtf8();
      case MALFORMED_JSON -> jsonPost(kind, pick(JSON_POST_TARGETS), malformedJson());
      case DEEP_JSON -> jsonPost(kind, pick(JSON_POST_TARGETS), deepJson());
      case WRONG_CONTENT_TYPE -> wrongContentType();
      case HUGE_NUMBER -> hugeNumber();
      case LONG_STRING -> longString();
      case WRONG_METHOD -> wrongMethod();
      case OVERSIZED_BODY -> jsonPost(kind, pick(JSON_POST_TARGETS), oversized());
      case MALFORMED_HTTP -> malformedHttp();
      case VALID_TASK -> validTask();
    };
  }

  private static final String[] JSON_POST_TARGETS = {"/api/v1/tasks", "/api/v1/tasks?wait=100", "/api/v1/nexus/tasks",
    "/api/v1/nodes"};

  // ---- generators ------------------------------------------------------------------------------

  private Request badEscape() {
    String target = target();
    String bad = pick(BAD_ESCAPES);
    int at = 1 + random.nextInt(target.length());
    target = target.substring(0, at) + bad + target.substring(at);
    String method = pick(new String[] {"GET", "POST", "DELETE", "HEAD", "PUT"});
    byte[] body = random.nextBoolean() ? validTaskJson().getBytes(StandardCharsets.UTF_8) : null;
    return build(Kind.BAD_ESCAPE, method, target, body == null ? null : JSON, body);
  }

  private Request invalidUtf8() {
    if (random.nextBoolean()) {
      String target = pick(new String[] {"/api/v1/tasks/", "/api/v1/nodes/", "/api/v1/", "/", "/api/v1/tasks?status="})
        + "x" + pick(BAD_UTF8_ESCAPES) + "y";
      String method = pick(new String[] {"GET", "HEAD", "DELETE", "POST"});
      byte[] body = method.equals("GET") ? null : "{\"a\":1}".getBytes(StandardCharsets.UTF_8); // HEAD with a body, too
      return build(Kind.INVALID_UTF8, method, target, body == null ? null : JSON, body);
    }
    byte[] prefix = "{\"type\":\"compute\",\"payload\":{\"function\":\"echo\",\"data\":\"ab".getBytes(StandardCharsets.UTF_8);
    byte[] bad = BAD_UTF8_BYTES[random.nextInt(BAD_UTF8_BYTES.length)];
    byte[] suffix = "cd\"}}".getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[prefix.length + bad.length + suffix.length];
    System.arraycopy(prefix, 0, body, 0, prefix.length);
    System.arraycopy(bad, 0, body, prefix.length, bad.length);
    System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);
    return build(Kind.INVALID_UTF8, "POST", pick(JSON_POST_TARGETS), JSON, body);
  }

  private byte[] malformedJson() {
    String valid = validTaskJson();
    String text = switch (random.nextInt(8)) {
      case 0 -> valid.substring(0, 1 + random.nextInt(valid.length() - 1)); // truncated
      case 1 -> "{\"type\": \"compute\",, \"payload\": {}}";
      case 2 -> "{'type': 'compute'}";
      case 3 -> "[1, 2,]";
      case 4 -> "nul";
      case 5 -> "{\"type\": NaN}";
      case 6 -> valid + "}";
      default -> "{\"a\":\"\\x41\"}";
    };
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] deepJson() {
    int depth = 33 + random.nextInt(random.nextBoolean() ? 100 : 3000);
    String deep = random.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth)
      : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    String text = random.nextBoolean() ? deep
      : "{\"type\":\"compute\",\"payload\":{\"function\":\"echo\",\"data\":" + deep + "}}";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private Request wrongContentType() {
    if (random.nextInt(3) == 0) {
      // the issue's 500: a GET (or HEAD, DELETE) with a multipart body
      String method = pick(new String[] {"GET", "HEAD", "DELETE", "OPTIONS"});
      byte[] body = "--xx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--xx--\r\n".getBytes(StandardCharsets.UTF_8);
      return build(Kind.WRONG_CONTENT_TYPE, method, pick(new String[] {"/api/v1/tasks", "/api/v1/tasks/x", "/api/v1/nodes"}),
        "multipart/form-data; boundary=xx", body);
    }
    String method = pick(new String[] {"POST", "POST", "PUT"});
    String target = method.equals("PUT") ? "/api/v1/log-level" : pick(JSON_POST_TARGETS);
    return build(Kind.WRONG_CONTENT_TYPE, method, target, pick(WRONG_TYPES), validTaskJson().getBytes(StandardCharsets.UTF_8));
  }

  private Request hugeNumber() {
    String huge = pick(HUGE);
    if (random.nextInt(5) == 0) {
      return build(Kind.HUGE_NUMBER, "GET", "/api/v1/tasks?limit=" + "9".repeat(20 + random.nextInt(30)), null, null);
    }
    String text = switch (random.nextInt(6)) {
      case 0 -> "{\"type\":\"compute\",\"requirements\":{\"cpu\":" + huge + "},\"payload\":{\"function\":\"echo\"}}";
      case 1 -> "{\"type\":\"compute\",\"timeout\":" + huge + ",\"payload\":{\"function\":\"echo\"}}";
      case 2 -> "{\"type\":\"compute\",\"payload\":{\"function\":\"primes\",\"data\":{\"upTo\":" + huge + "}}}";
      case 3 -> "{\"type\":\"data_processing\",\"payload\":{\"function\":\"stats\",\"data\":{\"values\":[1," + huge + "]}}}";
      case 4 -> "{\"type\":\"compute\",\"maxRetries\":" + huge + ",\"payload\":{\"function\":\"echo\"}}";
      default -> "{\"type\":\"compute\",\"payload\":{\"function\":\"echo\",\"data\":{\"x\":" + huge + "}}}";
    };
    String target = pick(new String[] {"/api/v1/tasks", "/api/v1/tasks?wait=50"});
    if (random.nextInt(4) == 0) {
      text = "{\"id\":\"n-" + counter++ + "\",\"resources\":{\"cpu\":" + huge + ",\"memory\":1}}";
      target = "/api/v1/nodes";
    }
    return build(Kind.HUGE_NUMBER, "POST", target, JSON, text.getBytes(StandardCharsets.UTF_8));
  }

  private Request longString() {
    int length = 129 + random.nextInt(3000);
    String text;
    String target = "/api/v1/tasks";
    switch (random.nextInt(7)) {
      case 0 -> text = "{\"id\":\"" + "i".repeat(length) + "\",\"type\":\"compute\",\"payload\":{\"function\":\"echo\"}}";
      case 1 -> text = "{\"type\":\"compute\",\"payload\":{\"function\":\"" + "f".repeat(length) + "\"}}";
      case 2 -> text = "{\"type\":\"compute\",\"payload\":{\"function\":\"echo\",\"data\":\"" + "d".repeat(5000 + length) + "\"}}";
      case 3 -> {
        text = "{\"id\":\"n1\",\"capabilities\":[\"" + "c".repeat(length) + "\"],\"resources\":{\"cpu\":1,\"memory\":1}}";
        target = "/api/v1/nodes";
      }
      case 4 -> {
        text = "{\"requestId\":\"" + "r".repeat(length + 200) + "\",\"system\":\"distributed_computing\",\"action\":\"execute\","
          + "\"task\":" + validTaskJson() + "}";
        target = "/api/v1/nexus/tasks";
      }
      case 5 -> {
        return build(Kind.LONG_STRING, pick(new String[] {"GET", "DELETE"}), "/api/v1/tasks/" + "t".repeat(length), null, null);
      }
      default -> {
        return build(Kind.LONG_STRING, "GET", "/api/v1/nodes/" + "n".repeat(length), null, null);
      }
    }
    return build(Kind.LONG_STRING, "POST", target, JSON, text.getBytes(StandardCharsets.UTF_8));
  }

  private Request wrongMethod() {
    String method = pick(ODD_METHODS);
    byte[] body = random.nextBoolean() ? validTaskJson().getBytes(StandardCharsets.UTF_8) : null;
    return build(Kind.WRONG_METHOD, method, target(), body == null ? null : JSON, body);
  }

  private byte[] oversized() {
    int size = bodyLimit + 1 + random.nextInt(2 * bodyLimit);
    String text = "{\"type\":\"compute\",\"payload\":{\"function\":\"echo\",\"data\":\"" + "z".repeat(size) + "\"}}";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private Request malformedHttp() {
    String raw = switch (random.nextInt(10)) {
      case 0 -> "GARBAGE\r\n\r\n";
      case 1 -> "GET /" + "a".repeat(5000 + random.nextInt(3000)) + " HTTP/1.1\r\nHost: x\r\n\r\n";
      case 2 -> "GET /api/v1/tasks HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n";
      case 3 -> "GET /api/v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n";
      case 4 -> "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 5\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
      case 5 -> "GET /api/v1/tasks HTTP/1.1\r\nHost: x\r\nThis Is Not A Header\r\n\r\n";
      case 6 -> "GET /api/v1/tasks HTTP/1.1\r\nConnection: close\r\n\r\n"; // no Host
      case 7 -> "GET /api/v1/ta\u0001sks HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
      case 8 -> "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003\r\n\r\n"; // a TLS hello on a plain port
      default -> "GET /api/v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Length: -7\r\n\r\n";
    };
    return new Request(Kind.MALFORMED_HTTP, null, null, null, null, raw.getBytes(StandardCharsets.ISO_8859_1));
  }

  private Request validTask() {
    if (!validBodies.isEmpty() && random.nextInt(5) == 0) {
      // the same id and body again: idempotent, nothing new runs
      String again = validBodies.get(random.nextInt(validBodies.size()));
      return build(Kind.VALID_TASK, "POST", "/api/v1/tasks", JSON, again.getBytes(StandardCharsets.UTF_8));
    }
    String body = validTaskJson();
    if (body.contains("\"id\"")) {
      validBodies.add(body);
    }
    String target = random.nextInt(4) == 0 ? "/api/v1/tasks?wait=" + (10 + random.nextInt(200)) : "/api/v1/tasks";
    return build(Kind.VALID_TASK, "POST", target, random.nextBoolean() ? JSON : "application/json; charset=utf-8",
      body.getBytes(StandardCharsets.UTF_8));
  }

  /** A valid task: echo, a short sleep, a failing one, small primes; half of them with an id of ours. */
  String validTaskJson() {
    JsonObject task = switch (random.nextInt(4)) {
      case 0 -> TestNode.task("compute", "echo", new JsonObject().put("n", counter));
      case 1 -> TestNode.task("io_bound", "sleep", new JsonObject().put("ms", 5 + random.nextInt(40)));
      case 2 -> TestNode.task("compute", "fail", new JsonObject().put("message", "fuzz"));
      default -> TestNode.task("compute", "primes", new JsonObject().put("upTo", 100 + random.nextInt(1000)));
    };
    task.put("requirements", new JsonObject().put("cpu", 0.1));
    if (random.nextBoolean()) {
      task.put("id", idPrefix + "-" + counter++);
    }
    return task.encode();
  }

  private String target() {
    return pick(TARGETS)
      .replace("{task}", pick(new String[] {"t-1", "nope", "a.b:c", idPrefix + "-0", "x y"}).replace(" ", "%20"))
      .replace("{node}", pick(new String[] {"n-1", "ghost", "n.2"}))
      .replace("{word}", pick(new String[] {"queued", "sleeping", "-1", "abc", "1000"}));
  }

  private Request jsonPost(Kind kind, String target, byte[] body) {
    return build(kind, "POST", target, JSON, body);
  }

  private Request build(Kind kind, String method, String target, String contentType, byte[] body) {
    return new Request(kind, method, target, contentType, body, WireHttp.request(method, target, contentType, body));
  }

  private String pick(String[] options) {
    return options[random.nextInt(options.length)];
  }

  // ---- what a request contains -----------------------------------------------------------------

  /** The kinds a request's bytes show, whatever its generator meant. */
  static Set<Kind> classify(Request request, int bodyLimit, int maxDepth) {
    Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    String wire = new String(request.bytes(), StandardCharsets.ISO_8859_1);
    int lineEnd = wire.indexOf("\r\n");
    String requestLine = lineEnd < 0 ? wire : wire.substring(0, lineEnd);
    int headEnd = wire.indexOf("\r\n\r\n");
    boolean oddHeaders = headEnd < 0 || headEnd - lineEnd > 8000
      || wire.substring(Math.max(lineEnd, 0), Math.max(headEnd, 0)).lines().skip(1).anyMatch(h -> !h.contains(":"))
      || !wire.regionMatches(true, lineEnd + 2, "Host:", 0, 5) && !wire.contains("\r\nHost:")
      || wire.contains("Content-Length: abc") || wire.contains("Content-Length: -") || wire.contains("Transfer-Encoding: chunked");
    if (!REQUEST_LINE.matcher(requestLine).matches() || oddHeaders) {
      kinds.add(Kind.MALFORMED_HTTP);
    }
    if (request.target() == null) {
      return kinds;
    }
    if (BAD_ESCAPE.matcher(request.target()).find()) {
      kinds.add(Kind.BAD_ESCAPE);
    }
    byte[] body = request.body() == null ? new byte[0] : request.body();
    if (!utf8(unescape(request.target())) || !utf8(body)) {
      kinds.add(Kind.INVALID_UTF8);
    }
    boolean withBody = Set.of("POST", "PUT").contains(request.method());
    boolean json = isJson(request.contentType());
    if (request.underApi() && withBody && !json
      || !withBody && body.length > 0 && request.contentType() != null && request.contentType().startsWith("multipart/")) {
      kinds.add(Kind.WRONG_CONTENT_TYPE);
    }
    if (!Set.of("GET", "POST", "PUT", "DELETE").contains(request.method())) {
      kinds.add(Kind.WRONG_METHOD);
    }
    if (body.length > bodyLimit) {
      kinds.add(Kind.OVERSIZED_BODY);
    }
    if (HUGE_QUERY.matcher(request.target()).find()) {
      kinds.add(Kind.HUGE_NUMBER);
    }
    if (request.path().length() > 140) {
      kinds.add(Kind.LONG_STRING);
    }
    if (json && body.length > 0 && body.length <= bodyLimit && utf8(body)) {
      Scan scan = scan(new String(body, StandardCharsets.UTF_8));
      if (scan.depth > maxDepth) {
        kinds.add(Kind.DEEP_JSON);
      }
      if (scan.hugeNumber) {
        kinds.add(Kind.HUGE_NUMBER);
      }
      if (scan.longestString > 128) {
        kinds.add(Kind.LONG_STRING);
      }
      Object decoded = null;
      try {
        decoded = Json.decodeValue(new String(body, StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        if (scan.depth <= 1000) {
          kinds.add(Kind.MALFORMED_JSON);
        }
      }
      if (kinds.isEmpty() && decoded instanceof JsonObject task && "POST".equals(request.method())
        && request.path().equals("/api/v1/tasks") && isTask(task)) {
        kinds.add(Kind.VALID_TASK);
      }
    }
    return kinds;
  }

  /** What the API takes as JSON: application/json or application/*+json, with any parameters. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    return type.equals(JSON) || type.startsWith("application/") && type.endsWith("+json");
  }

  /** True when the path (not the query) has a malformed percent-escape. */
  static boolean badEscapeInPath(Request request) {
    return request.path() != null && BAD_ESCAPE.matcher(request.path()).find();
  }

  private static boolean isTask(JsonObject json) {
    try {
      TaskSpec.fromJson(json);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Nesting depth, the longest string and whether a number is out of range, outside string literals. */
  record Scan(int depth, int longestString, boolean hugeNumber) {
  }

  static Scan scan(String text) {
    int depth = 0;
    int max = 0;
    int longest = 0;
    boolean huge = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        int start = i;
        for (i++; i < text.length() && text.charAt(i) != '"'; i++) {
          if (text.charAt(i) == '\\') {
            i++;
          }
        }
        longest = Math.max(longest, i - start - 1);
      } else if (c == '[' || c == '{') {
        max = Math.max(max, ++depth);
      } else if (c == ']' || c == '}') {
        depth--;
      } else if (c == '-' || Character.isDigit(c)) {
        Matcher number = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?").matcher(text).region(i, text.length());
        if (number.lookingAt()) {
          huge |= outOfRange(number.group());
          i = number.end() - 1;
        }
      }
    }
    return new Scan(max, longest, huge);
  }

  private static boolean outOfRange(String number) {
    try {
      BigDecimal value = new BigDecimal(number);
      boolean integral = number.indexOf('.') < 0 && number.indexOf('e') < 0 && number.indexOf('E') < 0;
      return integral ? new BigInteger(number).bitLength() > 63 : Double.isInfinite(value.doubleValue());
    } catch (NumberFormatException | ArithmeticException e) {
      return true;
    }
  }

  private static byte[] unescape(String target) {
    StringBuilder latin = new StringBuilder();
    Matcher escape = ESCAPE.matcher(target);
    int at = 0;
    while (escape.find()) {
      latin.append(target, at, escape.start()).append((char) Integer.parseInt(escape.group(1), 16));
      at = escape.end();
    }
    latin.append(target.substring(at));
    return latin.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  static boolean utf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
