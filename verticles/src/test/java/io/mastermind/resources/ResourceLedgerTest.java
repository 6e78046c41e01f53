package io.mastermind.resources;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("ResourceLedger reserves node resources without ever overcommitting")
class ResourceLedgerTest {

  private final ResourceLedger ledger = new ResourceLedger();

  @BeforeEach
  void nodes() {
    ledger.registerNode("n1", new Resources(4, 8192, 1));
    ledger.registerNode("n2", new Resources(2, 2048, 0));
  }

  @Test
  @DisplayName("a registered node starts with everything available")
  void registered() {
    assertThat(ledger.nodes()).containsExactlyInAnyOrder("n1", "n2");
    assertThat(ledger.hasNode("n1")).isTrue();
    assertThat(ledger.capacity("n1")).isEqualTo(new Resources(4, 8192, 1));
    assertThat(ledger.available("n1")).isEqualTo(new Resources(4, 8192, 1));
    assertThat(ledger.reservationCount()).isZero();
  }

  @Test
  @DisplayName("allocate reserves resources and returns a reservation id")
  void allocate() {
    Optional<String> id = ledger.allocate("n1", new Resources(1.5, 1000, 1));

    assertThat(id).isPresent();
    assertThat(ledger.available("n1")).isEqualTo(new Resources(2.5, 7192, 0));
    assertThat(ledger.available("n2")).isEqualTo(new Resources(2, 2048, 0));
    assertThat(ledger.reservationCount("n1")).isEqualTo(1);
    assertThat(ledger.reservationCount("n2")).isZero();
    assertThat(ledger.reservationCount()).isEqualTo(1);
  }

  @Test
  @DisplayName("reservation ids are unique")
  void uniqueIds() {
    String a = ledger.allocate("n1", new Resources(1, 0, 0)).orElseThrow();
    String b = ledger.allocate("n1", new Resources(1, 0, 0)).orElseThrow();
    String c = ledger.allocate("n2", new Resources(1, 0, 0)).orElseThrow();

    assertThat(List.of(a, b, c)).doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("a request that does not fit is refused and changes nothing")
  void refusesWhatDoesNotFit() {
    ledger.allocate("n2", new Resources(1.5, 0, 0)).orElseThrow();

    assertThat(ledger.checkAvailability("n2", new Resources(1, 0, 0))).isFalse();
    assertThat(ledger.allocate("n2", new Resources(1, 0, 0))).isEmpty();
    assertThat(ledger.allocate("n2", new Resources(0.5, 2049, 0))).isEmpty();
    assertThat(ledger.allocate("n2", new Resources(0.5, 0, 1))).isEmpty();
    assertThat(ledger.available("n2")).isEqualTo(new Resources(0.5, 2048, 0));
    assertThat(ledger.reservationCount("n2")).isEqualTo(1);
  }

  @Test
  @DisplayName("a node can be filled exactly, even when the cpu sum is not exact in binary")
  void exactFill() {
    ledger.registerNode("tiny", new Resources(0.3, 0, 0));

    assertThat(ledger.allocate("tiny", new Resources(0.1, 0, 0))).isPresent();
    assertThat(ledger.allocate("tiny", new Resources(0.2, 0, 0))).isPresent();
    assertThat(ledger.allocate("tiny", new Resources(0.1, 0, 0))).isEmpty();
    assertThat(ledger.available("tiny").cpu()).isBetween(0.0, 1e-9);
  }

  @Test
  @DisplayName("checkAvailability tells whether a request fits now")
  void checkAvailability() {
    assertThat(ledger.checkAvailability("n1", new Resources(4, 8192, 1))).isTrue();
    assertThat(ledger.checkAvailability("n1", new Resources(4.01, 0, 0))).isFalse();
    assertThat(ledger.checkAvailability("unknown", Resources.ZERO)).isFalse();
  }

  @Test
  @DisplayName("an unknown node allocates nothing and has nothing")
  void unknownNode() {
    assertThat(ledger.allocate("unknown", Resources.ZERO)).isEmpty();
    assertThat(ledger.capacity("unknown")).isEqualTo(Resources.ZERO);
    assertThat(ledger.available("unknown")).isEqualTo(Resources.ZERO);
    assertThat(ledger.hasNode("unknown")).isFalse();
  }

  @Test
  @DisplayName("release gives the resources back once; releasing twice returns false")
  void releaseOnce() {
    String id = ledger.allocate("n1", new Resources(3, 4096, 1)).orElseThrow();

    assertThat(ledger.release(id)).isTrue();
    assertThat(ledger.available("n1")).isEqualTo(new Resources(4, 8192, 1));
    assertThat(ledger.release(id)).isFalse();
    assertThat(ledger.available("n1")).isEqualTo(new Resources(4, 8192, 1));
    assertThat(ledger.reservationCount()).isZero();
  }

  @Test
  @DisplayName("releasing an unknown or null id returns false")
  void releaseUnknown() {
    assertThat(ledger.release("n1#999")).isFalse();
    assertThat(ledger.release(null)).isFalse();
  }

  @Test
  @DisplayName("removeNode drops the node and returns its reservations, which can no longer be released")
  void removeNode() {
    String a = ledger.allocate("n1", new Resources(1, 0, 0)).orElseThrow();
    String b = ledger.allocate("n1", new Resources(1, 0, 1)).orElseThrow();
    String other = ledger.allocate("n2", new Resources(1, 0, 0)).orElseThrow();

    assertThat(ledger.removeNode("n1")).containsExactlyInAnyOrder(a, b);
    assertThat(ledger.hasNode("n1")).isFalse();
    assertThat(ledger.nodes()).containsExactly("n2");
    assertThat(ledger.release(a)).isFalse();
    assertThat(ledger.release(b)).isFalse();
    assertThat(ledger.reservationCount()).isEqualTo(1);
    assertThat(ledger.release(other)).isTrue();
    assertThat(ledger.removeNode("n1")).isEmpty();
  }

  @Test
  @DisplayName("a node registered again after removal starts empty")
  void reRegisterAfterRemove() {
    ledger.allocate("n1", new Resources(4, 8192, 1)).orElseThrow();
    ledger.removeNode("n1");
    ledger.registerNode("n1", new Resources(4, 8192, 1));

    assertThat(ledger.available("n1")).isEqualTo(new Resources(4, 8192, 1));
    assertThat(ledger.reservationCount("n1")).isZero();
  }

  @Test
  @DisplayName("registering a node again changes its capacity and keeps what is reserved")
  void changeCapacity() {
    String id = ledger.allocate("n1", new Resources(3, 1000, 0)).orElseThrow();
    ledger.registerNode("n1", new Resources(8, 8192, 1));

    assertThat(ledger.available("n1")).isEqualTo(new Resources(5, 7192, 1));
    assertThat(ledger.release(id)).isTrue();
    assertThat(ledger.available("n1")).isEqualTo(new Resources(8, 8192, 1));
  }

  @Test
  @DisplayName("nodes() is a snapshot that cannot be modified")
  void nodesIsCopy() {
    var nodes = ledger.nodes();
    ledger.registerNode("n3", Resources.ZERO);

    assertThat(nodes).containsExactlyInAnyOrder("n1", "n2");
    assertThatThrownBy(() -> nodes.add("x")).isInstanceOf(UnsupportedOperationException.class);
  }
}
