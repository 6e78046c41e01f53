package io.mastermind.resources;

import io.mastermind.resources.ReservationBook.Grant;
import io.mastermind.resources.ReservationBook.Key;
import io.mastermind.resources.ReservationBook.Load;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random reserve, claim and release sequences on two nodes. Independent of any model: reserved never
 * exceeds capacity and free + reserved == capacity. Against a small model of the javadoc's rules: every
 * grant, every node's load and where each attempt is held.
 */
@Label("ReservationBook properties")
class ReservationBookPropertyTest {

  private static final Map<String, Resources> CAPACITY = Map.of(
    "n1", new Resources(4, 4_096, 1),
    "n2", new Resources(2.5, 2_048, 0));
  private static final Map<String, Integer> LIMIT = Map.of("n1", 3, "n2", 1);
  private static final List<String> NODES = List.of("n1", "n2");

  sealed interface Op permits Reserve, Claim, Release {
  }

  record Reserve(Key key, String node, Resources amount) implements Op {
  }

  record Claim(Key key, String node, Resources amount) implements Op {
  }

  record Release(Key key) implements Op {
  }

  private static Arbitrary<Key> keys() {
    return Combinators.combine(Arbitraries.integers().between(0, 11), Arbitraries.integers().between(1, 2))
      .as((t, a) -> new Key("t" + t, a));
  }

  private static Arbitrary<Resources> amounts() {
    // halves of a core are exact in binary, so the model's sums need no tolerance; sometimes too big for n2
    Arbitrary<Double> cpu = Arbitraries.integers().between(0, 7).map(h -> h / 2.0);
    Arbitrary<Long> memory = Arbitraries.of(0L, 256L, 1_024L, 2_048L, 3_000L);
    Arbitrary<Integer> gpu = Arbitraries.frequency(Tuple.of(5, 0), Tuple.of(1, 1));
    return Combinators.combine(cpu, memory, gpu).as(Resources::new);
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<String> node = Arbitraries.of("n1", "n2", "ghost");
    Arbitrary<Op> reserve = Combinators.combine(keys(), node, amounts()).as(Reserve::new);
    Arbitrary<Op> claim = Combinators.combine(keys(), node, amounts()).as(Claim::new);
    Arbitrary<Op> release = keys().map(Release::new);
    return Arbitraries.frequencyOf(Tuple.of(6, reserve), Tuple.of(4, release), Tuple.of(1, claim)).list().ofMaxSize(80);
  }

  @Provide
  Arbitrary<List<Op>> reservesAndReleases() {
    return ops().map(list -> list.stream().filter(op -> !(op instanceof Claim)).toList());
  }

  /** The javadoc's rules, written plainly. */
  private static final class Model {
    record Hold(String node, Resources amount, boolean reserved) {
    }

    final Map<Key, Hold> holds = new HashMap<>();
    final Map<String, Resources> free = new HashMap<>(CAPACITY);
    final Map<String, ArrayDeque<Key>> queue = Map.of("n1", new ArrayDeque<>(), "n2", new ArrayDeque<>());

    Grant reserve(Key key, String node, Resources amount) {
      Hold existing = holds.get(key);
      if (existing != null) {
        return !existing.node().equals(node) ? Grant.REFUSED : existing.reserved() ? Grant.RESERVED : Grant.PREFETCHED;
      }
      if (!CAPACITY.containsKey(node)) {
        return Grant.REFUSED;
      }
      if (queue.get(node).isEmpty() && free.get(node).covers(amount)) {
        take(key, node, amount);
        return Grant.RESERVED;
      }
      if (queue.get(node).size() < LIMIT.get(node) && CAPACITY.get(node).covers(amount)) {
        queue.get(node).addLast(key);
        holds.put(key, new Hold(node, amount, false));
        return Grant.PREFETCHED;
      }
      return Grant.REFUSED;
    }

    void claim(Key key, String node, Resources amount) {
      if (holds.containsKey(key) || !CAPACITY.containsKey(node)) {
        return;
      }
      if (free.get(node).covers(amount)) {
        take(key, node, amount);
      } else {
        queue.get(node).addLast(key);
        holds.put(key, new Hold(node, amount, false));
      }
    }

    String release(Key key) {
      Hold hold = holds.remove(key);
      if (hold == null) {
        return null;
      }
      if (hold.reserved()) {
        free.put(hold.node(), free.get(hold.node()).plus(hold.amount()));
      } else {
        queue.get(hold.node()).remove(key);
      }
      ArrayDeque<Key> q = queue.get(hold.node());
      while (!q.isEmpty() && free.get(hold.node()).covers(holds.get(q.peekFirst()).amount())) {
        Key head = q.pollFirst();
        take(head, hold.node(), holds.get(head).amount());
      }
      return hold.node();
    }

