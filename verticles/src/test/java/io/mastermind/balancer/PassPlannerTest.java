package io.mastermind.balancer;

import io.mastermind.balancer.PassPlanner.Decision;
import io.mastermind.balancer.PassPlanner.Node;
import io.mastermind.balancer.PassPlanner.Plan;
import io.mastermind.balancer.PassPlanner.Task;
import io.mastermind.resources.Resources;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static io.mastermind.balancer.Nodes.echo;
import static io.mastermind.balancer.Nodes.node;
import static io.mastermind.balancer.Nodes.request;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("PassPlanner plans a scheduling pass: reserve where it fits, else prefetch, else say why it is blocked")
class PassPlannerTest {

  /** Chooses the first candidate and records every call, so a test sees what the strategy was asked. */
  private static final class RecordingStrategy implements LoadBalancingStrategy {
    final List<List<String>> calls = new ArrayList<>();

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public NodeSnapshot choose(List<NodeSnapshot> candidates, PlacementRequest request) {
      calls.add(Nodes.ids(candidates));
      return candidates.get(0);
    }
  }

  private final RecordingStrategy recording = new RecordingStrategy();
  private final PassPlanner planner = new PassPlanner(new LoadBalancer(recording));
  private final PassPlanner leastLoaded = new PassPlanner(new LoadBalancer(new LeastLoadedStrategy()));

  private static Node eligible(NodeSnapshot snapshot, int prefetched, int limit) {
    return new Node(snapshot, true, prefetched, limit);
  }

  private static Node ineligible(NodeSnapshot snapshot, int prefetched, int limit) {
    return new Node(snapshot, false, prefetched, limit);
  }

  private static List<Task> tasks(int n, PlacementRequest request) {
    return IntStream.range(0, n).mapToObj(i -> new Task("t" + i, request)).toList();
  }

  private static Decision reserved(String task, String node) {
    return new Decision(task, node, false);
  }

  private static Decision prefetched(String task, String node) {
    return new Decision(task, node, true);
  }

  @Nested
  @DisplayName("plan")
  class Planning {

    @Test
    @DisplayName("places a task with the strategy among the eligible nodes where it fits now")
    void placesWithStrategy() {
      planner.put(eligible(node("a").capacity(4, 4096, 0).free(0.5, 4096, 0).build(), 0, 0));
      planner.put(eligible(node("b").build(), 0, 0));
      planner.put(ineligible(node("c").build(), 0, 0));
      planner.put(eligible(node("d").build(), 0, 0));

      Plan plan = planner.plan(List.of(new Task("t", echo(1, 512))));

      assertThat(recording.calls).containsExactly(List.of("b", "d"));
      assertThat(plan.decisions()).containsExactly(reserved("t", "b"));
      assertThat(plan.blocked()).isEmpty();
    }

    @Test
    @DisplayName("the least-loaded strategy spreads a pass over equal nodes as their tentative load rises")
    void spreadsWithLeastLoaded() {
      leastLoaded.put(eligible(node("a").build(), 0, 0));
      leastLoaded.put(eligible(node("b").build(), 0, 0));

      Plan plan = leastLoaded.plan(tasks(4, echo(1, 0)));

      assertThat(plan.decisions()).containsExactly(reserved("t0", "a"), reserved("t1", "b"), reserved("t2", "a"),
        reserved("t3", "b"));
    }

    @Test
    @DisplayName("placing N one-core tasks on a 2-cpu node reserves 2, prefetches up to the limit and blocks the rest")
    void tentativeUpdates() {
      planner.put(eligible(node("n").capacity(2, 4096, 0).running(0).build(), 0, 3));
      assertThat(planner.room()).isEqualTo(2 + 3);

      Plan plan = planner.plan(tasks(7, echo(1, 256)));

      assertThat(plan.decisions()).containsExactly(reserved("t0", "n"), reserved("t1", "n"), prefetched("t2", "n"),
        prefetched("t3", "n"), prefetched("t4", "n"));
      assertThat(plan.blocked()).containsOnlyKeys("t5", "t6");
      assertThat(plan.blocked().get("t5")).isEqualTo(new Blocked("cpu", "waiting for a node with free resources (cpu)", false));
      Node after = planner.get("n").orElseThrow();
      assertThat(after.snapshot().free()).isEqualTo(new Resources(0, 4096 - 512, 0));
      assertThat(after.snapshot().runningTasks()).isEqualTo(5);
      assertThat(after.prefetched()).isEqualTo(3);
      assertThat(after.prefetchLimit()).isEqualTo(3);
      assertThat(planner.room()).isZero();
    }

