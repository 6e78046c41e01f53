package io.mastermind.worker.handlers;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DataProcessingHandlersTest {

  private final TestContext context = new TestContext();

  @Test
  void wordcountLowerCasesAndSplitsOnNonLetterOrDigit() throws Exception {
    JsonObject result = (JsonObject) new WordCountHandler().handle(
      new JsonObject().put("text", "The cat, the HAT! cat2 ünï"), context);

    assertThat(result).isEqualTo(new JsonObject().put("counts", new JsonObject()
      .put("the", 2).put("cat", 1).put("hat", 1).put("cat2", 1).put("ünï", 1)));
  }

  @Test
  void wordcountOfTextWithoutWordsIsEmpty() throws Exception {
    JsonObject result = (JsonObject) new WordCountHandler().handle(new JsonObject().put("text", " ,;! "), context);

    assertThat(result.getJsonObject("counts").isEmpty()).isTrue();
  }

  @Test
  void wordcountKeepsLettersOutsideTheBasicPlaneWhole() throws Exception {
    // U+10400 DESERET CAPITAL LONG I is a letter encoded as a surrogate pair; it lower-cases to U+10428.
    JsonObject result = (JsonObject) new WordCountHandler().handle(
      new JsonObject().put("text", "a\uD801\uDC00b-x"), context);

    assertThat(result.getJsonObject("counts").fieldNames()).containsExactly("a\uD801\uDC28b", "x");
  }

  @Test
  void statsSummarisesTheValues() throws Exception {
    JsonObject result = (JsonObject) new StatsHandler().handle(
      new JsonObject().put("values", new JsonArray().add(1).add(2).add(3).add(4)), context);

    assertThat(result.getValue("count")).isEqualTo(4);
    assertThat(result.getDouble("sum")).isEqualTo(10.0);
    assertThat(result.getDouble("mean")).isEqualTo(2.5);
    assertThat(result.getDouble("min")).isEqualTo(1.0);
    assertThat(result.getDouble("max")).isEqualTo(4.0);
    assertThat(result.getDouble("stddev")).isCloseTo(Math.sqrt(1.25), within(1e-12));
  }

  @Test
  void sortAscendingKeepsIntegersAsIntegers() throws Exception {
    JsonObject result = (JsonObject) new SortHandler().handle(
      new JsonObject().put("values", new JsonArray().add(3).add(1).add(2)), context);

    assertThat(result.encode()).isEqualTo("{\"values\":[1,2,3]}");
  }

  @Test
  void sortDescendingIgnoresTheCaseOfOrder() throws Exception {
    JsonObject result = (JsonObject) new SortHandler().handle(
      new JsonObject().put("values", new JsonArray().add(3).add(1).add(2)).put("order", "DESC"), context);

    assertThat(result.encode()).isEqualTo("{\"values\":[3,2,1]}");
  }

  @Test
  void sortOrdersMixedNumbersByExactValue() throws Exception {
    long big = (1L << 53) + 1; // not representable as a double: would tie with 2^53 if compared as doubles
    JsonArray values = new JsonArray().add(2.5).add(big).add(-1).add((double) (1L << 53)).add(0.0).add(-3L);

    JsonObject result = (JsonObject) new SortHandler().handle(
      new JsonObject().put("values", values).put("order", "asc"), context);

    assertThat(result.getJsonArray("values").getList())
      .containsExactly(-3L, -1, 0.0, 2.5, (double) (1L << 53), big);
  }
}
