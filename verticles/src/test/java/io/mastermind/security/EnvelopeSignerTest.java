package io.mastermind.security;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("EnvelopeSigner signs with one key per node, derived from the cluster secret")
class EnvelopeSignerTest {

  private static final String SECRET = "correct horse battery staple";
  private static final byte[] DATA = "{\"type\":\"node_leave\",\"sender\":\"w1\"}".getBytes(StandardCharsets.UTF_8);

  private final EnvelopeSigner master = EnvelopeSigner.master(SECRET);

  @Test
  @DisplayName("a signature is 32 bytes, the HMAC-SHA256 of the data under the node's derived key")
  void hmacOfDerivedKey() throws Exception {
    byte[] mac = master.sign("w1", DATA);
    assertThat(mac).hasSize(EnvelopeSigner.MAC_LENGTH);
    javax.crypto.Mac reference = javax.crypto.Mac.getInstance("HmacSHA256");
    reference.init(new javax.crypto.spec.SecretKeySpec(HexFormat.of().parseHex(EnvelopeSigner.nodeKeyHex(SECRET, "w1")), "HmacSHA256"));
    assertThat(mac).isEqualTo(reference.doFinal(DATA));
  }

  @Test
  @DisplayName("the cluster secret verifies every node's signature; a changed byte, key id or secret does not verify")
  void verifies() {
    byte[] mac = master.sign("w1", DATA);
    assertThat(master.verify("w1", ByteBuffer.wrap(DATA), mac)).isTrue();
    assertThat(master.verify("w2", ByteBuffer.wrap(DATA), mac)).as("signed as w1, checked as w2").isFalse();
    for (int i = 0; i < DATA.length; i++) {
      byte[] changed = DATA.clone();
      changed[i] ^= 1;
      assertThat(master.verify("w1", ByteBuffer.wrap(changed), mac)).as("byte " + i).isFalse();
    }
    byte[] flipped = mac.clone();
    flipped[31] ^= (byte) 0x80;
    assertThat(master.verify("w1", ByteBuffer.wrap(DATA), flipped)).isFalse();
    assertThat(master.verify("w1", ByteBuffer.wrap(DATA), null)).isFalse();
    assertThat(master.verify("w1", ByteBuffer.wrap(DATA), new byte[3])).isFalse();
    assertThat(EnvelopeSigner.master(SECRET + "!").verify("w1", ByteBuffer.wrap(DATA), mac)).isFalse();
  }

  @Test
  @DisplayName("a node key signs and verifies as its own node only; the cluster secret verifies what it signs")
  void nodeKeyOnlyItself() {
    EnvelopeSigner w1 = EnvelopeSigner.node("w1", EnvelopeSigner.nodeKeyHex(SECRET, "w1"));
    assertThat(w1.canUse("w1")).isTrue();
    assertThat(w1.canUse("w2")).isFalse();
    assertThat(w1.holdsSecret()).isFalse();
    assertThat(w1.sign("w2", DATA)).as("cannot sign as another node").isNull();
    byte[] mac = w1.sign("w1", DATA);
    assertThat(master.verify("w1", ByteBuffer.wrap(DATA), mac)).isTrue();
    assertThat(w1.verify("w1", ByteBuffer.wrap(DATA), master.sign("w1", DATA))).isTrue();
    assertThat(w1.verify("w2", ByteBuffer.wrap(DATA), master.sign("w2", DATA))).as("cannot check another node's").isFalse();
  }

  @Test
  @DisplayName("node keys differ per node and per secret")
  void keysDiffer() {
    assertThat(EnvelopeSigner.nodeKeyHex(SECRET, "w1")).hasSize(64)
      .isNotEqualTo(EnvelopeSigner.nodeKeyHex(SECRET, "w2"))
      .isNotEqualTo(EnvelopeSigner.nodeKeyHex(SECRET + "x", "w1"));
  }

  @Test
  @DisplayName("signing reads the buffer from its position without moving it")
  void bufferUntouched() {
    ByteBuffer buffer = ByteBuffer.allocate(DATA.length + 4);
    buffer.put(new byte[] {9, 9}).put(DATA).put(new byte[] {7, 7}).flip();
    buffer.position(2).limit(2 + DATA.length);
    byte[] mac = master.sign("w1", buffer);
    assertThat(buffer.position()).isEqualTo(2);
    assertThat(mac).isEqualTo(master.sign("w1", DATA));
  }

  @Test
  @DisplayName("short secrets and malformed node keys are refused with the setting's name")
  void refusesWeakKeys() {
    assertThatThrownBy(() -> EnvelopeSigner.master("short")).hasMessageContaining("cluster.secret");
    assertThatThrownBy(() -> EnvelopeSigner.node("w1", "abc")).hasMessageContaining("cluster.nodeKey");
    assertThatThrownBy(() -> EnvelopeSigner.node("w1", "zz".repeat(32))).hasMessageContaining("cluster.nodeKey");
  }

  @Test
  @DisplayName("threads sign concurrently with their own Mac instances and agree")
  void threadSafe() throws Exception {
    byte[] expected = master.sign("w1", DATA);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(pool.submit(() -> {
          for (int i = 0; i < 2_000; i++) {
            if (!java.util.Arrays.equals(master.sign(i % 2 == 0 ? "w1" : "w2", DATA), i % 2 == 0 ? expected : master.sign("w2", DATA))) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
