package io.mastermind.balancer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
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
 * A request of type t and function f may go to the nodes that have capability t and serve f for t
 * ({@code "*"} included): its <em>route</em>, found with two hash lookups. Nodes declaring the same
 * capabilities and functions (the same config) share a <em>profile</em>; a route is served by a set of
 * profiles, and routes served by the same set share one <em>pool</em> (a {@link NodePool}). So a node
 * declaring the ten built-in functions sits in one pool per capability, not in ten, and a change of
 * its free resources updates that few structures. Each pool keeps the strategy's structure over its
 * eligible members ({@link PoolSelector}): a segment tree of free-resource maxima
 * ({@link FreeCapacityTree}) for least-loaded (with the least loaded node of every subtree),
 * round-robin (leaves in id order: the ring) and power-of-two; two ordered sets for best-fit
 * ({@link IndexedBestFit}). For {@link #canEverPlace} each pool counts its members by capacity and keeps
 * the capacities no other one covers.
 * <table>
 *   <caption>Costs: n the eligible nodes in the request's pool, p the pools of the node that changes (its
 *   capabilities, often fewer), log n about 13 at 10,000 nodes</caption>
 *   <tr><th>operation</th><th>least-loaded</th><th>round-robin</th><th>best-fit</th><th>power-of-two</th></tr>
 *   <tr><td>{@link #select}</td><td>O(log n) when the least loaded node fits; more by the less loaded
 *       nodes that do not</td><td>O(log n) when the maxima of subtrees tell fitting from not</td>
 *       <td>O(log n + s), s the nodes with the cpu but not the memory</td><td>O(1) expected while a fair
 *       share fits; O(m log n) listing the m fitting ones after 32 misses</td></tr>
 *   <tr><td>{@link #upsert} changing free resources or running tasks</td><td colspan="4">O(p log n): a
 *       leaf-to-root update in each tree, stopping once nothing above changes; a remove and an insert in
 *       best-fit's sets. No set or map is compared when the snapshot carries the same capability set and
 *       function map instances as the last one</td></tr>
 *   <tr><td>{@link #upsert} of a new node, a change of eligibility, {@link #remove}</td><td colspan="4">
 *       O(p log n). A returning node takes back its old leaf; a join into a tree with no spare leaf (or, in
 *       id order, whose id sorts before the last) lays that tree out again on its next choice, O(n log n)
 *       once for any number of joins</td></tr>
 *   <tr><td>a never seen declaration</td><td colspan="4">O(routes + members of the new pools): its routes
 *       move to the pools of their new profile sets, filled from the profiles' members. Profiles are kept
 *       once seen</td></tr>
 *   <tr><td>{@link #canEverPlace}</td><td colspan="4">O(c), c the capacities in the pool that no other
 *       covers: about one per machine shape</td></tr>
 * </table>
 * Worst cases stay linear in n (a long run of nodes that each miss the request on a different
 * resource), but they no longer grow with the nodes of other pools, nor with the queue.
 *
 * <p>Not thread-safe: one owner (a verticle's context) calls it.
 */
public final class PlacementIndex {

  /** The (type, function) of requests: the profiles serving it and the pool of their nodes. */
  private static final class Route {
    BitSet profiles = new BitSet();
    NodePool pool;
  }

  private record Declaration(Set<String> capabilities, Map<String, Set<String>> functions) {
  }

  private final String strategy;
  private final Supplier<PoolSelector> selectors;
  private final Map<String, IndexedNode> nodes = new HashMap<>();
  private final Map<Declaration, Profile> profilesByDeclaration = new HashMap<>();
  private final List<Profile> profiles = new ArrayList<>();
  /** type to function to route. */
  private final Map<String, Map<String, Route>> routes = new HashMap<>();
  private final Map<BitSet, NodePool> poolsByProfiles = new HashMap<>();
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
    if (known == null || !sameDeclaration(known, node)) {
      if (known != null) {
        drop(known);
      }
      add(node, eligible);
      return;
    }
    NodePool[] pools = known.profile.pools;
    if (!known.capacity.equals(node.capacity())) {
      for (NodePool pool : pools) {
        pool.removeCapacity(known.capacity);
        pool.addCapacity(node.capacity());
      }
    }
    if (known.eligible && eligible) {
      for (NodePool pool : pools) {
        pool.selector.changing(known);
      }
      known.set(node);
      for (NodePool pool : pools) {
        pool.selector.changed(known);
      }
    } else if (known.eligible) {
      for (NodePool pool : pools) {
        pool.selector.removed(known);
      }
      known.eligible = false;
      known.set(node);
    } else {
      known.set(node);
      if (eligible) {
        known.eligible = true;
        for (NodePool pool : pools) {
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
    Map<String, Route> byFunction = routes.get(request.type());
    Route route = byFunction == null ? null : byFunction.get(request.function());
    return route == null ? null : route.pool;
  }

  /** Same capabilities and functions as before? Usually the very same instances: then no set is compared. */
  private static boolean sameDeclaration(IndexedNode known, NodeSnapshot next) {
    NodeSnapshot last = known.snapshot;
    return last.capabilities() == next.capabilities() && last.functions() == next.functions()
      || known.profile.declaredBy(next);
  }

  private void add(NodeSnapshot snapshot, boolean eligible) {
    Profile profile = profilesByDeclaration.get(new Declaration(snapshot.capabilities(), snapshot.functions()));
    if (profile == null) {
      profile = newProfile(snapshot);
    }
    IndexedNode node = new IndexedNode(takeOrdinal(), snapshot, eligible);
    node.profile = profile;
    profile.members.add(node);
    nodes.put(node.id, node);
    for (NodePool pool : profile.pools) {
      pool.addCapacity(node.capacity);
      if (eligible) {
        pool.selector.added(node);
      }
    }
  }

  private void drop(IndexedNode node) {
    nodes.remove(node.id);
    for (NodePool pool : node.profile.pools) {
      if (node.eligible) {
        pool.selector.removed(node);
      }
      pool.removeCapacity(node.capacity);
    }
    node.profile.members.remove(node);
    if (freeOrdinalCount == freeOrdinals.length) {
      freeOrdinals = Arrays.copyOf(freeOrdinals, freeOrdinalCount * 2);
    }
    freeOrdinals[freeOrdinalCount++] = node.ordinal;
  }

  private int takeOrdinal() {
    return freeOrdinalCount > 0 ? freeOrdinals[--freeOrdinalCount] : nextOrdinal++;
  }

  /**
   * A declaration never seen before: every route it serves now has one more profile, so moves to the
   * pool of its new set of profiles (made and filled here if none has that set yet); pools no route
   * leads to any more are dropped. Rare: profiles are as many as node configs, and are kept once seen.
   */
  private Profile newProfile(NodeSnapshot snapshot) {
    Profile profile = new Profile(profiles.size(), snapshot.capabilities(), snapshot.functions());
    profiles.add(profile);
    profilesByDeclaration.put(new Declaration(profile.capabilities, profile.functions), profile);
    for (String[] served : profile.serves) {
      Route route = routes.computeIfAbsent(served[0], type -> new HashMap<>())
        .computeIfAbsent(served[1], function -> new Route());
      BitSet next = (BitSet) route.profiles.clone();
      next.set(profile.id);
      NodePool previous = route.pool;
      route.profiles = next;
      route.pool = poolsByProfiles.computeIfAbsent(next, this::newPool);
      route.pool.routes++;
      if (previous != null && --previous.routes == 0) {
        poolsByProfiles.remove(previous.profiles);
      }
    }
    for (Profile each : profiles) {
      List<NodePool> pools = new ArrayList<>();
      for (String[] served : each.serves) {
        NodePool pool = routes.get(served[0]).get(served[1]).pool;
        if (!pools.contains(pool)) {
          pools.add(pool);
        }
      }
      each.pools = pools.toArray(new NodePool[0]);
    }
    return profile;
  }

  private NodePool newPool(BitSet members) {
    NodePool pool = new NodePool(members, selectors.get());
    for (int id = members.nextSetBit(0); id >= 0; id = members.nextSetBit(id + 1)) {
      for (IndexedNode node : profiles.get(id).members) {
        pool.addCapacity(node.capacity);
        if (node.eligible) {
          pool.selector.added(node);
        }
      }
    }
    return pool;
  }
}
