package io.mastermind.resources;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The leader's resource book: the {@link ResourceLedger} of each node plus what each node holds beyond
 * its free resources ({@code prefetch}: tasks handed over early that wait in the worker's own queue).
 * Reservations are keyed by (task id, attempt), so a repeated reserve or release is a no-op.
 *
 * <p>Implementation notes. A task is {@link Grant#RESERVED} when its requirements fit the node's free
 * resources now, else {@link Grant#PREFETCHED} when the node could ever hold it and has prefetch room,
 * else {@link Grant#REFUSED}. A release frees the task's reservation, then promotes the node's
 * prefetched tasks first-in first-out while the head fits: the same order in which the worker's own
 * gate starts them, so the two books agree on what runs. Reserved resources never exceed capacity.
 *
 * <p>Pure and not thread-safe: the resource verticle owns it.
 */
public final class ReservationBook {

  public enum Grant { RESERVED, PREFETCHED, REFUSED }

  /** One attempt of one task. */
  public record Key(String taskId, int attempt) {
  }

  /** What a node has now: free resources, tasks held (reserved plus prefetched), and prefetch room. */
  public record Load(Resources capacity, Resources free, int held, int prefetched, int prefetchLimit) {

    public int prefetchRoom() {
      return Math.max(0, prefetchLimit - prefetched);
    }
  }

  private static final class Hold {
    final String nodeId;
    final Resources amount;
    String ledgerId; // null while prefetched

    Hold(String nodeId, Resources amount) {
      this.nodeId = nodeId;
      this.amount = amount;
    }
  }

  private static final class NodeBook {
    PrefetchWindow window;
    int advertised = -1;
    int held;
    final ArrayDeque<Key> prefetched = new ArrayDeque<>();
  }

  /** Prefetch a node gets whatever its rate, when it advertised at least that much. */
  public static final int STEADY_PREFETCH = 16;

  private final ResourceLedger ledger = new ResourceLedger();
  private final int steadyPrefetch;
  private final long prefetchWindowMs;
  private final LongSupplier clockMs;
  private final Map<Key, Hold> holds = new HashMap<>();
  private final Map<String, NodeBook> nodes = new LinkedHashMap<>();

  /** A book whose prefetch limits stay at what each node advertised (no adaptive window). */
  public ReservationBook() {
    this(Integer.MAX_VALUE, 0, () -> 0L);
  }

  /**
   * A book that lets each node prefetch at least {@code min(steadyPrefetch, advertised)} tasks and up to
   * what it advertised, as much as it finishes in {@code prefetchWindowMs} ({@link PrefetchWindow}).
   */
  public ReservationBook(int steadyPrefetch, long prefetchWindowMs, LongSupplier clockMs) {
    this.steadyPrefetch = steadyPrefetch;
    this.prefetchWindowMs = prefetchWindowMs;
    this.clockMs = clockMs;
  }

  /** Adds a node (or updates its capacity and the prefetch it advertised, keeping what it holds). */
  public void registerNode(String nodeId, Resources capacity, int advertisedPrefetch) {
    ledger.registerNode(nodeId, capacity);
    NodeBook book = nodes.computeIfAbsent(nodeId, id -> new NodeBook());
    int advertised = Math.max(0, advertisedPrefetch);
    if (book.advertised != advertised) {
      book.advertised = advertised;
      book.window = new PrefetchWindow(Math.min(steadyPrefetch, advertised), advertised, prefetchWindowMs);
    }
  }

  public boolean hasNode(String nodeId) {
    return nodes.containsKey(nodeId);
  }

  public Set<String> nodes() {
    return nodes.keySet();
  }

  /** Drops a node and everything it held; returns the attempts dropped. */
  public List<Key> removeNode(String nodeId) {
    NodeBook book = nodes.remove(nodeId);
    ledger.removeNode(nodeId);
    List<Key> dropped = new ArrayList<>();
    if (book != null) {
      holds.entrySet().removeIf(e -> {
        boolean onNode = e.getValue().nodeId.equals(nodeId);
        if (onNode) {
          dropped.add(e.getKey());
        }
        return onNode;
      });
    }
    return dropped;
  }

  /** Could the node hold this amount now, reserved? */
  public boolean checkAvailability(String nodeId, Resources amount) {
    return ledger.checkAvailability(nodeId, amount);
  }

  /** Reserves or prefetches one attempt on a node; a repeat of the same key answers what it holds. */
  public Grant reserve(Key key, String nodeId, Resources amount) {
    Hold existing = holds.get(key);
    if (existing != null) {
      return !existing.nodeId.equals(nodeId) ? Grant.REFUSED
        : existing.ledgerId != null ? Grant.RESERVED : Grant.PREFETCHED;
    }
    NodeBook book = nodes.get(nodeId);
    if (book == null) {
      return Grant.REFUSED;
    }
    Hold hold = new Hold(nodeId, amount);
    if (book.prefetched.isEmpty()) { // never overtake tasks already waiting on that node
      hold.ledgerId = ledger.allocate(nodeId, amount).orElse(null);
    }
    if (hold.ledgerId == null) {
      if (book.prefetched.size() >= book.window.limit() || !ledger.capacity(nodeId).covers(amount)) {
        return Grant.REFUSED;
      }
      book.prefetched.addLast(key);
    }
    holds.put(key, hold);
    book.held++;
    return hold.ledgerId != null ? Grant.RESERVED : Grant.PREFETCHED;
  }

  /**
   * Accounts for an attempt a node already runs (claimed back after a takeover): reserved when it fits,
   * else held as prefetched even past the limit, because it is there whether it fits or not.
   */
  public void claim(Key key, String nodeId, Resources amount) {
    if (holds.containsKey(key) || !nodes.containsKey(nodeId)) {
      return;
    }
    Hold hold = new Hold(nodeId, amount);
    hold.ledgerId = ledger.allocate(nodeId, amount).orElse(null);
    NodeBook book = nodes.get(nodeId);
    if (hold.ledgerId == null) {
      book.prefetched.addLast(key);
    }
    holds.put(key, hold);
    book.held++;
  }

  /** Frees one attempt (no-op when unknown); returns the node it was on, or null. */
  public String release(Key key) {
    Hold hold = holds.remove(key);
    if (hold == null) {
      return null;
    }
    NodeBook book = nodes.get(hold.nodeId);
    if (hold.ledgerId != null) {
      ledger.release(hold.ledgerId);
    } else if (book != null) {
      book.prefetched.remove(key);
    }
    if (book != null) {
      book.held--;
      book.window.finished(1, clockMs.getAsLong());
      promote(hold.nodeId, book);
    }
    return hold.nodeId;
  }

  private void promote(String nodeId, NodeBook book) {
    Iterator<Key> it = book.prefetched.iterator();
    while (it.hasNext()) {
      Key next = it.next();
      Hold hold = holds.get(next);
      String id = ledger.allocate(nodeId, hold.amount).orElse(null);
      if (id == null) {
        return; // head of line: later tasks wait behind it, as on the worker
      }
      hold.ledgerId = id;
      it.remove();
    }
  }

  /** The node an attempt is held on, or null. */
  public String nodeOf(Key key) {
    Hold hold = holds.get(key);
    return hold == null ? null : hold.nodeId;
  }

  public boolean isHeld(Key key) {
    return holds.containsKey(key);
  }

  public Load load(String nodeId) {
    NodeBook book = nodes.get(nodeId);
    if (book == null) {
      return new Load(Resources.ZERO, Resources.ZERO, 0, 0, 0);
    }
    return new Load(ledger.capacity(nodeId), ledger.available(nodeId), book.held, book.prefetched.size(),
      book.window.limit());
  }

  /** Attempts held in total, for the leader's gauges. */
  public int size() {
    return holds.size();
  }
}
