package io.mastermind.resources;

import io.mastermind.resources.ReservationBook.Grant;
import io.mastermind.resources.ReservationBook.Key;
import io.mastermind.resources.ReservationBook.Load;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("ReservationBook reserves, prefetches or refuses each attempt and promotes prefetched tasks in order")
class ReservationBookTest {

  private static final Resources FOUR_CPU = new Resources(4, 8_192, 1);

  private ReservationBook book;

  @BeforeEach
  void setUp() {
    book = new ReservationBook();
    book.registerNode("n1", FOUR_CPU, 2);
  }

  private static Key key(String task) {
    return new Key(task, 1);
  }

  private static Resources cpu(double cores) {
    return new Resources(cores, 0, 0);
  }

  @Nested
  @DisplayName("reserve")
  class Reserve {

    @Test
    @DisplayName("an attempt that fits the node's free resources is RESERVED and takes them")
    void reservedWhenFits() {
      assertThat(book.reserve(key("a"), "n1", new Resources(3, 4_096, 1))).isEqualTo(Grant.RESERVED);

      Load load = book.load("n1");
      assertThat(load.free()).isEqualTo(new Resources(1, 4_096, 0));
      assertThat(load.capacity()).isEqualTo(FOUR_CPU);
      assertThat(load.held()).isEqualTo(1);
      assertThat(load.prefetched()).isZero();
      assertThat(book.nodeOf(key("a"))).isEqualTo("n1");
      assertThat(book.isHeld(key("a"))).isTrue();
      assertThat(book.size()).isEqualTo(1);
    }

    @Test
    @DisplayName("an attempt that does not fit now but could fit the node is PREFETCHED while prefetch room lasts")
    void prefetchedWhenRoom() {
      book.reserve(key("a"), "n1", cpu(4));

      assertThat(book.reserve(key("b"), "n1", cpu(1))).isEqualTo(Grant.PREFETCHED);
      assertThat(book.reserve(key("c"), "n1", cpu(4))).isEqualTo(Grant.PREFETCHED);
      assertThat(book.reserve(key("d"), "n1", cpu(1))).as("prefetch limit 2 reached").isEqualTo(Grant.REFUSED);

      Load load = book.load("n1");
      assertThat(load.free().cpu()).isZero();
      assertThat(load.held()).isEqualTo(3);
      assertThat(load.prefetched()).isEqualTo(2);
      assertThat(load.prefetchRoom()).isZero();
      assertThat(book.isHeld(key("d"))).isFalse();
      assertThat(book.size()).isEqualTo(3);
    }

    @Test
    @DisplayName("an attempt the node could never hold is REFUSED even with prefetch room")
    void refusedWhenCapacityTooSmall() {
      assertThat(book.reserve(key("big"), "n1", cpu(5))).isEqualTo(Grant.REFUSED);
      assertThat(book.reserve(key("gpus"), "n1", new Resources(1, 0, 2))).isEqualTo(Grant.REFUSED);
      assertThat(book.reserve(key("mem"), "n1", new Resources(1, 8_193, 0))).isEqualTo(Grant.REFUSED);

      assertThat(book.load("n1").held()).isZero();
      assertThat(book.size()).isZero();
    }

    @Test
    @DisplayName("an unknown node refuses, and a node with no prefetch limit never prefetches")
    void refusedUnknownOrNoPrefetch() {
      book.registerNode("strict", new Resources(1, 1_024, 0), 0);

      assertThat(book.reserve(key("a"), "ghost", cpu(1))).isEqualTo(Grant.REFUSED);
      assertThat(book.reserve(key("b"), "strict", cpu(1))).isEqualTo(Grant.RESERVED);
      assertThat(book.reserve(key("c"), "strict", cpu(1))).isEqualTo(Grant.REFUSED);
      assertThat(book.load("strict").prefetchRoom()).isZero();
    }

    @Test
    @DisplayName("a negative prefetch limit counts as none")
    void negativeLimit() {
      book.registerNode("n2", cpu(1), -5);

      assertThat(book.load("n2").prefetchLimit()).isZero();
      book.reserve(key("a"), "n2", cpu(1));
      assertThat(book.reserve(key("b"), "n2", cpu(1))).isEqualTo(Grant.REFUSED);
    }