    private void take(Key key, String node, Resources amount) {
      free.put(node, free.get(node).minus(amount));
      holds.put(key, new Hold(node, amount, true));
    }

    Resources reservedOn(String node) {
      return holds.values().stream().filter(h -> h.node().equals(node) && h.reserved()).map(Hold::amount)
        .reduce(Resources.ZERO, Resources::plus);
    }
  }

  @Property(tries = 250)
  @Label("reserved never exceeds capacity and prefetch never exceeds its limit over random reserve/release sequences")
  void neverOverCapacity(@ForAll("reservesAndReleases") List<Op> ops) {
    ReservationBook book = newBook();
    Map<Key, Resources> amounts = new HashMap<>();
    Map<Key, Grant> granted = new HashMap<>();
    for (Op op : ops) {
      if (op instanceof Reserve r) {
        Grant grant = book.reserve(r.key(), r.node(), r.amount());
        if (grant != Grant.REFUSED && !amounts.containsKey(r.key())) {
          amounts.put(r.key(), r.amount());
        }
        if (grant != Grant.REFUSED) {
          granted.put(r.key(), grant);
        }
      } else if (op instanceof Release rel) {
        String node = book.release(rel.key());
        assertThat(node != null).as("release of %s answers a node iff it was held", rel.key())
          .isEqualTo(amounts.remove(rel.key()) != null);
      }
      for (String node : NODES) {
        Load load = book.load(node);
        Resources capacity = CAPACITY.get(node);
        Resources reserved = amounts.entrySet().stream()
          .filter(e -> node.equals(book.nodeOf(e.getKey())) && book.reserve(e.getKey(), node, e.getValue()) == Grant.RESERVED)
          .map(Map.Entry::getValue).reduce(Resources.ZERO, Resources::plus);
        assertThat(capacity.covers(reserved)).as("%s holds %s reserved within %s", node, reserved, capacity).isTrue();
        assertThat(load.free().plus(reserved)).as("%s: free + reserved == capacity", node).isEqualTo(capacity);
        assertThat(load.prefetched()).isBetween(0, LIMIT.get(node));
        long heldHere = amounts.keySet().stream().filter(k -> node.equals(book.nodeOf(k))).count();
        assertThat(load.held()).isEqualTo((int) heldHere);
      }
      assertThat(book.size()).isEqualTo(amounts.size());
    }
  }

  @Property(tries = 250)
  @Label("every grant, load and holding matches the documented rules, claims included")
  void matchesTheRules(@ForAll("ops") List<Op> ops) {
    ReservationBook book = newBook();
    Model model = new Model();
    for (Op op : ops) {
      if (op instanceof Reserve r) {
        assertThat(book.reserve(r.key(), r.node(), r.amount())).as("%s", r)
          .isEqualTo(model.reserve(r.key(), r.node(), r.amount()));
      } else if (op instanceof Claim c) {
        book.claim(c.key(), c.node(), c.amount());
        model.claim(c.key(), c.node(), c.amount());
      } else if (op instanceof Release rel) {
        assertThat(book.release(rel.key())).as("%s", rel).isEqualTo(model.release(rel.key()));
      }
      for (String node : NODES) {
        Load load = book.load(node);
        Resources reserved = model.reservedOn(node);
        assertThat(CAPACITY.get(node).covers(reserved)).as("%s never reserves past capacity", node).isTrue();
        assertThat(load.free()).as("free on %s after %s", node, op).isEqualTo(model.free.get(node));
        assertThat(load.prefetched()).as("prefetched on %s after %s", node, op).isEqualTo(model.queue.get(node).size());
        assertThat(load.held()).isEqualTo((int) model.holds.values().stream().filter(h -> h.node().equals(node)).count());
        // head of line: whatever still waits, its head does not fit what is free
        Key head = model.queue.get(node).peekFirst();
        if (head != null) {
          assertThat(load.free().covers(model.holds.get(head).amount())).as("head %s on %s waits", head, node).isFalse();
        }
      }
      assertThat(book.size()).isEqualTo(model.holds.size());
      model.holds.forEach((key, hold) -> assertThat(book.nodeOf(key)).isEqualTo(hold.node()));
    }
    // releasing everything gives every node its whole capacity back
    for (Key key : List.copyOf(model.holds.keySet())) {
      assertThat(book.release(key)).isNotNull();
    }
    for (String node : NODES) {
      assertThat(book.load(node).free()).isEqualTo(CAPACITY.get(node));
      assertThat(book.load(node).held()).isZero();
      assertThat(book.load(node).prefetched()).isZero();
    }
  }

  private static ReservationBook newBook() {
    ReservationBook book = new ReservationBook();
    NODES.forEach(n -> book.registerNode(n, CAPACITY.get(n), LIMIT.get(n)));
    return book;
  }
}
