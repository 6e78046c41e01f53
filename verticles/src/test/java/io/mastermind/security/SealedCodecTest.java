package io.mastermind.security;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("SealedCodec signs a message on the way out and judges it on the way in")
class SealedCodecTest {

  private static final String SECRET = "a cluster secret of some length";
  private static final long SKEW = 30_000;

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final SealedCodec leader = new SealedCodec(EnvelopeSigner.master(SECRET), SKEW, clock::get);

  private static Sealed message(String sender, String kid, long timestamp) {
    return new Sealed("result_update", sender, "coordinator", kid,
      new JsonObject().put("updates", new io.vertx.core.json.JsonArray().add(new JsonObject().put("taskId", "t1"))),
      timestamp, 77, 0, null, Verdict.LOCAL);
  }

  private static Buffer wire(SealedCodec codec, Sealed sealed) {
    Buffer buffer = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(buffer, sealed);
    return buffer;
  }

  private Sealed roundTrip(SealedCodec from, SealedCodec to, Sealed sealed) {
    return to.decodeFromWire("prefix".length(), wire(from, sealed));
  }

  @Test
  @DisplayName("a signed message arrives VALID with every field as sent; inside the JVM it is LOCAL, copied unless handed over")
  void valid() {
    Sealed sent = message("w1", "w1", clock.get());
    Sealed got = roundTrip(new SealedCodec(EnvelopeSigner.node("w1", EnvelopeSigner.nodeKeyHex(SECRET, "w1")), SKEW, clock::get),
      leader, sent);
    assertThat(got.verdict()).isEqualTo(Verdict.VALID);
    assertThat(got.withVerdict(Verdict.LOCAL)).isEqualTo(sent);
    Sealed local = leader.transform(sent);
    assertThat(local.verdict()).isEqualTo(Verdict.LOCAL);
    assertThat(local.payload()).isEqualTo(sent.payload()).isNotSameAs(sent.payload());
    assertThat(leader.transform(sent.toHandOver()).payload()).as("handed over: not copied").isSameAs(sent.payload());
  }

  @Test
  @DisplayName("a reply's nonce and headers travel inside what is signed")
  void replyFields() {
    Sealed reply = new Sealed(Sealed.REPLY, "c1", "w1", "w1", new JsonObject().put("ok", true), clock.get(), 5, 77,
      new JsonObject().put("existing", "true"), Verdict.LOCAL);
    Sealed got = roundTrip(leader, leader, reply);
    assertThat(got.verdict()).isEqualTo(Verdict.VALID);
    assertThat(got.re()).isEqualTo(77);
    assertThat(got.headers().getString("existing")).isEqualTo("true");
  }

  @Test
  @DisplayName("a wrong secret, a changed byte or a swapped key id give BAD_SIGNATURE")
  void badSignature() {
    SealedCodec outsider = new SealedCodec(EnvelopeSigner.master("another secret entirely"), SKEW, clock::get);
    assertThat(roundTrip(outsider, leader, message("w1", "w1", clock.get())).verdict()).isEqualTo(Verdict.BAD_SIGNATURE);

    Buffer bytes = wire(leader, message("w1", "w1", clock.get()));
    String text = bytes.toString();
    int at = text.indexOf("t1");
    bytes.setByte(at, (byte) 'T');
    assertThat(leader.decodeFromWire("prefix".length(), bytes).verdict()).isEqualTo(Verdict.BAD_SIGNATURE);

    Buffer swapped = wire(leader, message("w1", "w1", clock.get()));
    int kidAt = "prefix".length() + 4;
    swapped.setByte(kidAt + 1, (byte) '2'); // "w1" -> "w2": another key checks it
    Sealed got = leader.decodeFromWire("prefix".length(), swapped);
    assertThat(got.verdict()).isEqualTo(Verdict.BAD_SIGNATURE);
    assertThat(got.sender()).as("what it claims is still readable for the alert").isEqualTo("w1");
  }

  @Test
  @DisplayName("a message without a key, or for a key this node lacks, is UNSIGNED or UNKNOWN_KEY")
  void unsignedAndUnknown() {
    SealedCodec plain = new SealedCodec(null, SKEW, clock::get);
    assertThat(roundTrip(plain, leader, message("w1", "w1", clock.get())).verdict()).isEqualTo(Verdict.UNSIGNED);
    assertThat(roundTrip(leader, leader, message("w1", null, clock.get())).verdict()).isEqualTo(Verdict.UNSIGNED);
    SealedCodec w2 = new SealedCodec(EnvelopeSigner.node("w2", EnvelopeSigner.nodeKeyHex(SECRET, "w2")), SKEW, clock::get);
    assertThat(roundTrip(w2, w2, message("w2", "w2", clock.get())).verdict()).isEqualTo(Verdict.VALID);
    assertThat(roundTrip(leader, w2, message("w1", "w1", clock.get())).verdict()).isEqualTo(Verdict.UNKNOWN_KEY);
    assertThat(roundTrip(leader, plain, message("w1", "w1", clock.get())).verdict())
      .as("a node that does not sign takes it unchecked").isEqualTo(Verdict.UNCHECKED);
  }

  @Test
  @DisplayName("a signed message stamped outside the skew is STALE")
  void stale() {
    assertThat(roundTrip(leader, leader, message("w1", "w1", clock.get() - SKEW - 1)).verdict()).isEqualTo(Verdict.STALE);
    assertThat(roundTrip(leader, leader, message("w1", "w1", clock.get() + SKEW)).verdict()).isEqualTo(Verdict.VALID);
  }

  @Test
  @DisplayName("garbage decodes as MALFORMED instead of throwing")
  void malformed() {
    assertThat(leader.decodeFromWire(0, Buffer.buffer().appendInt(1000)).verdict()).isEqualTo(Verdict.MALFORMED);
    Buffer notJson = Buffer.buffer().appendInt(2).appendString("w1").appendInt(3).appendString("{{{").appendByte((byte) 0);
    assertThat(leader.decodeFromWire(0, notJson).verdict()).isEqualTo(Verdict.MALFORMED);
  }
}