    @Test
    @DisplayName("a repeat of the same (task, attempt) is a no-op answering what it holds")
    void repeatIsNoOp() {
      assertThat(book.reserve(key("a"), "n1", cpu(3))).isEqualTo(Grant.RESERVED);
      assertThat(book.reserve(key("b"), "n1", cpu(3))).isEqualTo(Grant.PREFETCHED);
      Load before = book.load("n1");

      assertThat(book.reserve(key("a"), "n1", cpu(3))).isEqualTo(Grant.RESERVED);
      assertThat(book.reserve(key("b"), "n1", cpu(3))).isEqualTo(Grant.PREFETCHED);
      assertThat(book.reserve(key("a"), "n1", cpu(0.5))).as("the amount of a repeat is ignored").isEqualTo(Grant.RESERVED);

      assertThat(book.load("n1")).isEqualTo(before);
      assertThat(book.size()).isEqualTo(2);
    }

    @Test
    @DisplayName("a repeat for another node is refused and leaves the attempt where it is")
    void repeatOnOtherNode() {
      book.registerNode("n2", FOUR_CPU, 2);
      book.reserve(key("a"), "n1", cpu(1));

      assertThat(book.reserve(key("a"), "n2", cpu(1))).isEqualTo(Grant.REFUSED);

      assertThat(book.nodeOf(key("a"))).isEqualTo("n1");
      assertThat(book.load("n2").held()).isZero();
      assertThat(book.load("n2").free()).isEqualTo(FOUR_CPU);
    }

    @Test
    @DisplayName("another attempt of the same task is a different reservation")
    void attemptsAreDistinct() {
      book.reserve(new Key("a", 1), "n1", cpu(1));

      assertThat(book.reserve(new Key("a", 2), "n1", cpu(1))).isEqualTo(Grant.RESERVED);
      assertThat(book.load("n1").free().cpu()).isEqualTo(2);
      assertThat(book.size()).isEqualTo(2);
    }

    @Test
    @DisplayName("a repeat after its prefetched attempt was promoted answers RESERVED")
    void repeatAfterPromotion() {
      book.reserve(key("a"), "n1", cpu(4));
      book.reserve(key("b"), "n1", cpu(2));
      book.release(key("a"));

      assertThat(book.reserve(key("b"), "n1", cpu(2))).isEqualTo(Grant.RESERVED);
    }

    @Test
    @DisplayName("a new reservation never overtakes prefetched ones on that node, even when it would fit")
    void noOvertaking() {
      book.reserve(key("a"), "n1", cpu(3));
      assertThat(book.reserve(key("b"), "n1", cpu(2))).isEqualTo(Grant.PREFETCHED);

      assertThat(book.checkAvailability("n1", cpu(1))).isTrue();
      assertThat(book.reserve(key("c"), "n1", cpu(1))).as("fits the free core but b waits first").isEqualTo(Grant.PREFETCHED);
      assertThat(book.load("n1").free().cpu()).isEqualTo(1);

      book.registerNode("n2", FOUR_CPU, 2);
      assertThat(book.reserve(key("d"), "n2", cpu(1))).as("another node has no queue").isEqualTo(Grant.RESERVED);
    }
  }

  @Nested
  @DisplayName("release")
  class Release {

    @Test
    @DisplayName("a release frees the reservation and answers the node; an unknown or repeated release is a no-op")
    void releaseFrees() {
      book.reserve(key("a"), "n1", new Resources(2, 1_024, 1));

      assertThat(book.release(key("a"))).isEqualTo("n1");
      assertThat(book.release(key("a"))).isNull();
      assertThat(book.release(key("never"))).isNull();

      Load load = book.load("n1");
      assertThat(load.free()).isEqualTo(FOUR_CPU);
      assertThat(load.held()).isZero();
      assertThat(book.isHeld(key("a"))).isFalse();
      assertThat(book.nodeOf(key("a"))).isNull();
    }

    @Test
    @DisplayName("a release promotes prefetched tasks first-in first-out while the head fits")
    void promotesFifo() {
      book.registerNode("n1", FOUR_CPU, 5);
      book.reserve(key("a"), "n1", cpu(4));
      book.reserve(key("b"), "n1", cpu(2));
      book.reserve(key("c"), "n1", cpu(1));
      book.reserve(key("d"), "n1", cpu(2));

      book.release(key("a"));

      assertThat(book.reserve(key("b"), "n1", cpu(2))).isEqualTo(Grant.RESERVED);
      assertThat(book.reserve(key("c"), "n1", cpu(1))).isEqualTo(Grant.RESERVED);
      assertThat(book.reserve(key("d"), "n1", cpu(2))).as("only one core left").isEqualTo(Grant.PREFETCHED);
      Load load = book.load("n1");
      assertThat(load.free().cpu()).isEqualTo(1);
      assertThat(load.prefetched()).isEqualTo(1);
      assertThat(load.held()).isEqualTo(3);
    }

