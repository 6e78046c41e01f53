package io.mastermind.node;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpRequest;

import static io.mastermind.node.TestNode.task;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Bad input gets a clear 4xx with {error:{code,message,field?}} and changes nothing")
@Timeout(60)
class HttpErrorsTest {

  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = new TestNode(new JsonObject().put("http", new JsonObject().put("bodyLimit", 64 * 1024)));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static void assertError(TestNode.Response response, int status, String code) {
    assertThat(response.status()).as(response.body().encode()).isEqualTo(status);
    JsonObject error = response.body().getJsonObject("error");
    assertThat(error).as(response.body().encode()).isNotNull();
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
  }

  private int taskCount() {
    return node.get("/api/v1/tasks?limit=1000").body().getInteger("count");
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("malformed or non-object JSON is INVALID_JSON")
  @CsvSource(delimiter = '|', value = {
    "truncated | {\"type\": \"compute\"",
    "array     | [1,2,3]",
    "string    | \"hello\"",
    "not json  | type=compute"})
  void malformedJson(String name, String body) {
    int before = taskCount();
    assertError(node.post("/api/v1/tasks", body), 400, "INVALID_JSON");
    assertThat(taskCount()).isEqualTo(before);
  }

  @Test
  @DisplayName("an empty body is INVALID_JSON")
  void emptyBody() {
    TestNode.Response response = node.post("/api/v1/tasks", "");
    assertError(response, 400, "INVALID_JSON");
    assertThat(response.body().getJsonObject("error").getString("message")).isEqualTo("body is required");
    assertThat(node.post("/api/v1/tasks", "[1]").body().getJsonObject("error").getString("message"))
      .isEqualTo("body must be a JSON object");
  }

  @ParameterizedTest(name = "{0} -> field {2}")
  @DisplayName("wrong types, unknown enum values and negative numbers name the field")
  @CsvSource(delimiter = '|', value = {
    "type missing       | {\"payload\":{\"function\":\"echo\"}}                                                  | type",
    "type unknown       | {\"type\":\"quantum\",\"payload\":{\"function\":\"echo\"}}                           | type",
    "type a number      | {\"type\":5,\"payload\":{\"function\":\"echo\"}}                                     | type",
    "payload missing    | {\"type\":\"compute\"}                                                               | payload",
    "payload a string   | {\"type\":\"compute\",\"payload\":\"echo\"}                                          | payload",
    "function missing   | {\"type\":\"compute\",\"payload\":{}}                                                | payload.function",
    "priority unknown   | {\"type\":\"compute\",\"priority\":\"urgent\",\"payload\":{\"function\":\"echo\"}}   | priority",
    "timeout negative   | {\"type\":\"compute\",\"timeout\":-1,\"payload\":{\"function\":\"echo\"}}            | timeout",
    "timeout fractional | {\"type\":\"compute\",\"timeout\":1.5,\"payload\":{\"function\":\"echo\"}}           | timeout",
    "retries negative   | {\"type\":\"compute\",\"maxRetries\":-2,\"payload\":{\"function\":\"echo\"}}         | maxRetries",
    "cpu negative       | {\"type\":\"compute\",\"requirements\":{\"cpu\":-1},\"payload\":{\"function\":\"echo\"}} | requirements.cpu",
    "cpu a string       | {\"type\":\"compute\",\"requirements\":{\"cpu\":\"2\"},\"payload\":{\"function\":\"echo\"}} | requirements.cpu",
    "memory negative    | {\"type\":\"compute\",\"requirements\":{\"memory\":-5},\"payload\":{\"function\":\"echo\"}} | requirements.memory",
    "gpu a string       | {\"type\":\"compute\",\"requirements\":{\"gpu\":\"yes\"},\"payload\":{\"function\":\"echo\"}} | requirements.gpu",
    "upTo negative      | {\"type\":\"compute\",\"payload\":{\"function\":\"primes\",\"data\":{\"upTo\":-3}}}    | payload.data.upTo",
    "sleep ms a string  | {\"type\":\"io_bound\",\"payload\":{\"function\":\"sleep\",\"data\":{\"ms\":\"10\"}}}  | payload.data.ms",
    "bad id             | {\"id\":\"a b/c\",\"type\":\"compute\",\"payload\":{\"function\":\"echo\"}}           | id"})
  void invalidField(String name, String body, String field) {
    int before = taskCount();
    TestNode.Response response = node.post("/api/v1/tasks", body);
    assertError(response, 400, "INVALID_FIELD");
    assertThat(response.body().getJsonObject("error").getString("field")).isEqualTo(field);
    assertThat(taskCount()).isEqualTo(before);
  }

  @Test
  @DisplayName("an unknown function is UNKNOWN_FUNCTION, and so is a built-in asked for the wrong type")
  void unknownFunction() {
    assertError(node.post("/api/v1/tasks", task("compute", "teleport", new JsonObject()).encode()), 400, "UNKNOWN_FUNCTION");
    assertError(node.post("/api/v1/tasks", task("compute", "sleep", new JsonObject().put("ms", 1)).encode()),
      400, "UNKNOWN_FUNCTION");
  }

  @Test
  @DisplayName("a task no node could ever hold is UNSATISFIABLE")
  void unsatisfiable() {
    JsonObject tooBig = task("compute", "echo", new JsonObject()).put("requirements", new JsonObject().put("cpu", 64));
    assertError(node.post("/api/v1/tasks", tooBig.encode()), 400, "UNSATISFIABLE");
    JsonObject gpu = task("compute", "echo", new JsonObject()).put("requirements", new JsonObject().put("gpu", true));
    assertError(node.post("/api/v1/tasks", gpu.encode()), 400, "UNSATISFIABLE");
  }

  @Test
  @DisplayName("unknown tasks, nodes and routes are 404 NOT_FOUND")
  void notFound() {
    assertError(node.get("/api/v1/tasks/nope"), 404, "NOT_FOUND");
    assertError(node.delete("/api/v1/tasks/nope"), 404, "NOT_FOUND");
    assertError(node.get("/api/v1/nodes/nope"), 404, "NOT_FOUND");
    assertError(node.get("/api/v1/nothing-here"), 404, "NOT_FOUND");
  }

  @Test
  @DisplayName("the same id with a different body is 409 CONFLICT; cancelling an ended task is 409 ALREADY_FINISHED")
  void conflicts() {
    JsonObject first = task("compute", "echo", new JsonObject().put("n", 1)).put("id", "conflict-1");
    assertThat(node.run(first).getString("status")).isEqualTo("succeeded");
    JsonObject different = task("compute", "echo", new JsonObject().put("n", 2)).put("id", "conflict-1");
    assertError(node.post("/api/v1/tasks", different.encode()), 409, "CONFLICT");
    assertError(node.delete("/api/v1/tasks/conflict-1"), 409, "ALREADY_FINISHED");
    assertThat(node.get("/api/v1/tasks/conflict-1").body().getJsonObject("result")).isEqualTo(new JsonObject().put("n", 1));
  }

  @Test
  @DisplayName("a body above the limit is 413 PAYLOAD_TOO_LARGE")
  void tooLarge() {
    String big = task("compute", "echo", new JsonObject().put("blob", "x".repeat(100 * 1024))).encode();
    assertError(node.post("/api/v1/tasks", big), 413, "PAYLOAD_TOO_LARGE");
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("bad query parameters are INVALID_FIELD")
  @CsvSource({"/api/v1/tasks?status=sleeping", "/api/v1/tasks?type=quantum", "/api/v1/tasks?limit=-1",
    "/api/v1/tasks?limit=abc"})
  void badQuery(String path) {
    assertError(node.get(path), 400, "INVALID_FIELD");
  }

  @Test
  @DisplayName("a bad ?wait= is INVALID_FIELD and queues nothing")
  void badWait() {
    int before = taskCount();
    assertError(node.post("/api/v1/tasks?wait=soon", task("compute", "echo", new JsonObject()).encode()), 400, "INVALID_FIELD");
    assertThat(taskCount()).isEqualTo(before);
  }

  @Test
  @DisplayName("a bad log level and a bad NodeConfig are INVALID_FIELD; a wrong method is 405")
  void adminErrors() {
    assertError(node.put("/api/v1/log-level", "{\"level\":\"loud\"}"), 400, "INVALID_FIELD");
    assertError(node.post("/api/v1/nodes", "{\"id\":\"n9\"}"), 400, "INVALID_FIELD");
    TestNode.Response patch = node.send(HttpRequest.newBuilder(URI.create(node.url + "/api/v1/tasks"))
      .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    assertError(patch, 405, "METHOD_NOT_ALLOWED");
  }
}
