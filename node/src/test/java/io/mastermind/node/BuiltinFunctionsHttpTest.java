package io.mastermind.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import static io.mastermind.node.TestNode.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

@DisplayName("Every built-in function runs end to end over HTTP on a standalone node")
@Timeout(60)
class BuiltinFunctionsHttpTest {

  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = new TestNode();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  @DisplayName("primes counts the primes up to N")
  void primes() {
    JsonObject record = node.run(task("compute", "primes", new JsonObject().put("upTo", 1_000_000)));
    assertThat(record.getString("status")).isEqualTo("succeeded");
    assertThat(record.getJsonObject("result").getInteger("count")).isEqualTo(78498);
    assertThat(record.getString("node")).isEqualTo("test-node");
    assertThat(record.getInteger("attempts")).isEqualTo(1);
    assertThat(record.getDouble("progress")).isEqualTo(1.0);
    assertThat(record.getLong("finishedAt")).isGreaterThanOrEqualTo(record.getLong("startedAt"));
    assertThat(record.getLong("startedAt")).isGreaterThanOrEqualTo(record.getLong("submittedAt"));
  }

  @Test
  @DisplayName("sha256 hashes the text, then each later round hashes the previous digest")
  void sha256() throws Exception {
    JsonObject one = node.run(task("compute", "sha256", new JsonObject().put("text", "abc")));
    assertThat(one.getJsonObject("result").getString("hex"))
      .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    JsonObject three = node.run(task("compute", "sha256", new JsonObject().put("text", "abc").put("rounds", 3)));
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] digest = sha.digest("abc".getBytes(StandardCharsets.UTF_8));
    digest = sha.digest(digest);
    digest = sha.digest(digest);
    assertThat(three.getJsonObject("result").getString("hex")).isEqualTo(HexFormat.of().formatHex(digest));
  }

  @Test
  @DisplayName("pi estimates pi by Monte Carlo")
  void pi() {
    JsonObject record = node.run(task("compute", "pi", new JsonObject().put("samples", 2_000_000)));
    assertThat(record.getJsonObject("result").getDouble("estimate")).isCloseTo(Math.PI, within(0.02));
  }

  @Test
  @DisplayName("sleep sleeps and reports how long")
  void sleep() {
    JsonObject record = node.run(task("io_bound", "sleep", new JsonObject().put("ms", 50)));
    assertThat(record.getJsonObject("result").getInteger("sleptMs")).isEqualTo(50);
    assertThat(record.getLong("finishedAt") - record.getLong("startedAt")).isGreaterThanOrEqualTo(50);
  }

  @Test
  @DisplayName("wordcount lower-cases and splits on anything but letters and digits")
  void wordcount() {
    JsonObject record = node.run(task("data_processing", "wordcount", new JsonObject().put("text", "The cat, the HAT! cat2")));
    assertThat(record.getJsonObject("result").getJsonObject("counts").getMap())
      .containsOnly(entry("the", 2), entry("cat", 1), entry("hat", 1), entry("cat2", 1));
  }

  private static java.util.Map.Entry<String, Object> entry(String key, int value) {
    return java.util.Map.entry(key, value);
  }

  @Test
  @DisplayName("stats gives count, sum, mean, min, max and population stddev")
  void stats() {
    JsonObject result = node.run(task("data_processing", "stats", new JsonObject().put("values", new JsonArray("[1,2,3,4]"))))
      .getJsonObject("result");
    assertThat(result.getInteger("count")).isEqualTo(4);
    assertThat(result.getDouble("sum")).isEqualTo(10.0);
    assertThat(result.getDouble("mean")).isEqualTo(2.5);
    assertThat(result.getDouble("min")).isEqualTo(1.0);
    assertThat(result.getDouble("max")).isEqualTo(4.0);
    assertThat(result.getDouble("stddev")).isCloseTo(Math.sqrt(1.25), within(1e-9));
  }

  @Test
  @DisplayName("sort orders ascending and descending")
  void sort() {
    JsonObject asc = node.run(task("data_processing", "sort", new JsonObject().put("values", new JsonArray("[3,1,2]"))));
    assertThat(asc.getJsonObject("result").getJsonArray("values")).isEqualTo(new JsonArray("[1,2,3]"));
    JsonObject desc = node.run(task("data_processing", "sort",
      new JsonObject().put("values", new JsonArray("[3,1.5,2]")).put("order", "desc")));
    assertThat(desc.getJsonObject("result").getJsonArray("values")).isEqualTo(new JsonArray("[3,2,1.5]"));
  }

  @Test
  @DisplayName("linear-regression fits y = 2x + 1 and reports progress each epoch")
  void linearRegression() {
    JsonArray x = new JsonArray();
    JsonArray y = new JsonArray();
    for (int i = 0; i < 10; i++) {
      x.add(new JsonArray().add(i));
      y.add(2 * i + 1);
    }
    JsonObject record = node.run(task("ml_training", "linear-regression",
      new JsonObject().put("x", x).put("y", y).put("epochs", 2000).put("learningRate", 0.01)));
    JsonObject result = record.getJsonObject("result");
    assertThat(result.getJsonArray("weights").getDouble(0)).isCloseTo(2.0, within(0.05));
    assertThat(result.getDouble("bias")).isCloseTo(1.0, within(0.05));
    assertThat(result.getDouble("loss")).isLessThan(0.01);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(node.events).anySatisfy(e -> {
      assertThat(e.getString("event")).isEqualTo("task:progress");
      assertThat(e.getString("taskId")).isEqualTo(record.getString("id"));
    }));
  }

  @Test
  @DisplayName("echo returns its data unchanged, whatever the type")
  void echo() {
    JsonObject data = new JsonObject().put("nested", new JsonObject().put("list", new JsonArray("[1,\"two\",null]")));
    assertThat(node.run(task("io_bound", "echo", data)).getJsonObject("result")).isEqualTo(data);
    JsonObject text = node.run(new JsonObject().put("type", "compute")
      .put("payload", new JsonObject().put("function", "echo").put("data", "just text")));
    assertThat(text.getString("result")).isEqualTo("just text");
  }

  @Test
  @DisplayName("fail fails with HANDLER_ERROR and the given message")
  void fail() {
    JsonObject record = node.run(task("compute", "fail", new JsonObject().put("message", "boom")));
    assertThat(record.getString("status")).isEqualTo("failed");
    assertThat(record.getJsonObject("error").getString("code")).isEqualTo("HANDLER_ERROR");
    assertThat(record.getJsonObject("error").getString("message")).isEqualTo("boom");
    assertThat(record.containsKey("result")).isFalse();
  }
}
