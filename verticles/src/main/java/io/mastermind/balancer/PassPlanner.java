package io.mastermind.balancer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The load balancer's view of the nodes and its plan for one scheduling pass. Each node is known by a
 * {@link NodeSnapshot} (capabilities, functions, capacity, what is free, tasks held) plus how many
 * tasks it holds beyond its free resources ({@code prefetched}) and may hold ({@code prefetchLimit}).
 *
 * <p>Implementation notes. For each task of a pass, in order: the configured strategy picks among the
 * eligible nodes where it fits now; failing that, the eligible node that could hold it with the fewest
 * prefetched tasks takes it as prefetch; failing that it is blocked, and every later task of the same
 * shape (type, function, resources) in the pass is blocked without looking again, so a pass costs in
 * proportion to the shapes it meets, not to the backlog. Choices update the view tentatively; the
 * resource verticle's answer and its next published views are the truth.
 *
 * <p>{@link #room()}: one-core slots free plus prefetch room over eligible nodes, kept incrementally;
 * 0 tells the coordinator not to run passes until capacity frees. Pure and not thread-safe.
 */
public final class PassPlanner {

  /** One node as the planner sees it. */
  public record Node(NodeSnapshot snapshot, boolean eligible, int prefetched, int prefetchLimit) {

    int room() {
      if (!eligible) {
        return 0;
      }
      return (int) Math.ceil(Math.max(0, snapshot.free().cpu()) - 1e-9) + Math.max(0, prefetchLimit - prefetched);
    }
  }

  /** One task of a pass. */
  public record Task(String taskId, PlacementRequest request) {
  }

  /** Where a task goes: reserved on the node now, or prefetched there. */
  public record Decision(String taskId, String nodeId, boolean prefetched) {
  }

  public record Plan(List<Decision> decisions, Map<String, Blocked> blocked) {
  }

  /** Chooses among eligible nodes where a request fits now. */
  private interface Chooser {
    void upsert(NodeSnapshot node, boolean eligible);

    void remove(String nodeId);

    Optional<NodeSnapshot> select(PlacementRequest request);
  }

  /** A named strategy over the {@link PlacementIndex}: cost does not grow with the node count. */
  private static Chooser indexed(String strategy) {
    PlacementIndex index = new PlacementIndex(strategy);
    return new Chooser() {
      @Override
      public void upsert(NodeSnapshot node, boolean eligible) {
        index.upsert(node, eligible);
      }

      @Override
      public void remove(String nodeId) {
        index.remove(nodeId);
      }

      @Override
      public Optional<NodeSnapshot> select(PlacementRequest request) {
        return index.select(request);
      }
    };
  }

  /** Any {@link LoadBalancingStrategy} (a custom one too) over a linear filter of the eligible nodes. */
  private static Chooser linear(LoadBalancer balancer) {
    Map<String, NodeSnapshot> eligible = new LinkedHashMap<>();
    return new Chooser() {
      @Override
      public void upsert(NodeSnapshot node, boolean isEligible) {
        if (isEligible) {
          eligible.put(node.nodeId(), node);
        } else {
          eligible.remove(node.nodeId());
        }
      }

      @Override
      public void remove(String nodeId) {
        eligible.remove(nodeId);
      }

      @Override
      public Optional<NodeSnapshot> select(PlacementRequest request) {
        return balancer.select(eligible.values(), request);
      }
    };
  }

  private final Chooser index;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  /** Eligible nodes with prefetch room: the fallback when nothing fits now (small: full nodes leave it). */
  private final Map<String, Node> prefetchable = new LinkedHashMap<>();
  private int room;

  /** @param strategy one of {@link LoadBalancer#STRATEGIES}, chosen through the {@link PlacementIndex} */
  public PassPlanner(String strategy) {
    this.index = indexed(strategy);
  }

  /** Any strategy, a custom one too, choosing with a linear filter of the eligible nodes. */
  public PassPlanner(LoadBalancer balancer) {
    this.index = linear(balancer);
  }

  public void put(Node node) {
    String id = node.snapshot().nodeId();
    Node old = nodes.put(id, node);
    room += node.room() - (old == null ? 0 : old.room());
    index.upsert(node.snapshot(), node.eligible());
    if (node.eligible() && node.prefetched() < node.prefetchLimit()) {
      prefetchable.put(id, node);
    } else {
      prefetchable.remove(id);
    }
  }

  public void remove(String nodeId) {
    Node old = nodes.remove(nodeId);
    if (old != null) {
      room -= old.room();
    }
    index.remove(nodeId);
    prefetchable.remove(nodeId);
  }

  public Optional<Node> get(String nodeId) {
    return Optional.ofNullable(nodes.get(nodeId));
  }

  public int room() {
    return room;
  }

  public int size() {
    return nodes.size();
  }

  /**
   * An attempt ended on a node: as the resource book will, its slot goes to the node's oldest prefetched
   * task if it has one, else its resources are free again. Tentative, like decisions.
   */
  public void released(String nodeId, io.mastermind.resources.Resources amount) {
    Node node = nodes.get(nodeId);
    if (node == null) {
      return;
    }
    NodeSnapshot s = node.snapshot();
    boolean promotes = node.prefetched() > 0;
    NodeSnapshot updated = new NodeSnapshot(s.nodeId(), s.capabilities(), s.functions(), s.capacity(),
      promotes ? s.free() : s.free().plus(amount).min(s.capacity()), Math.max(0, s.runningTasks() - 1));
    put(new Node(updated, node.eligible(), promotes ? node.prefetched() - 1 : 0, node.prefetchLimit()));
  }

  /** Plans a pass; the view is updated as if every decision were granted. */
  public Plan plan(List<Task> tasks) {
    List<Decision> decisions = new ArrayList<>();
    Map<String, Blocked> blocked = new HashMap<>();
    Map<PlacementRequest, Blocked> blockedShapes = new HashMap<>();
    for (Task task : tasks) {
      Blocked shapeBlocked = blockedShapes.get(task.request());
      if (shapeBlocked != null) {
        blocked.put(task.taskId(), shapeBlocked);
        continue;
      }
      Optional<NodeSnapshot> now = index.select(task.request());
      if (now.isPresent()) {
        decisions.add(new Decision(task.taskId(), now.get().nodeId(), false));
        take(now.get().nodeId(), task.request(), false);
        continue;
      }
      Node prefetch = null;
      for (Node node : prefetchable.values()) {
        if (node.snapshot().couldHold(task.request()) && (prefetch == null || node.prefetched() < prefetch.prefetched())) {
          prefetch = node;
        }
      }
      if (prefetch != null) {
        decisions.add(new Decision(task.taskId(), prefetch.snapshot().nodeId(), true));
        take(prefetch.snapshot().nodeId(), task.request(), true);
        continue;
      }
      Blocked why = whyBlocked(task.request());
      blockedShapes.put(task.request(), why);
      blocked.put(task.taskId(), why);
    }
    return new Plan(decisions, blocked);
  }

  /** Applies a decision to the view; returns the node's new snapshot. */
  private NodeSnapshot take(String nodeId, PlacementRequest request, boolean prefetched) {
    Node node = nodes.get(nodeId);
    NodeSnapshot s = node.snapshot();
    NodeSnapshot updated = new NodeSnapshot(s.nodeId(), s.capabilities(), s.functions(), s.capacity(),
      prefetched ? s.free() : s.free().minus(request.resources()), s.runningTasks() + 1);
    put(new Node(updated, node.eligible(), node.prefetched() + (prefetched ? 1 : 0), node.prefetchLimit()));
    return updated;
  }

  /** Every node of the view, eligible or not: the members a submission is checked against. */
  public List<NodeSnapshot> members() {
    List<NodeSnapshot> members = new ArrayList<>(nodes.size());
    nodes.values().forEach(n -> members.add(n.snapshot()));
    return members;
  }

  /** The dimension that blocks a request now: permanent when no member could ever hold it. */
  public Blocked whyBlocked(PlacementRequest request) {
    if (nodes.isEmpty()) {
      return new Blocked("capability", "no worker node has joined yet", false);
    }
    Blocked never = whyNever(members(), request);
    return never != null ? never : busy(request);
  }

  /**
   * Why no member could ever hold the request, were it idle (null when one could): the first of
   * capability, function, gpu, cpu, memory that no member satisfies together with the ones before.
   */
  public static Blocked whyNever(List<NodeSnapshot> members, PlacementRequest request) {
    boolean type = false;
    boolean function = false;
    boolean gpu = false;
    boolean cpu = false;
    for (NodeSnapshot s : members) {
      if (!s.capabilities().contains(request.type())) {
        continue;
      }
      type = true;
      if (!s.serves(request.function(), request.type())) {
        continue;
      }
      function = true;
      if (s.capacity().gpu() < request.resources().gpu()) {
        continue;
      }
      gpu = true;
      if (s.capacity().cpu() + 1e-9 < request.resources().cpu()) {
        continue;
      }
      cpu = true;
      if (s.capacity().memory() >= request.resources().memory()) {
        return null;
      }
    }
    String needs = "no node can hold it: needs capability " + request.type();
    if (!type) {
      return new Blocked("capability", "no node has capability " + request.type(), true);
    }
    if (!function) {
      return new Blocked("function", "function '" + request.function() + "' is not served for type " + request.type()
        + " by any node", true);
    }
    if (!gpu) {
      return new Blocked("gpu", needs + " with a gpu", true);
    }
    if (!cpu) {
      return new Blocked("cpu", needs + " and " + request.resources().cpu() + " cores", true);
    }
    return new Blocked("memory", needs + " and " + request.resources().memory() + " MB", true);
  }

  /**
   * Some member could hold it: say which resource is short on every eligible node, or, when each is
   * short of something else, the one short on the most (cpu, then memory, then gpu on ties).
   */
  private Blocked busy(PlacementRequest request) {
    boolean anyEligible = false;
    int cpuShort = 0;
    int memoryShort = 0;
    int gpuShort = 0;
    for (Node node : nodes.values()) {
      if (node.eligible() && node.snapshot().couldHold(request)) {
        anyEligible = true;
        cpuShort += node.snapshot().free().cpu() + 1e-9 >= request.resources().cpu() ? 0 : 1;
        memoryShort += node.snapshot().free().memory() >= request.resources().memory() ? 0 : 1;
        gpuShort += node.snapshot().free().gpu() >= request.resources().gpu() ? 0 : 1;
      }
    }
    if (!anyEligible) {
      return new Blocked("capability", "waiting for a healthy node that can hold it", false);
    }
    String dimension = cpuShort >= memoryShort && cpuShort >= gpuShort ? "cpu" : memoryShort >= gpuShort ? "memory" : "gpu";
    return new Blocked(dimension, "waiting for a node with free resources (" + dimension + ")", false);
  }
}