    @Test
    @DisplayName("a head that does not fit holds back later prefetched tasks that would (head-of-line, as on the worker)")
    void headOfLine() {
      book.registerNode("n1", FOUR_CPU, 5);
      book.reserve(key("a"), "n1", cpu(2));
      book.reserve(key("b"), "n1", cpu(2));
      book.reserve(key("big"), "n1", cpu(3));
      book.reserve(key("small"), "n1", cpu(1));

      book.release(key("a"));

      assertThat(book.reserve(key("big"), "n1", cpu(3))).isEqualTo(Grant.PREFETCHED);
      assertThat(book.reserve(key("small"), "n1", cpu(1))).as("fits the 2 free cores, yet waits behind big")
        .isEqualTo(Grant.PREFETCHED);
      assertThat(book.load("n1").free().cpu()).isEqualTo(2);

      book.release(key("b"));

      assertThat(book.reserve(key("big"), "n1", cpu(3))).isEqualTo(Grant.RESERVED);
      assertThat(book.reserve(key("small"), "n1", cpu(1))).isEqualTo(Grant.RESERVED);
      assertThat(book.load("n1").free().cpu()).isZero();
      assertThat(book.load("n1").prefetched()).isZero();
    }

    @Test
    @DisplayName("releasing a prefetched head lets the next prefetched task start when it fits")
    void releasingPrefetchedHead() {
      book.registerNode("n1", FOUR_CPU, 5);
      book.reserve(key("a"), "n1", cpu(3));
      book.reserve(key("big"), "n1", cpu(3));
      book.reserve(key("small"), "n1", cpu(1));

      assertThat(book.release(key("big"))).isEqualTo("n1");

      assertThat(book.reserve(key("small"), "n1", cpu(1))).isEqualTo(Grant.RESERVED);
      assertThat(book.load("n1").free().cpu()).isZero();
      assertThat(book.load("n1").prefetched()).isZero();
      assertThat(book.load("n1").held()).isEqualTo(2);
    }

    @Test
    @DisplayName("releasing a prefetched task gives back prefetch room, not resources")
    void releasingPrefetchedGivesRoom() {
      book.reserve(key("a"), "n1", cpu(4));
      book.reserve(key("b"), "n1", cpu(4));
      book.reserve(key("c"), "n1", cpu(4));
      assertThat(book.load("n1").prefetchRoom()).isZero();

      book.release(key("c"));

      assertThat(book.load("n1").prefetchRoom()).isEqualTo(1);
      assertThat(book.load("n1").free().cpu()).isZero();
      assertThat(book.reserve(key("d"), "n1", cpu(1))).isEqualTo(Grant.PREFETCHED);
    }
  }

  @Nested
  @DisplayName("claim")
  class Claim {

    @Test
    @DisplayName("a claimed attempt that fits is reserved, even ahead of prefetched tasks (it already runs)")
    void claimReserves() {
      book.reserve(key("a"), "n1", cpu(2));
      book.reserve(key("b"), "n1", cpu(3));

      book.claim(key("running"), "n1", cpu(2));

      assertThat(book.reserve(key("running"), "n1", cpu(2))).isEqualTo(Grant.RESERVED);
      assertThat(book.load("n1").free().cpu()).isZero();
    }

    @Test
    @DisplayName("a claim holds past the prefetch limit and past capacity, because the node has it anyway")
    void claimPastLimits() {
      book.reserve(key("a"), "n1", cpu(4));
      book.reserve(key("p1"), "n1", cpu(1));
      book.reserve(key("p2"), "n1", cpu(1));

      book.claim(key("c1"), "n1", cpu(1));
      book.claim(key("huge"), "n1", cpu(16));

      Load load = book.load("n1");
      assertThat(load.prefetched()).isEqualTo(4);
      assertThat(load.prefetchLimit()).isEqualTo(2);
      assertThat(load.prefetchRoom()).isZero();
      assertThat(load.held()).isEqualTo(5);
      assertThat(book.reserve(key("huge"), "n1", cpu(16))).isEqualTo(Grant.PREFETCHED);
      assertThat(load.free().cpu()).as("reserved never exceeds capacity").isZero();
    }

