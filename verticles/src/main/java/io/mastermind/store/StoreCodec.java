package io.mastermind.store;

import io.mastermind.protocol.TaskRecord;
import io.vertx.core.json.JsonObject;

/** The stored text of a record: its store JSON stamped with the epoch of the leader that wrote it. */
public final class StoreCodec {

  static final String EPOCH = "epoch";

  private StoreCodec() {
  }

  public static String encode(TaskRecord record, long epoch) {
    return record.toStoreJson().put(EPOCH, epoch).encode();
  }

  /** One stored value read back, with the epoch that wrote it. */
  public record Decoded(TaskRecord record, long epoch) {
  }

  /** Decodes one stored value; throws on anything that is not a valid record. */
  public static Decoded decode(String text) {
    JsonObject json = new JsonObject(text);
    return new Decoded(TaskRecord.fromStoreJson(json), json.getLong(EPOCH, 0L));
  }
}