    @Test
    @DisplayName("falls back to prefetch on the eligible node with the fewest prefetched tasks, first such node on ties")
    void prefetchOnFewest() {
      planner.put(eligible(node("a").free(0, 4096, 0).build(), 2, 5));
      planner.put(eligible(node("b").free(0, 4096, 0).build(), 1, 5));
      planner.put(ineligible(node("c").build(), 0, 5));

      Plan plan = planner.plan(tasks(3, echo(1, 0)));

      assertThat(plan.decisions()).containsExactly(prefetched("t0", "b"), prefetched("t1", "a"), prefetched("t2", "b"));
      assertThat(planner.get("a").orElseThrow().prefetched()).isEqualTo(3);
      assertThat(planner.get("b").orElseThrow().prefetched()).isEqualTo(3);
      assertThat(planner.get("c").orElseThrow().prefetched()).isZero();
    }

    @Test
    @DisplayName("prefetch goes only to a node that could hold the task, serves its function and has room")
    void prefetchOnlyWhereItCouldFit() {
      planner.put(eligible(node("small").capacity(1, 4096, 0).free(0, 4096, 0).build(), 0, 5));
      planner.put(eligible(node("other-fn").function("primes", "*").free(0, 4096, 0).build(), 0, 5));
      planner.put(eligible(node("full").free(0, 4096, 0).build(), 2, 2));
      planner.put(eligible(node("big").free(0, 4096, 0).build(), 4, 5));

      Plan plan = planner.plan(List.of(new Task("t", echo(2, 0))));

      assertThat(plan.decisions()).containsExactly(prefetched("t", "big"));
    }

    @Test
    @DisplayName("reserving now beats prefetching, even on a node with fewer prefetched tasks")
    void reserveBeforePrefetch() {
      planner.put(eligible(node("busy").free(0, 4096, 0).build(), 0, 5));
      planner.put(eligible(node("free").build(), 4, 5));

      Plan plan = planner.plan(List.of(new Task("t", echo(1, 0))));

      assertThat(plan.decisions()).containsExactly(reserved("t", "free"));
    }

    @Test
    @DisplayName("a shape is blocked once per pass: later tasks of it share the verdict without a new decision")
    void blocksShapeOnce() {
      planner.put(eligible(node("n").capacity(2, 4096, 0).free(0, 4096, 0).build(), 0, 0));
      PlacementRequest big = echo(2, 1024);
      PlacementRequest huge = echo(64, 0);
      List<Task> pass = List.of(new Task("b1", big), new Task("h1", huge), new Task("b2", big),
        new Task("b3", echo(2, 1024)), new Task("h2", huge));

      Plan plan = planner.plan(pass);

      assertThat(plan.decisions()).isEmpty();
      assertThat(plan.blocked()).containsOnlyKeys("b1", "h1", "b2", "b3", "h2");
      assertThat(plan.blocked().get("b2")).isSameAs(plan.blocked().get("b1"));
      assertThat(plan.blocked().get("b3")).as("same shape, equal request").isSameAs(plan.blocked().get("b1"));
      assertThat(plan.blocked().get("h2")).isSameAs(plan.blocked().get("h1"));
      assertThat(plan.blocked().get("b1").permanent()).isFalse();
      assertThat(plan.blocked().get("h1").permanent()).isTrue();
      assertThat(recording.calls).as("nothing ever fitted").isEmpty();
    }

    @Test
    @DisplayName("a blocked shape does not stop other shapes of the same pass from being placed")
    void otherShapesStillPlaced() {
      planner.put(eligible(node("n").capacity(2, 4096, 0).build(), 0, 0));

      Plan plan = planner.plan(List.of(new Task("big", echo(4, 0)), new Task("small", echo(1, 0)),
        new Task("big2", echo(4, 0)), new Task("other-type", request("io_bound", "echo", 1, 0, 0))));

      assertThat(plan.decisions()).containsExactly(reserved("small", "n"), reserved("other-type", "n"));
      assertThat(plan.blocked()).containsOnlyKeys("big", "big2");
    }

    @Test
    @DisplayName("the blocked verdict of a pass is the one that holds when the shape first met no room")
    void verdictAfterTentativeFill() {
      planner.put(eligible(node("n").capacity(2, 4096, 0).build(), 0, 1));

      Plan plan = planner.plan(tasks(4, echo(1, 0)));

      assertThat(plan.decisions()).hasSize(3);
      assertThat(plan.blocked()).containsOnlyKeys("t3");
      assertThat(plan.blocked().get("t3").dimension()).isEqualTo("cpu");
      assertThat(plan.blocked().get("t3").permanent()).isFalse();
    }

    @Test
    @DisplayName("with no node at all every task is blocked because no worker node has joined yet")
    void noNodes() {
      Plan plan = planner.plan(tasks(3, echo(1, 0)));

      assertThat(plan.decisions()).isEmpty();
      assertThat(plan.blocked().values()).allMatch(b -> b.equals(new Blocked("capability", "no worker node has joined yet", false)));
      assertThat(plan.blocked()).hasSize(3);
    }

