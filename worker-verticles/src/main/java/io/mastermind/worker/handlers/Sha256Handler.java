package io.mastermind.worker.handlers;

import io.mastermind.protocol.BuiltinFunctions;
import io.mastermind.worker.spi.TaskContext;
import io.mastermind.worker.spi.TaskHandler;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;

/**
 * {@code sha256}: hashes the UTF-8 bytes of {@code text}, then re-hashes the raw 32-byte digest
 * {@code rounds - 1} more times, and returns the last digest as lowercase hex.
 */
public final class Sha256Handler implements TaskHandler {

  /** Rounds between cancellation checks: a few milliseconds of hashing. */
  private static final int ROUNDS_PER_CHECK = 1 << 16;

  @Override
  public String function() {
    return "sha256";
  }

  @Override
  public Set<String> types() {
    return Set.of("compute");
  }

  @Override
  public Object handle(Object data, TaskContext context) throws Exception {
    JsonObject object = HandlerData.object(data, function());
    String text = HandlerData.requireString(object, "text");
    long rounds = HandlerData.optLong(object, "rounds", 1, BuiltinFunctions.MAX_ROUNDS, 1);

    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    byte[] digest = sha256.digest(text.getBytes(StandardCharsets.UTF_8));
    for (long round = 2; round <= rounds; round++) {
      if (round % ROUNDS_PER_CHECK == 0) {
        context.checkCancelled();
        context.reportProgress(round / (double) rounds);
      }
      digest = sha256.digest(digest);
    }
    return new JsonObject().put("hex", HexFormat.of().formatHex(digest));
  }
}
