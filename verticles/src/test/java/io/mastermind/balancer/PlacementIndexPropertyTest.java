package io.mastermind.balancer;

import io.mastermind.resources.Resources;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The index against the linear {@link LoadBalancer} it replaces: random nodes joining, changing,
 * turning suspect and leaving, with requests in between; after every step both are asked.
 */
@Label("PlacementIndex properties")
class PlacementIndexPropertyTest {

  private static final List<String> TYPES = List.of("compute", "io_bound", "data_processing", "ml_training");
  private static final List<String> FUNCTIONS = List.of("echo", "primes", "sort");
  private static final List<Resources> SHAPES = List.of(new Resources(2, 2048, 0), new Resources(4, 4096, 0),
    new Resources(8, 8192, 1), new Resources(4, 16_384, 2), new Resources(6, 0, 0));

  sealed interface Step permits Upsert, Change, Remove, Select {
  }

  /** The node's free resources and running tasks change (an allocation or release), nothing else. */
  record Change(String nodeId, double cpuShare, double memoryShare, int running, boolean eligible) implements Step {
  }

  record Upsert(NodeSnapshot node, boolean eligible) implements Step {
  }

  record Remove(String nodeId) implements Step {
  }

  /** Asks both; when {@code reserve}, the chosen node then gets the request's resources taken off. */
  record Select(PlacementRequest request, boolean reserve) implements Step {
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<String> id = Arbitraries.integers().between(0, 19).map(i -> String.format("n%02d", i));
    Arbitrary<Set<String>> capabilities = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(Set.<String>of())),
      Tuple.of(6, Arbitraries.of(TYPES).set().ofMinSize(1)), Tuple.of(3, Arbitraries.just(Set.copyOf(TYPES))));
    Arbitrary<Set<String>> served = Arbitraries.oneOf(Arbitraries.just(Set.of("*")),
      Arbitraries.of(TYPES).set().ofMinSize(1).ofMaxSize(2));
    // most nodes serve echo for every type, as the built-ins do; some serve primes and sort for a few
    Arbitrary<Map<String, Set<String>>> functions = Combinators.combine(
        Arbitraries.frequency(Tuple.of(4, true), Tuple.of(1, false)),
        Arbitraries.maps(Arbitraries.of("primes", "sort"), served).ofMaxSize(2))
      .as((echo, others) -> {
        Map<String, Set<String>> all = new HashMap<>(others);
        if (echo) {
          all.put("echo", Set.of("*"));
        }
        return Map.copyOf(all);
      });
    Arbitrary<Resources> capacity = Arbitraries.of(SHAPES);
    Arbitrary<Double> share = Arbitraries.of(0.0, 0.25, 0.5, 0.75, 1.0, 1.0);
    Arbitrary<NodeSnapshot> node = Combinators.combine(id, capabilities, functions, capacity, share, share,
        Arbitraries.integers().between(0, 4))
      .as((nodeId, caps, fns, cap, cpuShare, memShare, running) -> new NodeSnapshot(nodeId, caps, fns, cap,
        new Resources(cap.cpu() * cpuShare, Math.round(cap.memory() * memShare), (int) Math.round(cap.gpu() * cpuShare)),
        running));
    Arbitrary<Step> upsert = Combinators.combine(node, Arbitraries.frequency(Tuple.of(5, true), Tuple.of(1, false)))
      .as(Upsert::new);
    Arbitrary<Step> remove = id.map(Remove::new);
    Arbitrary<Step> change = Combinators.combine(id, share, share, Arbitraries.integers().between(0, 4),
      Arbitraries.frequency(Tuple.of(8, true), Tuple.of(1, false))).as(Change::new);
    Arbitrary<PlacementRequest> request = Combinators.combine(Arbitraries.of(TYPES),
        Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just("echo")), Tuple.of(2, Arbitraries.of("primes", "sort")),
          Tuple.of(1, Arbitraries.just("none"))),
        Arbitraries.of(0.0, 0.5, 1.0, 1.0, 2.0, 3.0, 4.0, 9.0),
        Arbitraries.of(0L, 0L, 512L, 1024L, 4096L, 10_000L),
        Arbitraries.frequency(Tuple.of(6, 0), Tuple.of(2, 1), Tuple.of(1, 2)))
      .as((type, function, cpu, memory, gpu) -> new PlacementRequest(type, function, new Resources(cpu, memory, gpu)));
    Arbitrary<Step> select = Combinators.combine(request, Arbitraries.of(true, false)).as(Select::new);
    Arbitrary<List<Step>> joins = upsert.list().ofMinSize(8).ofMaxSize(30);
    Arbitrary<List<Step>> mixed = Arbitraries.frequencyOf(Tuple.of(2, upsert), Tuple.of(3, change), Tuple.of(1, remove),
        Tuple.of(6, select))
      .list().ofMaxSize(100);
    return Combinators.combine(joins, mixed).as((first, then) -> {
      List<Step> all = new ArrayList<>(first);
      all.addAll(then);
      return all;
    });
  }

  /** What the index is checked against: every member by id, and whether it is eligible. */
  private static final class Model {
    final Map<String, NodeSnapshot> members = new LinkedHashMap<>();
    final Map<String, Boolean> eligible = new HashMap<>();

    List<NodeSnapshot> eligibleNodes() {
      return members.values().stream().filter(n -> eligible.get(n.nodeId())).toList();
    }

    List<NodeSnapshot> candidates(PlacementRequest request) {
      return eligibleNodes().stream().filter(n -> n.fits(request)).toList();
    }
  }

  private static NodeSnapshot reserve(NodeSnapshot node, Resources amount) {
    return new NodeSnapshot(node.nodeId(), node.capabilities(), node.functions(), node.capacity(),
      node.free().minus(amount), node.runningTasks() + 1);
  }

  /**
   * Runs the steps on an index and a model; at every Select, {@code check} compares the index's choice
   * with the linear balancer's over the model. Returns nothing: the checks assert.
   */
  private void run(List<Step> steps, PlacementIndex index, LoadBalancer linear, boolean sameChoice) {
    Model model = new Model();
    for (Step step : steps) {
      if (step instanceof Upsert u) {
        index.upsert(u.node(), u.eligible());
        model.members.put(u.node().nodeId(), u.node());
        model.eligible.put(u.node().nodeId(), u.eligible());
      } else if (step instanceof Change c && model.members.containsKey(c.nodeId())) {
        NodeSnapshot was = model.members.get(c.nodeId());
        Resources cap = was.capacity();
        NodeSnapshot now = new NodeSnapshot(was.nodeId(), was.capabilities(), was.functions(), cap,
          new Resources(cap.cpu() * c.cpuShare(), Math.round(cap.memory() * c.memoryShare()),
            (int) Math.round(cap.gpu() * c.cpuShare())), c.running());
        index.upsert(now, c.eligible());
        model.members.put(now.nodeId(), now);
        model.eligible.put(now.nodeId(), c.eligible());
      } else if (step instanceof Remove r) {
        assertThat(index.remove(r.nodeId())).isEqualTo(model.members.remove(r.nodeId()) != null);
        model.eligible.remove(r.nodeId());
      } else if (step instanceof Select s) {
        PlacementRequest request = s.request();
        List<NodeSnapshot> candidates = model.candidates(request);
        Optional<NodeSnapshot> byLinear = linear.select(model.eligibleNodes(), request);
        Optional<NodeSnapshot> byIndex = index.select(request);

        assertThat(byIndex.isPresent()).as("index chooses exactly when the linear balancer does")
          .isEqualTo(byLinear.isPresent());
        byIndex.ifPresent(chosen -> assertThat(candidates).as("the chosen node fits").contains(chosen));
        if (sameChoice) {
          assertThat(byIndex.map(NodeSnapshot::nodeId)).isEqualTo(byLinear.map(NodeSnapshot::nodeId));
        }
        assertThat(index.canEverPlace(request))
          .isEqualTo(LoadBalancer.canEverPlace(model.members.values(), request));
        if (byIndex.isPresent() && s.reserve()) {
          NodeSnapshot reserved = reserve(byIndex.get(), request.resources());
          index.upsert(reserved);
          model.members.put(reserved.nodeId(), reserved);
          model.eligible.put(reserved.nodeId(), true);
        }
        checkStrategy(index.strategy(), byIndex, candidates);
        Statistics.label("select").collect(byIndex.isPresent() ? "chosen" : "none");
        Statistics.label("candidates").collect(candidates.size() > 1 ? "several" : candidates.size() == 1 ? "one" : "none");
      }
      assertThat(index.size()).isEqualTo(model.members.size());
    }
    // not vacuous: both answers, and choices among several candidates, are common
    Statistics.label("select").coverage(c -> {
      c.check("chosen").percentage(p -> p > 20);
      c.check("none").percentage(p -> p > 10);
    });
    Statistics.label("candidates").coverage(c -> c.check("several").percentage(p -> p > 8));
  }

  private static void checkStrategy(String strategy, Optional<NodeSnapshot> chosen, List<NodeSnapshot> candidates) {
    if (chosen.isEmpty()) {
      return;
    }
    switch (strategy) {
      case BestFitStrategy.NAME -> {
        NodeSnapshot tightest = candidates.stream().min(Comparator.<NodeSnapshot>comparingDouble(n -> n.free().cpu())
          .thenComparingLong(n -> n.free().memory()).thenComparing(NodeSnapshot::nodeId)).orElseThrow();
        assertThat(chosen.get().nodeId()).as("least free cpu, then memory, then id").isEqualTo(tightest.nodeId());
      }
      case PowerOfTwoChoicesStrategy.NAME -> {
        if (candidates.size() > 1) {
          NodeSnapshot mostLoaded = candidates.stream().max(LeastLoadedStrategy.BY_LOAD).orElseThrow();
          assertThat(chosen.get().nodeId()).as("never the most loaded of two or more").isNotEqualTo(mostLoaded.nodeId());
        }
      }
      default -> {
        // least-loaded and round-robin are compared choice for choice with the linear balancer
      }
    }
  }

  @Property(tries = 300)
  @Label("least-loaded: the index chooses the very node the linear balancer chooses")
  void leastLoaded(@ForAll("steps") List<Step> steps) {
    run(steps, new PlacementIndex("least-loaded"), new LoadBalancer(new LeastLoadedStrategy()), true);
  }

  @Property(tries = 300)
  @Label("round-robin: the index takes the same turns as the linear balancer")
  void roundRobin(@ForAll("steps") List<Step> steps) {
    run(steps, new PlacementIndex("round-robin"), new LoadBalancer(new RoundRobinStrategy()), true);
  }

  @Property(tries = 300)
  @Label("best-fit: a fitting node with the least free cpu, then memory; empty exactly when the linear one is")
  void bestFit(@ForAll("steps") List<Step> steps) {
    run(steps, new PlacementIndex("best-fit"), new LoadBalancer(new BestFitStrategy()), false);
  }

  @Property(tries = 300)
  @Label("power-of-two: a fitting node, never the most loaded; empty exactly when the linear one is")
  void powerOfTwo(@ForAll("steps") List<Step> steps, @ForAll @LongRange(min = 0, max = 1000) long seed) {
    run(steps, new PlacementIndex("power-of-two", new SplittableRandom(seed)),
      new LoadBalancer(new PowerOfTwoChoicesStrategy(new Random(seed))), false);
  }

  @Property(tries = 4)
  @Label("thousands of nodes, many pools and relayouts: every strategy still agrees with the linear balancer")
  void large(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    Random random = new Random(seed);
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      steps.add(new Upsert(randomNode(random, 1_500), random.nextInt(10) > 0));
    }
    for (int i = 0; i < 1_500; i++) {
      int dice = random.nextInt(10);
      if (dice < 1) {
        steps.add(new Upsert(randomNode(random, 1_600), random.nextInt(10) > 0));
      } else if (dice < 2) {
        steps.add(new Change(String.format("n%04d", random.nextInt(1_600)), random.nextInt(9) / 8.0,
          random.nextInt(9) / 8.0, random.nextInt(6), random.nextInt(10) > 0));
      } else if (dice < 3) {
        steps.add(new Remove(String.format("n%04d", random.nextInt(1_600))));
      } else {
        steps.add(new Select(new PlacementRequest(TYPES.get(random.nextInt(4)), FUNCTIONS.get(random.nextInt(3)),
          new Resources(random.nextInt(13) * 0.5, random.nextInt(20) * 512L, random.nextInt(8) == 0 ? 1 : 0)),
          random.nextBoolean()));
      }
    }
    run(steps, new PlacementIndex("least-loaded"), new LoadBalancer(new LeastLoadedStrategy()), true);
    run(steps, new PlacementIndex("round-robin"), new LoadBalancer(new RoundRobinStrategy()), true);
    run(steps, new PlacementIndex("best-fit"), new LoadBalancer(new BestFitStrategy()), false);
    run(steps, new PlacementIndex("power-of-two", new SplittableRandom(seed)),
      new LoadBalancer(new PowerOfTwoChoicesStrategy(new Random(seed))), false);
  }

  private static NodeSnapshot randomNode(Random random, int ids) {
    Set<String> capabilities = new java.util.HashSet<>();
    for (String type : TYPES) {
      if (random.nextInt(3) == 0) {
        capabilities.add(type);
      }
    }
    Map<String, Set<String>> functions = new HashMap<>();
    functions.put("echo", Set.of("*"));
    if (random.nextBoolean()) {
      functions.put("primes", Set.of("compute"));
    }
    if (random.nextBoolean()) {
      functions.put("sort", Set.of("data_processing", "io_bound"));
    }
    Resources capacity = SHAPES.get(random.nextInt(SHAPES.size()));
    double cpuShare = random.nextInt(9) / 8.0;
    double memoryShare = random.nextInt(9) / 8.0;
    return new NodeSnapshot(String.format("n%04d", random.nextInt(ids)), capabilities, functions, capacity,
      new Resources(capacity.cpu() * cpuShare, Math.round(capacity.memory() * memoryShare),
        random.nextInt(capacity.gpu() + 1)), random.nextInt(6));
  }
}