    @Test
    @DisplayName("a claim of a held attempt or on an unknown node changes nothing")
    void claimNoOps() {
      book.reserve(key("a"), "n1", cpu(1));

      book.claim(key("a"), "n1", cpu(3));
      book.claim(key("x"), "ghost", cpu(1));

      assertThat(book.load("n1").free().cpu()).isEqualTo(3);
      assertThat(book.size()).isEqualTo(1);
      assertThat(book.isHeld(key("x"))).isFalse();
    }
  }

  @Nested
  @DisplayName("nodes")
  class NodesOfTheBook {

    @Test
    @DisplayName("removing a node drops everything it held, reserved and prefetched, and answers those attempts")
    void removeNodeDropsAll() {
      book.registerNode("n2", FOUR_CPU, 2);
      book.reserve(key("a"), "n1", cpu(4));
      book.reserve(key("b"), "n1", cpu(1));
      book.claim(key("c"), "n1", cpu(2));
      book.reserve(key("other"), "n2", cpu(1));

      assertThat(book.removeNode("n1")).containsExactlyInAnyOrder(key("a"), key("b"), key("c"));

      assertThat(book.hasNode("n1")).isFalse();
      assertThat(book.nodes()).containsExactly("n2");
      assertThat(book.isHeld(key("a"))).isFalse();
      assertThat(book.release(key("b"))).isNull();
      assertThat(book.size()).isEqualTo(1);
      assertThat(book.load("n1")).isEqualTo(new Load(Resources.ZERO, Resources.ZERO, 0, 0, 0));
      assertThat(book.checkAvailability("n1", cpu(0))).isFalse();
      assertThat(book.reserve(key("d"), "n1", cpu(1))).isEqualTo(Grant.REFUSED);
      assertThat(book.removeNode("n1")).isEmpty();
    }

    @Test
    @DisplayName("a node registered again starts empty after a removal")
    void reRegisterAfterRemoval() {
      book.reserve(key("a"), "n1", cpu(4));
      book.removeNode("n1");
      book.registerNode("n1", FOUR_CPU, 2);

      assertThat(book.load("n1").free()).isEqualTo(FOUR_CPU);
      assertThat(book.reserve(key("a"), "n1", cpu(4))).isEqualTo(Grant.RESERVED);
    }

    @Test
    @DisplayName("registering a known node again updates capacity and prefetch limit, keeping what it holds")
    void reRegisterKeepsHolds() {
      book.reserve(key("a"), "n1", cpu(2));
      book.reserve(key("b"), "n1", cpu(1));

      book.registerNode("n1", new Resources(8, 8_192, 1), 4);

      Load load = book.load("n1");
      assertThat(load.capacity().cpu()).isEqualTo(8);
      assertThat(load.free().cpu()).isEqualTo(5);
      assertThat(load.held()).isEqualTo(2);
      assertThat(load.prefetchLimit()).isEqualTo(4);
      assertThat(book.nodeOf(key("b"))).isEqualTo("n1");
    }

    @Test
    @DisplayName("checkAvailability answers whether an amount would be RESERVED on the node's free resources now")
    void availability() {
      book.reserve(key("a"), "n1", new Resources(3, 8_000, 0));

      assertThat(book.checkAvailability("n1", new Resources(1, 192, 1))).isTrue();
      assertThat(book.checkAvailability("n1", new Resources(1, 193, 0))).isFalse();
      assertThat(book.checkAvailability("n1", cpu(1.5))).isFalse();
      assertThat(book.checkAvailability("ghost", Resources.ZERO)).isFalse();
    }
  }

  @Test
  @DisplayName("with a prefetch window, a node that finishes tasks fast may prefetch more than the steady amount, up to what it advertised")
  void adaptivePrefetch() {
    long[] now = {0};
    ReservationBook adaptive = new ReservationBook(2, 20, () -> now[0]);
    adaptive.registerNode("n1", cpu(1), 64);
    assertThat(adaptive.load("n1").prefetchLimit()).isEqualTo(2);
    int n = 0;
    for (; now[0] < 500; now[0]++) { // one task per ms through a one-core node
      adaptive.reserve(key("t" + n), "n1", cpu(1));
      adaptive.release(key("t" + n++));
    }
    assertThat(adaptive.load("n1").prefetchLimit()).isBetween(15, 25);
    assertThat(adaptive.reserve(key("busy"), "n1", cpu(1))).isEqualTo(Grant.RESERVED);
    for (int i = 0; i < 15; i++) {
      assertThat(adaptive.reserve(key("p" + i), "n1", cpu(1))).isEqualTo(Grant.PREFETCHED);
    }
  }
}