    @Test
    @DisplayName("a prefetched task counts on its node's tentative view, so the strategy's next choice sees it")
    void prefetchUpdatesTheStrategysView() {
      // both nodes are half busy; a's prefetch makes it hold one more task than b
      leastLoaded.put(eligible(node("a").capacity(2, 4096, 0).free(1, 4096, 0).running(1).build(), 0, 1));
      leastLoaded.put(eligible(node("b").capacity(2, 4096, 0).free(1, 4096, 0).running(1).build(), 0, 1));

      Plan plan = leastLoaded.plan(List.of(new Task("two-cores", echo(2, 0)), new Task("one-core", echo(1, 0))));

      assertThat(plan.decisions()).containsExactly(prefetched("two-cores", "a"), reserved("one-core", "b"));
    }

    @Test
    @DisplayName("an empty pass decides nothing and changes nothing")
    void emptyPass() {
      planner.put(eligible(node("n").build(), 0, 2));
      int room = planner.room();

      Plan plan = planner.plan(List.of());

      assertThat(plan.decisions()).isEmpty();
      assertThat(plan.blocked()).isEmpty();
      assertThat(planner.room()).isEqualTo(room);
    }
  }

  @Nested
  @DisplayName("room")
  class Room {

    @Test
    @DisplayName("room is one-core slots free plus prefetch room over eligible nodes only")
    void arithmetic() {
      planner.put(eligible(node("a").capacity(4, 4096, 0).free(2.5, 4096, 0).build(), 1, 3));
      assertThat(planner.room()).isEqualTo(3 + 2);

      planner.put(ineligible(node("b").build(), 0, 10));
      assertThat(planner.room()).as("an ineligible node adds nothing").isEqualTo(5);

      planner.put(eligible(node("c").capacity(4, 4096, 0).free(0, 4096, 0).build(), 4, 2));
      assertThat(planner.room()).as("over its prefetch limit counts as no room, never negative").isEqualTo(5);

      planner.put(eligible(node("d").capacity(1, 4096, 0).free(0.1, 4096, 0).build(), 0, 0));
      assertThat(planner.room()).as("a fraction of a core is one slot").isEqualTo(6);
    }

    @Test
    @DisplayName("room follows put and remove incrementally: replacing a node swaps its share, removing drops it")
    void incremental() {
      planner.put(eligible(node("a").build(), 0, 2));
      planner.put(eligible(node("b").build(), 0, 0));
      assertThat(planner.room()).isEqualTo(6 + 4);

      planner.put(ineligible(node("a").build(), 0, 2));
      assertThat(planner.room()).isEqualTo(4);
      planner.put(eligible(node("a").free(1, 4096, 0).build(), 1, 2));
      assertThat(planner.room()).isEqualTo(4 + 2);

      planner.remove("b");
      assertThat(planner.room()).isEqualTo(2);
      planner.remove("b");
      planner.remove("never");
      assertThat(planner.room()).isEqualTo(2);
      assertThat(planner.size()).isEqualTo(1);

      planner.remove("a");
      assertThat(planner.room()).isZero();
      assertThat(planner.size()).isZero();
      assertThat(planner.get("a")).isEmpty();
    }

    @Test
    @DisplayName("members lists every node, eligible or not")
    void members() {
      planner.put(eligible(node("a").build(), 0, 0));
      planner.put(ineligible(node("b").build(), 0, 0));

      assertThat(Nodes.ids(planner.members())).containsExactly("a", "b");
    }
  }

  @Nested
  @DisplayName("why blocked")
  class WhyBlocked {

    @Test
    @DisplayName("no node at all: waiting for a worker to join, not permanent")
    void noNodeYet() {
      assertThat(planner.whyBlocked(echo(1, 0)))
        .isEqualTo(new Blocked("capability", "no worker node has joined yet", false));
    }

    @Test
    @DisplayName("no member has the capability of the task's type: permanent, on capability")
    void capability() {
      planner.put(eligible(node("a").capabilities("compute").build(), 0, 0));

      Blocked why = planner.whyBlocked(request("ml_training", "echo", 1, 0, 0));

      assertThat(why).isEqualTo(new Blocked("capability", "no node has capability ml_training", true));
    }

    @Test
    @DisplayName("no member with the capability serves the function for that type: permanent, on function")
    void function() {
      planner.put(eligible(node("a").function("primes", "io_bound").build(), 0, 0));
      planner.put(eligible(node("b").capabilities("io_bound").function("sort", "*").build(), 0, 0));

      Blocked why = planner.whyBlocked(request("compute", "primes", 1, 0, 0));

      assertThat(why.dimension()).isEqualTo("function");
      assertThat(why.permanent()).isTrue();
      assertThat(why.reason()).contains("'primes'").contains("compute");
    }

