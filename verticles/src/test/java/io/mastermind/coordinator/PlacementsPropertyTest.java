package io.mastermind.coordinator;

import io.mastermind.coordinator.Placements.Placement;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Label("Placements properties")
class PlacementsPropertyTest {

  /** Puts (or moves) a task, or removes it when {@code node} is null. */
  record Op(String task, String node, int attempt) {
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<String> task = Arbitraries.integers().between(0, 12).map(i -> "t" + i);
    Arbitrary<String> node = Arbitraries.of("n1", "n2", "n3").injectNull(0.3);
    return Combinators.combine(task, node, Arbitraries.integers().between(1, 3)).as(Op::new).list().ofMaxSize(60);
  }

  @Property(tries = 300)
  @Label("the by-node index always lists exactly the tasks placed on each node, in first placement order there")
  void indexFollowsPlacements(@ForAll("ops") List<Op> ops) {
    Placements placements = new Placements();
    Map<String, Placement> model = new LinkedHashMap<>();
    Map<String, List<String>> order = new LinkedHashMap<>();
    for (Op op : ops) {
      if (op.node() == null) {
        assertThat(placements.remove(op.task())).isEqualTo(model.remove(op.task()));
        order.values().forEach(l -> l.remove(op.task()));
      } else {
        Placement p = new Placement(op.node(), op.attempt(), op.attempt() == 3);
        Placement old = model.put(op.task(), p);
        if (old != null && !old.nodeId().equals(op.node())) {
          order.get(old.nodeId()).remove(op.task());
        }
        List<String> on = order.computeIfAbsent(op.node(), n -> new ArrayList<>());
        if (!on.contains(op.task())) {
          on.add(op.task());
        }
        placements.put(op.task(), p);
      }
      assertThat(placements.size()).isEqualTo(model.size());
      for (String node : List.of("n1", "n2", "n3")) {
        assertThat(placements.onNode(node)).as("on %s after %s", node, op)
          .containsExactlyElementsOf(order.getOrDefault(node, List.of()));
      }
      model.forEach((task, p) -> assertThat(placements.get(task)).isEqualTo(p));
    }
  }
}
