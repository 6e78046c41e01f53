package io.mastermind.worker.handlers;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ComputeHandlersTest {

  private final TestContext context = new TestContext();

  @ParameterizedTest
  @CsvSource({"0, 0", "1, 0", "2, 1", "3, 2", "10, 4", "100, 25", "1000000, 78498", "10000000, 664579"})
  void primesCountsPrimesUpToTheLimit(long upTo, long expected) throws Exception {
    Object result = new PrimesHandler().handle(new JsonObject().put("upTo", upTo), context);

    assertThat(result).isEqualTo(new JsonObject().put("count", expected));
  }

  @Test
  void primesAcrossSegmentBoundariesMatchesAPlainSieve() throws Exception {
    // Spans three sieve segments, so composites and primes near the boundaries are counted exactly once.
    int upTo = 1_500_000;
    boolean[] composite = new boolean[upTo + 1];
    long expected = 0;
    for (int n = 2; n <= upTo; n++) {
      if (!composite[n]) {
        expected++;
        for (long m = (long) n * n; m <= upTo; m += n) {
          composite[(int) m] = true;
        }
      }
    }

    JsonObject result = (JsonObject) new PrimesHandler().handle(new JsonObject().put("upTo", upTo), context);

    assertThat(result.getLong("count")).isEqualTo(expected);
    assertThat(context.progress()).isNotEmpty().last().isEqualTo(1.0);
  }

  @Test
  void primesStopsWhenCancelled() {
    context.cancel();

    assertThatThrownBy(() -> new PrimesHandler().handle(new JsonObject().put("upTo", 100_000_000), context))
      .isInstanceOf(InterruptedException.class);
  }

  @Test
  void sha256OfAbcIsTheKnownVector() throws Exception {
    Object result = new Sha256Handler().handle(new JsonObject().put("text", "abc").put("rounds", 1), context);

    assertThat(result).isEqualTo(
      new JsonObject().put("hex", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  }

  @Test
  void sha256RoundsDefaultToOne() throws Exception {
    JsonObject result = (JsonObject) new Sha256Handler().handle(new JsonObject().put("text", "abc"), context);

    assertThat(result.getString("hex")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void sha256LaterRoundsHashTheRawDigest() throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    byte[] once = sha256.digest("abc".getBytes(StandardCharsets.UTF_8));
    String expected = HexFormat.of().formatHex(sha256.digest(once));

    JsonObject result = (JsonObject) new Sha256Handler().handle(new JsonObject().put("text", "abc").put("rounds", 2), context);

    assertThat(result.getString("hex")).isEqualTo(expected);
  }

  @Test
  void piEstimateIsCloseToPi() throws Exception {
    JsonObject result = (JsonObject) new PiHandler().handle(new JsonObject().put("samples", 1_000_000), context);

    assertThat(result.getDouble("estimate")).isCloseTo(Math.PI, within(0.05));
    assertThat(context.progress()).isNotEmpty().last().isEqualTo(1.0);
  }
}