    @Test
    @DisplayName("gpu, cpu and memory: the first dimension no member satisfies together with the ones before")
    void resourcesInOrder() {
      planner.put(eligible(node("gpu-small").capacity(2, 1024, 1).build(), 0, 0));
      planner.put(eligible(node("cpu-big").capacity(16, 65_536, 0).build(), 0, 0));

      assertThat(planner.whyBlocked(request("compute", "echo", 1, 0, 2)).dimension()).isEqualTo("gpu");
      Blocked cpu = planner.whyBlocked(request("compute", "echo", 8, 0, 1));
      assertThat(cpu.dimension()).as("cpu-big has the cores but no gpu").isEqualTo("cpu");
      assertThat(cpu.permanent()).isTrue();
      assertThat(cpu.reason()).contains("8.0 cores");
      Blocked memory = planner.whyBlocked(request("compute", "echo", 2, 2048, 1));
      assertThat(memory.dimension()).isEqualTo("memory");
      assertThat(memory.reason()).contains("2048 MB");
      assertThat(planner.whyBlocked(request("compute", "echo", 17, 0, 0)).dimension()).isEqualTo("cpu");
      assertThat(planner.whyBlocked(request("compute", "echo", 1, 70_000, 0)).dimension()).isEqualTo("memory");
    }

    @Test
    @DisplayName("whyNever is null when some member could hold the request, idle")
    void whyNeverNull() {
      List<NodeSnapshot> members = List.of(node("a").capacity(2, 1024, 1).free(0, 0, 0).build());

      assertThat(PassPlanner.whyNever(members, request("compute", "echo", 2, 1024, 1))).isNull();
      assertThat(PassPlanner.whyNever(List.of(), echo(1, 0)).dimension()).isEqualTo("capability");
    }

    @Test
    @DisplayName("all busy: the resource short on every eligible node that could hold it, not permanent")
    void busyDimensions() {
      planner.put(eligible(node("a").capacity(4, 4096, 1).free(0.5, 4096, 1).build(), 0, 0));
      planner.put(eligible(node("b").capacity(4, 4096, 1).free(0, 4096, 1).build(), 0, 0));
      assertThat(planner.whyBlocked(echo(1, 0)))
        .isEqualTo(new Blocked("cpu", "waiting for a node with free resources (cpu)", false));

      PassPlanner memory = new PassPlanner(new LoadBalancer(new LeastLoadedStrategy()));
      memory.put(eligible(node("a").capacity(4, 4096, 1).free(4, 100, 1).build(), 0, 0));
      assertThat(memory.whyBlocked(echo(1, 512)).dimension()).isEqualTo("memory");
      assertThat(memory.whyBlocked(echo(1, 512)).permanent()).isFalse();

      PassPlanner gpu = new PassPlanner(new LoadBalancer(new LeastLoadedStrategy()));
      gpu.put(eligible(node("a").capacity(4, 4096, 1).free(4, 4096, 0).build(), 0, 0));
      assertThat(gpu.whyBlocked(request("compute", "echo", 1, 0, 1)).dimension()).isEqualTo("gpu");
    }

    @Test
    @DisplayName("busy on different resources on different nodes: never blamed on a gpu the task does not ask for")
    void splitShortage() {
      planner.put(eligible(node("no-memory").capacity(4, 4096, 0).free(4, 0, 0).build(), 0, 0));
      planner.put(eligible(node("no-cpu").capacity(4, 4096, 0).free(0, 4096, 0).build(), 0, 0));

      Blocked why = planner.whyBlocked(echo(1, 1024));

      assertThat(why.permanent()).isFalse();
      assertThat(why.dimension()).isIn("cpu", "memory");
    }

    @Test
    @DisplayName("only an ineligible (unhealthy or draining) node could hold it: waiting for a healthy node, not permanent")
    void onlyIneligibleCouldHold() {
      planner.put(eligible(node("small").capacity(1, 4096, 0).build(), 0, 0));
      planner.put(ineligible(node("big").capacity(16, 4096, 0).build(), 0, 0));

      assertThat(planner.whyBlocked(echo(8, 0)))
        .isEqualTo(new Blocked("capability", "waiting for a healthy node that can hold it", false));
    }

    @Test
    @DisplayName("an ineligible member still counts for whyNever, so a task it could hold is never refused as impossible")
    void ineligibleCountsAsMember() {
      planner.put(ineligible(node("gpu").capacity(4, 4096, 1).build(), 0, 0));

      assertThat(planner.whyBlocked(request("compute", "echo", 1, 0, 1)).permanent()).isFalse();
    }
  }
}
