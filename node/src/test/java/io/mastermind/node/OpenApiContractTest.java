package io.mastermind.node;

import io.mastermind.testsupport.TestHttp;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static io.mastermind.node.TestNode.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/v1/openapi.json} against a real node with API tokens on: the document lists exactly the
 * routes the gateway's router has, and real answers of every documented JSON route, successes and errors,
 * validate against the schema the document gives for their status (vertx-json-schema, draft 2020-12).
 */
@DisplayName("The OpenAPI document matches the router and the real answers")
@Timeout(120)
class OpenApiContractTest {

  private static final String FULL = "openapi-full-token";
  private static final String READER = "openapi-read-token";
  private static final String BASE = "https://mastermind.invalid/openapi.json";
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

  static TestNode node;
  static JsonObject doc;
  static SchemaRepository schemas;
  // HTTP/1.1: the JDK client's cleartext HTTP/2 upgrade can stall on an early 401 (seen once as a hung setup)
  private static final HttpClient http = TestHttp.builder()
    .connectTimeout(Duration.ofSeconds(5)).build();
  /** "method path" of every documented operation a real answer was validated for. */
  private static final Set<String> exercised = new TreeSet<>();

  record Answer(int status, String body, java.net.http.HttpHeaders headers) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  @BeforeAll
  @Timeout(120)
  static void start() throws Exception {
    node = new TestNode(new JsonObject().put("apiTokens", new JsonArray().add(FULL)
      .add(new JsonObject().put("token", READER).put("scopes", new JsonArray().add("read")))));
    Answer served = send("GET", "/api/v1/openapi.json", READER, null, null);
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    doc = served.json();
    JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(BASE)
      .setOutputFormat(OutputFormat.Basic);
    schemas = SchemaRepository.create(options).dereference(BASE, JsonSchema.of(BASE, doc.copy()));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  @DisplayName("the served document is a valid OpenAPI 3.1 contract (vertx-openapi validates it against the meta-schema)")
  void validContract() throws Exception {
    OpenAPIContract contract = OpenAPIContract.from(node.vertx, doc.copy()).toCompletionStage().toCompletableFuture()
      .get(30, TimeUnit.SECONDS);
    assertThat(contract.getVersion()).isEqualTo(OpenAPIVersion.V3_1);
    assertThat(contract.operation("submitTask")).isNotNull();
  }

  // ---------------------------------------------------------------- route coverage

  /** An endpoint of the router: a route with a path and methods, or a mounted sub-router (e.g. SockJS). */
  record Endpoint(String path, boolean exact, Set<String> methods) {
    boolean serves(String documentedPath, String method) {
      boolean pathMatches = exact ? path.equals(documentedPath) : documentedPath.startsWith(path);
      return pathMatches && (methods.isEmpty() || methods.contains(method));
    }
  }

  static List<Endpoint> endpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Route route : node.node.gateway().routes()) {
      Set<HttpMethod> methods = route.methods() == null ? Set.of() : route.methods();
      if (route.getPath() == null || (methods.isEmpty() && route.getSubRouter() == null)) {
        continue; // middleware for every method under a prefix (auth, body guard): not an endpoint
      }
      Set<String> names = new TreeSet<>();
      methods.forEach(m -> names.add(m.name().toLowerCase(Locale.ROOT)));
      // Vert.x Web's ":id" is OpenAPI's "{id}"
      endpoints.add(new Endpoint(route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}"), route.isExactPath(), names));
    }
    return endpoints;
  }

