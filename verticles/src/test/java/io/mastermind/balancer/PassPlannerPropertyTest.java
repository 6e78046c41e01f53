package io.mastermind.balancer;

import io.mastermind.balancer.PassPlanner.Decision;
import io.mastermind.balancer.PassPlanner.Node;
import io.mastermind.balancer.PassPlanner.Plan;
import io.mastermind.balancer.PassPlanner.Task;
import io.mastermind.resources.Resources;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@Label("PassPlanner properties")
class PassPlannerPropertyTest {

  private static final List<String> IDS = List.of("a", "b", "c", "d");

  sealed interface Op permits PutNode, RemoveNode, PlanPass {
  }

  record PutNode(String id, double cpu, double freeCpu, long freeMemory, boolean eligible, int prefetched, int limit)
    implements Op {
  }

  record RemoveNode(String id) implements Op {
  }

  record PlanPass(List<PlacementRequest> requests) implements Op {
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<String> id = Arbitraries.of(IDS);
    // quarters of a core, so free cpu has fractions that round up to a slot
    Arbitrary<Double> quarters = Arbitraries.integers().between(0, 24).map(q -> q / 4.0);
    Arbitrary<Op> put = Combinators.combine(id, Arbitraries.integers().between(1, 6), quarters,
        Arbitraries.longs().between(0, 4096), Arbitraries.frequency(Tuple.of(4, true), Tuple.of(1, false)),
        Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 3))
      .as((n, cap, free, mem, eligible, prefetched, limit) ->
        new PutNode(n, cap, Math.min(cap, free), mem, eligible, prefetched, limit));
    Arbitrary<PlacementRequest> request = Combinators.combine(Arbitraries.of("compute", "io_bound"),
        Arbitraries.integers().between(1, 12).map(h -> h / 2.0), Arbitraries.of(0L, 512L, 2048L))
      .as((type, cpu, mem) -> new PlacementRequest(type, "echo", new Resources(cpu, mem, 0)));
    Arbitrary<Op> plan = request.list().ofMaxSize(12).map(PlanPass::new);
    return Arbitraries.frequencyOf(Tuple.of(5, put), Tuple.of(1, id.map(RemoveNode::new)), Tuple.of(3, plan))
      .list().ofMaxSize(30);
  }

  private static int expectedRoom(PassPlanner planner) {
    int room = 0;
    for (String id : IDS) {
      Node node = planner.get(id).orElse(null);
      if (node != null && node.eligible()) {
        room += (int) Math.ceil(node.snapshot().free().cpu() - 1e-9) + Math.max(0, node.prefetchLimit() - node.prefetched());
      }
    }
    return room;
  }

  @Property(tries = 300)
  @Label("room always equals the sum over eligible nodes, and a pass decides every task once within free resources and limits")
  void roomAndPlans(@ForAll("ops") List<Op> ops) {
    PassPlanner planner = new PassPlanner(new LoadBalancer(new LeastLoadedStrategy()));
    int taskCounter = 0;
    for (Op op : ops) {
      if (op instanceof PutNode p) {
        NodeSnapshot snapshot = new NodeSnapshot(p.id(), Set.of("compute", "io_bound"), Map.of("echo", Set.of("*")),
          new Resources(p.cpu(), 4096, 0), new Resources(p.freeCpu(), p.freeMemory(), 0), 0);
        planner.put(new Node(snapshot, p.eligible(), p.prefetched(), p.limit()));
      } else if (op instanceof RemoveNode r) {
        planner.remove(r.id());
      } else if (op instanceof PlanPass pass) {
        Map<String, Node> before = new HashMap<>();
        IDS.forEach(id -> planner.get(id).ifPresent(n -> before.put(id, n)));
        List<Task> tasks = new ArrayList<>();
        for (PlacementRequest request : pass.requests()) {
          tasks.add(new Task("t" + taskCounter++, request));
        }

        Plan plan = planner.plan(tasks);

        Set<String> decided = new HashSet<>();
        Map<String, Resources> reservedOn = new HashMap<>();
        Map<String, Integer> prefetchedOn = new HashMap<>();
        Map<String, PlacementRequest> requestOf = new HashMap<>();
        tasks.forEach(t -> requestOf.put(t.taskId(), t.request()));
        for (Decision d : plan.decisions()) {
          assertThat(decided.add(d.taskId())).as("decided once: %s", d.taskId()).isTrue();
          Node node = before.get(d.nodeId());
          assertThat(node).as("decision on a known node").isNotNull();
          assertThat(node.eligible()).as("decision on an eligible node").isTrue();
          assertThat(node.snapshot().couldHold(requestOf.get(d.taskId()))).isTrue();
          if (d.prefetched()) {
            prefetchedOn.merge(d.nodeId(), 1, Integer::sum);
          } else {
            reservedOn.merge(d.nodeId(), requestOf.get(d.taskId()).resources(), Resources::plus);
          }
        }
        assertThat(plan.blocked().keySet()).doesNotContainAnyElementsOf(decided.isEmpty() ? Set.of("-") : decided);
        assertThat(decided.size() + plan.blocked().size()).as("every task decided or blocked").isEqualTo(tasks.size());
        for (Map.Entry<String, Node> e : before.entrySet()) {
          Node was = e.getValue();
          Node now = planner.get(e.getKey()).orElseThrow();
          Resources reserved = reservedOn.getOrDefault(e.getKey(), Resources.ZERO);
          int prefetched = prefetchedOn.getOrDefault(e.getKey(), 0);
          assertThat(was.snapshot().free().cpu() + 1e-9).as("%s reserved within free cpu", e.getKey())
            .isGreaterThanOrEqualTo(reserved.cpu());
          assertThat(was.snapshot().free().memory()).isGreaterThanOrEqualTo(reserved.memory());
          assertThat(prefetched).as("%s prefetched within its room", e.getKey())
            .isLessThanOrEqualTo(Math.max(0, was.prefetchLimit() - was.prefetched()));
          assertThat(now.prefetched()).isEqualTo(was.prefetched() + prefetched);
          assertThat(now.snapshot().runningTasks()).isEqualTo(was.snapshot().runningTasks() + prefetched
            + (int) plan.decisions().stream().filter(d -> d.nodeId().equals(e.getKey()) && !d.prefetched()).count());
        }
        // a blocked task had nowhere to go once its shape first met the pass's tentative view
        if (!plan.blocked().isEmpty()) {
          for (Task t : tasks) {
            if (plan.blocked().containsKey(t.taskId())) {
              boolean anywhere = IDS.stream().map(planner::get).flatMap(java.util.Optional::stream)
                .anyMatch(n -> n.eligible() && (n.snapshot().fits(t.request())
                  || n.prefetched() < n.prefetchLimit() && n.snapshot().couldHold(t.request())));
              assertThat(anywhere).as("blocked %s yet a node has room for it after the pass", t).isFalse();
            }
          }
        }
      }
      assertThat(planner.room()).as("room after %s", op).isEqualTo(expectedRoom(planner));
      assertThat(planner.room()).isGreaterThanOrEqualTo(0);
    }
  }
}
