package io.mastermind.balancer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Placement without scanning every node: the member nodes indexed by capability, function and free
 * resources, kept up to date as they change, so a choice costs about the same with ten nodes or ten
 * thousand. Pure and mutable; meant to be owned by the LoadBalancer verticle, which feeds it every
 * change of a node (allocation, release, join, leave, health) and asks it for one node per task.
 *
 * <p>It answers what {@link LoadBalancer#select} and {@link LoadBalancer#canEverPlace} answer over the
 * same nodes: a node is chosen only if it is eligible, has the capability equal to the request's type,
 * serves the request's function for that type ({@link NodeSnapshot#serves}) and has the cpu, memory and
 * gpu free ({@link NodeSnapshot#fits}); nothing is chosen exactly when no such node exists. Among those
 * the strategy of the same config name decides:
 * <ul>
 *   <li>{@code least-loaded}: the node {@link LeastLoadedStrategy} picks (lowest load, fewest running
 *       tasks, lowest id).</li>
 *   <li>{@code round-robin}: the node {@link RoundRobinStrategy} picks: the next fitting node in id order
 *       after the last one chosen for any request, wrapping around.</li>
 *   <li>{@code power-of-two}: as {@link PowerOfTwoChoicesStrategy}, two distinct fitting nodes drawn
 *       uniformly, the less loaded kept.</li>
 *   <li>{@code best-fit}: the fitting node with the least free cpu, then memory, then the lowest id (see
 *       {@link IndexedBestFit} for how that differs from {@link BestFitStrategy} across node sizes).</li>
 * </ul>
 *
 * <h2>Implementation notes</h2>
 * A <em>pool</em> is the set of nodes that may take requests of one (type, function): every capability
 * of a node paired with every function it serves for that capability, {@code "*"} included. A node
 * belongs to a few pools (its capabilities times its functions), fixed until its capabilities or
 * functions change; a request looks up its one pool with two hash lookups. Each pool keeps the
 * strategy's structure over its eligible nodes ({@link PoolSelector}): a segment tree of free-resource
 * maxima ({@link FreeCapacityTree}) for least-loaded, round-robin (leaves in id order: the ring) and
 * power-of-two; two ordered sets for best-fit. For {@link #canEverPlace} each pool counts its members by
 * capacity and keeps the capacities no other one covers.
 * <table>
 *   <caption>Costs, n the nodes of the request's pool, p the pools a node belongs to</caption>
 *   <tr><th>operation</th><th>least-loaded</th><th>round-robin</th><th>best-fit</th><th>power-of-two</th></tr>
 *   <tr><td>{@link #select}</td><td>O(log n) when the least loaded node fits; else more, by the less
 *       loaded nodes that do not fit</td><td>O(log n) when the maxima tell fitting subtrees</td>
 *       <td>O(log n + s), s the nodes with the cpu but not the memory</td><td>O(1) expected while a fair
 *       share fits; O(m log n) listing the m fitting ones after 32 misses</td></tr>
 *   <tr><td>{@link #upsert} changing free resources</td><td colspan="4">O(p log n): a leaf-to-root update in
 *       each tree (stopping early once nothing changes), a remove and an insert in best-fit's sets</td></tr>
 *   <tr><td>{@link #upsert} of a new node, {@link #remove}</td><td colspan="4">O(p log n); a join into a tree
 *       with no spare leaf (or, for round-robin, whose id sorts before the last) relays that tree out on
 *       its next choice, O(n log n) once for any number of joins</td></tr>
 *   <tr><td>{@link #canEverPlace}</td><td colspan="4">O(c), c the capacities in the pool that no other
 *       covers: one per machine shape</td></tr>
 * </table>
 * Worst cases stay linear (no fitting node in a long run of nodes that each miss on a different
 * resource), but they no longer grow with the nodes of other pools, nor with the number of requests.
 *
 * <p>Not thread-safe: one owner (a verticle's context) calls it.
 */
public final class PlacementIndex {

  private final String strategy;
  private final Supplier<PoolSelector> selectors;
  private final Map<String, IndexedNode> nodes = new HashMap<>();
  /** type to function to pool. */
  private final Map<String, Map<String, NodePool>> pools = new HashMap<>();
  private int[] freeOrdinals = new int[16];
  private int freeOrdinalCount;
  private int nextOrdinal;

  /** @param strategy a name of {@link LoadBalancer#STRATEGIES}; throws IllegalArgumentException otherwise */
  public PlacementIndex(String strategy) {
    this(strategy, new SplittableRandom());
  }

  /** @param random drives power-of-two's draws (seed it for reproducible choices) */
  public PlacementIndex(String strategy, RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    this.strategy = LoadBalancer.strategy(strategy).name(); // throws, naming the choices, for an unknown one
    this.selectors = switch (this.strategy) {
      case LeastLoadedStrategy.NAME -> IndexedLeastLoaded::new;
      case RoundRobinStrategy.NAME -> {
        IndexedRoundRobin.Turn turn = new IndexedRoundRobin.Turn();
        yield () -> new IndexedRoundRobin(turn);
      }
      case BestFitStrategy.NAME -> IndexedBestFit::new;
      case PowerOfTwoChoicesStrategy.NAME -> () -> new IndexedPowerOfTwo(random);
      default -> throw new IllegalArgumentException("no index for strategy " + strategy);
    };
  }

  /** The strategy's config name. */
  public String strategy() {
    return strategy;
  }

  /** Adds or updates an eligible node (a healthy member): {@code upsert(node, true)}. */
  public void upsert(NodeSnapshot node) {
    upsert(node, true);
  }

  /**
   * Adds a node or replaces what is known of it: after an allocation or release (free resources,
   * running tasks), a join, a change of health or of its declared capabilities and functions.
   *
   * @param eligible whether it may be chosen now; a member that may not (a suspect node) still counts
   *                 for {@link #canEverPlace}
   */
  public void upsert(NodeSnapshot node, boolean eligible) {
    Objects.requireNonNull(node, "node");
    IndexedNode known = nodes.get(node.nodeId());
    if (known == null || !sameMemberships(known.snapshot, node)) {
      if (known != null) {
        drop(known);
      }
      add(node, eligible);
      return;
    }
    boolean wasEligible = known.eligible;
    boolean capacityChanged = !known.capacity.equals(node.capacity());
    if (capacityChanged) {
      for (NodePool pool : known.pools) {
        pool.removeCapacity(known.capacity);
        pool.addCapacity(node.capacity());
      }
    }
    if (wasEligible && eligible) {
      for (NodePool pool : known.pools) {
        pool.selector.changing(known);
      }
      known.set(node);
      for (NodePool pool : known.pools) {
        pool.selector.changed(known);
      }
    } else if (wasEligible) {
      for (NodePool pool : known.pools) {
        pool.selector.removed(known);
      }
      known.eligible = false;
      known.set(node);
    } else {
      known.set(node);
      if (eligible) {
        known.eligible = true;
        for (NodePool pool : known.pools) {
          pool.selector.added(known);
        }
      }
    }
  }

  /** Forgets a node (it left or failed); false when it was not known. */
  public boolean remove(String nodeId) {
    IndexedNode known = nodes.get(nodeId);
    if (known == null) {
      return false;
    }
    drop(known);
    return true;
  }

  /**
   * The node to place the request on now, chosen by the strategy among the eligible nodes that fit,
   * or empty when none does. Does not reserve anything: the caller upserts the node with what is left.
   */
  public Optional<NodeSnapshot> select(PlacementRequest request) {
    NodePool pool = pool(request);
    IndexedNode chosen = pool == null ? null : pool.selector.select(request);
    return chosen == null ? Optional.empty() : Optional.of(chosen.snapshot);
  }

  /** True when some member, eligible or not, could run the request once idle. */
  public boolean canEverPlace(PlacementRequest request) {
    NodePool pool = pool(request);
    return pool != null && pool.couldHold(request.resources());
  }

  /** What is known of the node, or empty. */
  public Optional<NodeSnapshot> node(String nodeId) {
    IndexedNode known = nodes.get(nodeId);
    return known == null ? Optional.empty() : Optional.of(known.snapshot);
  }

  public boolean isEligible(String nodeId) {
    IndexedNode known = nodes.get(nodeId);
    return known != null && known.eligible;
  }

  /** The number of member nodes, eligible or not. */
  public int size() {
    return nodes.size();
  }

  // ---- internals --------------------------------------------------------------------------------

  private NodePool pool(PlacementRequest request) {
    Map<String, NodePool> byFunction = pools.get(request.type());
    return byFunction == null ? null : byFunction.get(request.function());
  }

  private static boolean sameMemberships(NodeSnapshot a, NodeSnapshot b) {
    return (a.capabilities() == b.capabilities() || a.capabilities().equals(b.capabilities()))
      && (a.functions() == b.functions() || a.functions().equals(b.functions()));
  }

  private void add(NodeSnapshot snapshot, boolean eligible) {
    IndexedNode node = new IndexedNode(takeOrdinal(), snapshot, eligible);
    List<NodePool> joined = new ArrayList<>();
    for (String type : snapshot.capabilities()) {
      for (Map.Entry<String, Set<String>> function : snapshot.functions().entrySet()) {
        Set<String> types = function.getValue();
        if (types.contains(type) || types.contains("*")) {
          joined.add(pools.computeIfAbsent(type, t -> new HashMap<>())
            .computeIfAbsent(function.getKey(), f -> new NodePool(type, f, selectors.get())));
        }
      }
    }
    node.pools = joined.toArray(new NodePool[0]);
    nodes.put(node.id, node);
    for (NodePool pool : node.pools) {
      pool.addCapacity(node.capacity);
      if (eligible) {
        pool.selector.added(node);
      }
    }
  }

  private void drop(IndexedNode node) {
    nodes.remove(node.id);
    for (NodePool pool : node.pools) {
      if (node.eligible) {
        pool.selector.removed(node);
      }
      pool.removeCapacity(node.capacity);
    }
    if (freeOrdinalCount == freeOrdinals.length) {
      freeOrdinals = Arrays.copyOf(freeOrdinals, freeOrdinalCount * 2);
    }
    freeOrdinals[freeOrdinalCount++] = node.ordinal;
  }

  private int takeOrdinal() {
    return freeOrdinalCount > 0 ? freeOrdinals[--freeOrdinalCount] : nextOrdinal++;
  }
}