  @Test
  @DisplayName("every route of the gateway's router is documented, and every documented operation is routed")
  void everyRouteDocumented() {
    List<Endpoint> endpoints = endpoints();
    assertThat(endpoints).extracting(Endpoint::path).contains("/api/v1/tasks", "/api/v1/ws", "/eventbus/", "/metrics");
    JsonObject paths = doc.getJsonObject("paths");
    List<String> missing = new ArrayList<>();
    for (Endpoint endpoint : endpoints) {
      Set<String> wanted = endpoint.methods().isEmpty() ? Set.of("any") : endpoint.methods();
      for (String method : wanted) {
        boolean documented = paths.fieldNames().stream().anyMatch(p -> {
          JsonObject item = paths.getJsonObject(p);
          boolean hasMethod = method.equals("any") ? item.fieldNames().stream().anyMatch(METHODS::contains) : item.containsKey(method);
          return hasMethod && (endpoint.exact() ? p.equals(endpoint.path()) : p.startsWith(endpoint.path()));
        });
        if (!documented) {
          missing.add(method.toUpperCase(Locale.ROOT) + " " + endpoint.path() + (endpoint.exact() ? "" : "*"));
        }
      }
    }
    assertThat(missing).as("routes the router has but the OpenAPI document lacks").isEmpty();

    List<String> unrouted = new ArrayList<>();
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (METHODS.contains(method) && endpoints.stream().noneMatch(e -> e.serves(path, method))) {
          unrouted.add(method.toUpperCase(Locale.ROOT) + " " + path);
        }
      }
    }
    assertThat(unrouted).as("operations the OpenAPI document has but the router lacks").isEmpty();
  }

  // ---------------------------------------------------------------- real answers against the schemas

  @Test
  @DisplayName("real answers of every JSON route, successes and errors, match the documented schema for their status")
  void answersMatchSchemas() {
    // tasks: submit (202, then 200 for the same id, and 200 with ?wait), get, list with next, cancel
    JsonObject sleep = task("io_bound", "sleep", new JsonObject().put("ms", 30_000)).put("id", "oa-sleep");
    Answer accepted = call("POST", "/api/v1/tasks", "/api/v1/tasks", FULL, sleep.encode(), 202);
    assertThat(accepted.headers().firstValue("Location")).hasValue("/api/v1/tasks/oa-sleep");
    call("POST", "/api/v1/tasks", "/api/v1/tasks", FULL, sleep.encode(), 200);
    JsonObject echo = task("compute", "echo", new JsonObject().put("hello", "world")).put("id", "oa-echo");
    assertThat(call("POST", "/api/v1/tasks?wait=20000", "/api/v1/tasks", FULL, echo.encode(), 200).json().getString("status"))
      .isEqualTo("succeeded");
    call("POST", "/api/v1/tasks", "/api/v1/tasks", FULL, "{\"payload\":{\"function\":\"echo\"}}", 400);
    call("POST", "/api/v1/tasks", "/api/v1/tasks", FULL, "not json", 400);
    call("POST", "/api/v1/tasks", "/api/v1/tasks", null, echo.encode(), 401);
    call("POST", "/api/v1/tasks", "/api/v1/tasks", READER, echo.encode(), 403);
    call("POST", "/api/v1/tasks", "/api/v1/tasks", FULL, "text", 415, "text/plain");

    call("GET", "/api/v1/tasks/oa-echo", "/api/v1/tasks/{id}", READER, null, 200);
    call("GET", "/api/v1/tasks/nobody", "/api/v1/tasks/{id}", READER, null, 404);
    call("GET", "/api/v1/tasks/bad%20id", "/api/v1/tasks/{id}", READER, null, 400);
    call("GET", "/api/v1/tasks/oa-echo", "/api/v1/tasks/{id}", null, null, 401);

    JsonObject page = call("GET", "/api/v1/tasks?limit=1", "/api/v1/tasks", READER, null, 200).json();
    assertThat(page.getString("next")).isNotBlank();
    call("GET", "/api/v1/tasks?limit=1&after=" + page.getString("next"), "/api/v1/tasks", READER, null, 200);
    call("GET", "/api/v1/tasks?status=sleeping", "/api/v1/tasks", READER, null, 400);
    call("GET", "/api/v1/tasks?limit=0", "/api/v1/tasks", READER, null, 400);

    call("DELETE", "/api/v1/tasks/oa-sleep", "/api/v1/tasks/{id}", READER, null, 403);
    assertThat(call("DELETE", "/api/v1/tasks/oa-sleep", "/api/v1/tasks/{id}", FULL, null, 200).json().getString("status"))
      .isEqualTo("cancelled");
    call("DELETE", "/api/v1/tasks/oa-sleep", "/api/v1/tasks/{id}", FULL, null, 409);
    call("DELETE", "/api/v1/tasks/nobody", "/api/v1/tasks/{id}", FULL, null, 404);

    // a task that cannot be placed is refused; one that waits for cpu is queued, or held by the node (prefetch)
    call("POST", "/api/v1/tasks", "/api/v1/tasks", FULL,
      sleep.copy().put("id", "oa-gpu").put("requirements", new JsonObject().put("gpu", true)).encode(), 400);
    JsonObject hog = sleep.copy().put("id", "oa-hog").put("requirements", new JsonObject().put("cpu", 4));
    call("POST", "/api/v1/tasks", "/api/v1/tasks", FULL, hog.encode(), 202);
    await().atMost(Duration.ofSeconds(10))
      .until(() -> "running".equals(send("GET", "/api/v1/tasks/oa-hog", READER, null, null).json().getString("status")));
    call("POST", "/api/v1/tasks", "/api/v1/tasks", FULL, hog.copy().put("id", "oa-wait").encode(), 202);
    JsonObject waiting = call("GET", "/api/v1/tasks/oa-wait", "/api/v1/tasks/{id}", READER, null, 200).json();
    assertThat(waiting.getString("status")).isIn("queued", "scheduled");
    call("DELETE", "/api/v1/tasks/oa-wait", "/api/v1/tasks/{id}", FULL, null, 200);
    call("DELETE", "/api/v1/tasks/oa-hog", "/api/v1/tasks/{id}", FULL, null, 200);

    // nodes
    JsonObject nodes = call("GET", "/api/v1/nodes", "/api/v1/nodes", READER, null, 200).json();
    assertThat(nodes.getJsonArray("nodes")).isNotEmpty();
    call("GET", "/api/v1/nodes/test-node", "/api/v1/nodes/{id}", READER, null, 200);
    call("GET", "/api/v1/nodes/nobody", "/api/v1/nodes/{id}", READER, null, 404);
    call("GET", "/api/v1/nodes/bad%20id", "/api/v1/nodes/{id}", READER, null, 400);
    JsonObject extra = new JsonObject().put("id", "oa-extra").put("capabilities", new JsonArray().add("io_bound"))
      .put("resources", new JsonObject().put("cpu", 1).put("memory", 512));
    call("POST", "/api/v1/nodes", "/api/v1/nodes", READER, extra.encode(), 403);
    call("POST", "/api/v1/nodes", "/api/v1/nodes", FULL, "{\"capabilities\":[]}", 400);
    Answer added = call("POST", "/api/v1/nodes", "/api/v1/nodes", FULL, extra.encode(), 201);
    assertThat(added.headers().firstValue("Location")).hasValue("/api/v1/nodes/oa-extra");
    call("POST", "/api/v1/nodes", "/api/v1/nodes", FULL, extra.encode(), 409);
    call("DELETE", "/api/v1/nodes/oa-extra", "/api/v1/nodes/{id}", FULL, null, 202);
    await().atMost(Duration.ofSeconds(10))
      .until(() -> "left".equals(send("GET", "/api/v1/nodes/oa-extra", READER, null, null).json().getString("state")));
    call("DELETE", "/api/v1/nodes/oa-extra", "/api/v1/nodes/{id}", FULL, null, 409);
    call("DELETE", "/api/v1/nodes/nobody", "/api/v1/nodes/{id}", FULL, null, 404);
    call("DELETE", "/api/v1/nodes/test-node", "/api/v1/nodes/{id}", READER, null, 403);

    // cluster and log level
    JsonObject cluster = call("GET", "/api/v1/cluster", "/api/v1/cluster", READER, null, 200).json();
    assertThat(cluster.getJsonObject("leader").getString("nodeId")).isNotBlank();
    call("GET", "/api/v1/cluster", "/api/v1/cluster", "wrong-token", null, 401);
    call("PUT", "/api/v1/log-level", "/api/v1/log-level", FULL, "{\"level\":\"info\"}", 200);
    call("PUT", "/api/v1/log-level", "/api/v1/log-level", FULL, "{\"level\":\"loud\"}", 400);
    call("PUT", "/api/v1/log-level", "/api/v1/log-level", READER, "{\"level\":\"info\"}", 403);

    // Central Nexus: every answer is a NexusResponse
    JsonObject nexusTask = new JsonObject().put("requestId", "oa-req").put("system", "distributed_computing")
      .put("action", "execute").put("task", task("compute", "echo", new JsonObject().put("n", 1)));
    assertThat(call("POST", "/api/v1/nexus/tasks", "/api/v1/nexus/tasks", FULL, nexusTask.encode(), 200).json()
      .getString("status")).isEqualTo("success");
    call("POST", "/api/v1/nexus/tasks", "/api/v1/nexus/tasks", FULL, nexusTask.copy().put("system", "other").encode(), 400);
    call("POST", "/api/v1/nexus/tasks", "/api/v1/nexus/tasks", READER, nexusTask.encode(), 403);
    call("POST", "/api/v1/nexus/tasks", "/api/v1/nexus/tasks", null, nexusTask.encode(), 401);
    call("POST", "/api/v1/nexus/tasks", "/api/v1/nexus/tasks", FULL, "x", 415, "text/plain");

    // the document itself, health, metrics, and the WebSocket path's refusal without a token
    call("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", READER, null, 200);
    call("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", null, null, 401);
    call("GET", "/health", "/health", null, null, 200);
    call("GET", "/health/live", "/health/live", null, null, 200);
    call("GET", "/health/ready", "/health/ready", null, null, 200);
    call("GET", "/api/v1/ws", "/api/v1/ws", null, null, 401);
    Answer metrics = send("GET", "/metrics", null, null, null);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(documented("get", "/metrics", 200).getJsonObject("content").fieldNames()).containsExactly("text/plain");
    assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    exercised.add("get /metrics");
    // the dashboard's static files: open without a token, with the documented content types
    Answer dashboardPage = send("GET", "/", null, null, null);
    assertThat(dashboardPage.status()).isEqualTo(200);
    assertThat(dashboardPage.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(dashboardPage.headers().firstValue("content-security-policy")).isPresent();
    exercised.add("get /");
    assertThat(send("GET", "/dashboard/app.js", null, null, null).status()).isEqualTo(200);
    assertThat(send("GET", "/dashboard/nope.js", null, null, null).status()).isEqualTo(404);
    exercised.add("get /dashboard/{path}");
    assertThat(send("GET", "/webjars/uplot/1.6.30/dist/uPlot.esm.js", null, null, null).status()).isEqualTo(200);
    exercised.add("get /webjars/{path}");

    // every documented operation whose answers are JSON was exercised above
    List<String> jsonOperations = new ArrayList<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (METHODS.contains(method) && !path.startsWith("/eventbus/")) {
          jsonOperations.add(method + " " + path);
        }
      }
    }
    assertThat(exercised).containsAll(jsonOperations);
  }

  /**
   * Sends a request, checks its status is {@code expected}, that the document lists that status for the
   * operation, and that the body is valid against the schema given for it.
   */
  private static Answer call(String method, String uri, String documentedPath, String token, String body, int expected) {
    return call(method, uri, documentedPath, token, body, expected, "application/json");
  }

  private static Answer call(String method, String uri, String documentedPath, String token, String body, int expected,
                             String contentType) {
    Answer answer = send(method, uri, token, body, contentType);
    String label = method + " " + uri + " -> " + answer.status() + " " + answer.body();
    assertThat(answer.status()).as(label).isEqualTo(expected);
    JsonObject response = documented(method.toLowerCase(Locale.ROOT), documentedPath, answer.status());
    assertThat(response).as("the document lists " + answer.status() + " for " + method + " " + documentedPath).isNotNull();
    if (response.containsKey("headers") && response.getJsonObject("headers").containsKey("Retry-After")) {
      assertThat(answer.headers().firstValue("Retry-After")).as(label).isPresent();
    }
    String pointer = schemaPointer(method.toLowerCase(Locale.ROOT), documentedPath, answer.status());
    assertThat(pointer).as("a JSON schema for " + label).isNotNull();
    assertThat(answer.headers().firstValue("content-type")).as(label)
      .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    OutputUnit result = schemas.validator(JsonSchema.of(new JsonObject().put("$ref", BASE + "#" + pointer.replace("{", "%7B").replace("}", "%7D"))),
      new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(BASE).setOutputFormat(OutputFormat.Basic))
      .validate(Json.decodeValue(answer.body()));
    assertThat(result.getValid()).as(label + " against " + pointer + ": " + result.getErrors()).isTrue();
    exercised.add(method.toLowerCase(Locale.ROOT) + " " + documentedPath);
    return answer;
  }

  /** The response object the document gives for this operation and status (a {@code $ref} followed), or null. */
  private static JsonObject documented(String method, String path, int status) {
    String pointer = responsePointer(method, path, status);
    return pointer == null ? null : (JsonObject) at(pointer);
  }

  private static String responsePointer(String method, String path, int status) {
    String pointer = "/paths/" + escape(path) + "/" + method + "/responses/" + status;
    Object response = at(pointer);
    if (response instanceof JsonObject o && o.containsKey("$ref")) {
      pointer = o.getString("$ref").substring(1);
      response = at(pointer);
    }
    return response == null ? null : pointer;
  }

  /** The JSON pointer of the application/json schema of that response, or null. */
  private static String schemaPointer(String method, String path, int status) {
    String response = responsePointer(method, path, status);
    if (response == null) {
      return null;
    }
    String pointer = response + "/content/application~1json/schema";
    return at(pointer) == null ? null : pointer;
  }

  private static Object at(String pointer) {
    Object current = doc;
    for (String part : pointer.substring(1).split("/")) {
      String key = part.replace("~1", "/").replace("~0", "~");
      if (!(current instanceof JsonObject o) || !o.containsKey(key)) {
        return null;
      }
      current = o.getValue(key);
    }
    return current;
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static Answer send(String method, String uri, String token, String body, String contentType) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url + uri)).timeout(Duration.ofSeconds(30))
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", contentType);
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
