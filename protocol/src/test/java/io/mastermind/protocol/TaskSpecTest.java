package io.mastermind.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@DisplayName("TaskSpec.fromJson validates and normalises a submitted task")
class TaskSpecTest {

  private static final String MINIMAL = """
    {"type": "compute", "payload": {"function": "echo"}}""";

  static TaskSpec parse(String json) {
    return TaskSpec.fromJson(new JsonObject(json));
  }

  /** The field named by the ValidationException that parsing {@code json} throws. */
  static String badField(String json) {
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> parse(json));
    assertThat(e).as("ValidationException for %s", json).isNotNull();
    assertThat(e.getMessage()).isNotBlank();
    return e.field();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "task-1", "A.b_c:d-9", "0123456789"})
  void acceptsIdsOfTheAllowedCharacters(String id) {
    assertThat(TaskSpec.isValidId(id)).isTrue();
    assertThat(TaskSpec.isValidId(id.repeat(128 / id.length()))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "with space", "slash/", "caf\u00e9", "\u0661", "tab\t", "quote\"", "a+b"})
  void refusesIdsWithOtherCharacters(String id) {
    assertThat(TaskSpec.isValidId(id)).isFalse();
  }

  @Test
  void refusesIdsLongerThan128Characters() {
    assertThat(TaskSpec.isValidId("x".repeat(128))).isTrue();
    assertThat(TaskSpec.isValidId("x".repeat(129))).isFalse();
    assertThat(TaskSpec.isValidId(null)).isFalse();
  }

  @Test
  @DisplayName("a minimal task gets defaults: no id, normal priority, default requirements, no timeout, no retries")
  void minimal() {
    TaskSpec spec = parse(MINIMAL);

    assertThat(spec.id()).isNull();
    assertThat(spec.type()).isEqualTo(TaskType.COMPUTE);
    assertThat(spec.function()).isEqualTo("echo");
    assertThat(spec.data()).isNull();
    assertThat(spec.requirements()).isEqualTo(Requirements.DEFAULT);
    assertThat(spec.priority()).isEqualTo(Priority.NORMAL);
    assertThat(spec.timeout()).isNull();
    assertThat(spec.maxRetries()).isZero();
  }

  @Test
  @DisplayName("toJson of a minimal task spells out every default")
  void minimalToJson() {
    JsonObject expected = new JsonObject()
      .put("type", "compute")
      .put("payload", new JsonObject().put("function", "echo"))
      .put("requirements", new JsonObject().put("cpu", 1.0).put("memory", 0L).put("gpu", false))
      .put("priority", "normal")
      .put("maxRetries", 0);

    assertThat(parse(MINIMAL).toJson()).isEqualTo(expected);
  }

  @Test
  @DisplayName("a full task keeps every field and toJson gives them back")
  void full() {
    TaskSpec spec = parse("""
      {"id": "job-1", "type": "ml_training", "priority": "high", "timeout": 60000, "maxRetries": 3,
       "requirements": {"cpu": 2.5, "memory": 512, "gpu": true},
       "payload": {"function": "my-trainer", "data": {"rows": [1, 2, 3]}}}""");

    assertThat(spec.id()).isEqualTo("job-1");
    assertThat(spec.type()).isEqualTo(TaskType.ML_TRAINING);
    assertThat(spec.priority()).isEqualTo(Priority.HIGH);
    assertThat(spec.timeout()).isEqualTo(60_000L);
    assertThat(spec.maxRetries()).isEqualTo(3);
    assertThat(spec.requirements()).isEqualTo(new Requirements(2.5, 512, true));
    assertThat(spec.data()).isEqualTo(new JsonObject().put("rows", new JsonArray().add(1).add(2).add(3)));

    JsonObject json = spec.toJson();
    assertThat(json.getString("id")).isEqualTo("job-1");
    assertThat(json.getLong("timeout")).isEqualTo(60_000L);
    assertThat(json.getInteger("maxRetries")).isEqualTo(3);
    assertThat(json.getJsonObject("payload").getJsonObject("data")).isEqualTo(spec.data());
    assertThat(TaskSpec.fromJson(json)).isEqualTo(spec);
  }

  @Test
  @DisplayName("data may be any JSON value, not only an object, for a function that is not built in")
  void anyData() {
    assertThat(parse("""
      {"type": "compute", "payload": {"function": "f", "data": [1, "two"]}}""").data())
      .isEqualTo(new JsonArray().add(1).add("two"));
    assertThat(parse("""
      {"type": "compute", "payload": {"function": "f", "data": "text"}}""").data()).isEqualTo("text");
    assertThat(parse("""
      {"type": "compute", "payload": {"function": "f", "data": 42}}""").data()).isEqualTo(42);
  }

  @ParameterizedTest(name = "type \"{0}\" priority \"{1}\"")
  @CsvSource({
    "COMPUTE, LOW, compute, low",
    "Io_Bound, Normal, io_bound, normal",
    "data_processing, HIGH, data_processing, high",
    "ML_TRAINING, critical, ml_training, critical",
    "' compute ', ' high ', compute, high"})
  @DisplayName("type and priority are case-insensitive and come out lower-case")
  void caseInsensitiveEnums(String type, String priority, String wireType, String wirePriority) {
    TaskSpec spec = TaskSpec.fromJson(new JsonObject()
      .put("type", type).put("priority", priority).put("payload", new JsonObject().put("function", "echo")));

    assertThat(spec.toJson().getString("type")).isEqualTo(wireType);
    assertThat(spec.toJson().getString("priority")).isEqualTo(wirePriority);
  }

  @Test
  @DisplayName("a missing or null type names the field type")
  void missingType() {
    assertThat(badField("""
      {"payload": {"function": "echo"}}""")).isEqualTo("type");
    assertThat(badField("""
      {"type": null, "payload": {"function": "echo"}}""")).isEqualTo("type");
  }

  @Test
  @DisplayName("an unknown type or priority names its field and lists the choices")
  void unknownEnums() {
    ValidationException type = catchThrowableOfType(ValidationException.class, () -> parse("""
      {"type": "gpu", "payload": {"function": "echo"}}"""));
    assertThat(type.field()).isEqualTo("type");
    assertThat(type.getMessage()).contains("compute", "io_bound", "data_processing", "ml_training", "gpu");

    ValidationException priority = catchThrowableOfType(ValidationException.class, () -> parse("""
      {"type": "compute", "priority": "urgent", "payload": {"function": "echo"}}"""));
    assertThat(priority.field()).isEqualTo("priority");
    assertThat(priority.getMessage()).contains("low", "normal", "high", "critical", "urgent");

    assertThat(badField("""
      {"type": "", "payload": {"function": "echo"}}""")).isEqualTo("type");
  }

  static Stream<Arguments> wrongFields() {
    return Stream.of(
      Arguments.of("{\"type\": 5, \"payload\": {\"function\": \"echo\"}}", "type"),
      Arguments.of("{\"type\": \"compute\", \"payload\": \"x\"}", "payload"),
      Arguments.of("{\"type\": \"compute\"}", "payload"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {}}", "payload.function"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"  \"}}", "payload.function"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": 7}}", "payload.function"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"requirements\": {\"cpu\": \"2\"}}", "requirements.cpu"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"requirements\": {\"cpu\": 0}}", "requirements.cpu"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"requirements\": {\"cpu\": -1}}", "requirements.cpu"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"requirements\": {\"cpu\": 4097}}", "requirements.cpu"),
      // below the minimum of a hundredth of a core: would let one core hold a billion tasks
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"requirements\": {\"cpu\": 1e-9}}", "requirements.cpu"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"requirements\": {\"cpu\": 0.0099}}", "requirements.cpu"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"" + "f".repeat(129) + "\"}}", "payload.function"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"ec ho\"}}", "payload.function"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\\u0000\"}}", "payload.function"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"id\": \"" + "i".repeat(129) + "\"}", "id"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"requirements\": {\"memory\": -5}}", "requirements.memory"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"requirements\": {\"memory\": 1.5}}", "requirements.memory"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"requirements\": {\"memory\": \"1G\"}}", "requirements.memory"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"requirements\": {\"gpu\": \"yes\"}}", "requirements.gpu"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"requirements\": 2}", "requirements"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"priority\": 3}", "priority"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"timeout\": -1}", "timeout"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"timeout\": 0}", "timeout"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"timeout\": 1.5}", "timeout"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"timeout\": \"10\"}", "timeout"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"timeout\": 604800001}", "timeout"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"timeout\": 1e300}", "timeout"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"maxRetries\": -1}", "maxRetries"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"maxRetries\": 101}", "maxRetries"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"maxRetries\": 2.5}", "maxRetries"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"maxRetries\": true}", "maxRetries"),
      Arguments.of("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"id\": 7}", "id"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("wrongFields")
  @DisplayName("a field of the wrong JSON type or out of range is reported by name")
  void wrongField(String json, String field) {
    assertThat(badField(json)).isEqualTo(field);
  }

  @Test
  @DisplayName("bounds are inclusive: timeout 1 ms to 7 days, maxRetries 0 to 100, whole doubles accepted")
  void inclusiveBounds() {
    assertThat(parse("""
      {"type": "compute", "payload": {"function": "echo"}, "timeout": 1, "maxRetries": 0}""").timeout()).isEqualTo(1L);
    TaskSpec max = parse("""
      {"type": "compute", "payload": {"function": "echo"}, "timeout": 604800000, "maxRetries": 100}""");
    assertThat(max.timeout()).isEqualTo(604_800_000L);
    assertThat(max.maxRetries()).isEqualTo(100);
    TaskSpec whole = parse("""
      {"type": "compute", "payload": {"function": "echo"}, "timeout": 250.0, "maxRetries": 2.0,
       "requirements": {"cpu": 4096, "memory": 0}}""");
    assertThat(whole.timeout()).isEqualTo(250L);
    assertThat(whole.maxRetries()).isEqualTo(2);
    assertThat(whole.requirements()).isEqualTo(new Requirements(4096, 0, false));
    assertThat(parse("{\"type\": \"compute\", \"payload\": {\"function\": \"echo\"}, \"requirements\": {\"cpu\": 0.01}}")
      .requirements().cpu()).isEqualTo(Requirements.MIN_CPU);
    assertThat(parse("{\"type\": \"compute\", \"payload\": {\"function\": \"" + "f".repeat(128) + "\"}}").function())
      .hasSize(TaskSpec.MAX_FUNCTION_LENGTH);
    assertThat(parse("{\"type\": \"compute\", \"payload\": {\"function\": \"acme/résumé-parser@2\"}}").function())
      .isEqualTo("acme/résumé-parser@2");
  }

  @Test
  @DisplayName("a null task is rejected naming the task")
  void nullTask() {
    assertThatThrownBy(() -> TaskSpec.fromJson(null))
      .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("task"));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"a", "task-1", "A.b_c:d-9", "0", "2b7e1516-28ae-4d2a-a6c4-000000000000",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
  @DisplayName("an id of 1 to 128 letters, digits, '.', '_', ':' or '-' is accepted")
  void validIds(String id) {
    TaskSpec spec = TaskSpec.fromJson(new JsonObject(MINIMAL).put("id", id));

    assertThat(spec.id()).isEqualTo(id);
    assertThat(spec.toJson().getString("id")).isEqualTo(id);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", " ", "a b", "a/b", "ü", "tab\t", "line\n", "a#1", "x?y",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
  @DisplayName("any other id is rejected naming the field id")
  void invalidIds(String id) {
    assertThatThrownBy(() -> TaskSpec.fromJson(new JsonObject(MINIMAL).put("id", id)))
      .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("id"));
  }

  @Test
  @DisplayName("two equivalent submissions, one omitting priority and one saying NORMAL, have equal toJson")
  void equivalentSubmissions() {
    TaskSpec implicit = parse("""
      {"id": "t1", "type": "compute", "payload": {"function": "primes", "data": {"upTo": 100}}}""");
    TaskSpec explicit = parse("""
      {"payload": {"data": {"upTo": 100}, "function": "primes"}, "priority": "NORMAL", "type": "COMPUTE", "id": "t1",
       "requirements": {"cpu": 1, "memory": 0, "gpu": false}, "maxRetries": 0}""");

    assertThat(explicit.toJson()).isEqualTo(implicit.toJson());
    assertThat(explicit.toJson().encode()).isEqualTo(implicit.toJson().encode());

    TaskSpec different = parse("""
      {"id": "t1", "type": "compute", "priority": "high", "payload": {"function": "primes", "data": {"upTo": 100}}}""");
    assertThat(different.toJson()).isNotEqualTo(implicit.toJson());
  }

  @Test
  @DisplayName("withGeneratedId gives a task without id a random UUID and keeps everything else")
  void withGeneratedId() {
    TaskSpec spec = parse("""
      {"type": "io_bound", "priority": "low", "payload": {"function": "sleep", "data": {"ms": 5}}, "timeout": 100}""");

    TaskSpec withId = spec.withGeneratedId();
    TaskSpec other = spec.withGeneratedId();

    assertThat(withId.id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(other.id()).isNotEqualTo(withId.id());
    assertThat(withId.toJson().copy().put("id", null)).isEqualTo(spec.toJson().copy().put("id", null));
    assertThat(withId).usingRecursiveComparison().ignoringFields("id").isEqualTo(spec);
    assertThat(TaskSpec.fromJson(withId.toJson())).isEqualTo(withId);
  }

  @Test
  @DisplayName("withGeneratedId keeps an id the client gave")
  void withGeneratedIdKeepsId() {
    TaskSpec spec = parse("""
      {"id": "mine", "type": "compute", "payload": {"function": "echo"}}""");

    assertThat(spec.withGeneratedId()).isSameAs(spec);
  }
}
