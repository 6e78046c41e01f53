package io.mastermind.coordinator;

import io.mastermind.coordinator.Placements.Placement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Placements knows where each placed task is and what each node holds")
class PlacementsTest {

  private final Placements placements = new Placements();

  @Test
  @DisplayName("put indexes a task under its node, in placement order")
  void putIndexes() {
    placements.put("a", new Placement("n1", 1, false));
    placements.put("b", new Placement("n2", 1, false));
    placements.put("c", new Placement("n1", 2, true));

    assertThat(placements.onNode("n1")).containsExactly("a", "c");
    assertThat(placements.onNode("n2")).containsExactly("b");
    assertThat(placements.onNode("n3")).isEmpty();
    assertThat(placements.get("c")).isEqualTo(new Placement("n1", 2, true));
    assertThat(placements.size()).isEqualTo(3);
  }

  @Test
  @DisplayName("putting a task again on the same node replaces its placement and keeps it once in the index")
  void rePutSameNode() {
    placements.put("a", new Placement("n1", 1, false));
    placements.put("b", new Placement("n1", 1, false));
    placements.put("a", new Placement("n1", 1, false).asStarted());

    assertThat(placements.get("a").started()).isTrue();
    assertThat(placements.onNode("n1")).containsExactly("a", "b");
    assertThat(placements.size()).isEqualTo(2);
  }

  @Test
  @DisplayName("a move to another node leaves the old node's index")
  void move() {
    placements.put("a", new Placement("n1", 1, true));
    placements.put("b", new Placement("n1", 1, true));

    placements.put("a", new Placement("n2", 2, false));

    assertThat(placements.onNode("n1")).containsExactly("b");
    assertThat(placements.onNode("n2")).containsExactly("a");
    assertThat(placements.get("a")).isEqualTo(new Placement("n2", 2, false));
    assertThat(placements.size()).isEqualTo(2);

    placements.put("b", new Placement("n2", 2, false));
    assertThat(placements.onNode("n1")).isEmpty();
    assertThat(placements.onNode("n2")).containsExactly("a", "b");
  }

  @Test
  @DisplayName("remove answers the placement it dropped and unindexes it; an unknown task answers null")
  void remove() {
    placements.put("a", new Placement("n1", 3, true));
    placements.put("b", new Placement("n1", 1, false));

    assertThat(placements.remove("a")).isEqualTo(new Placement("n1", 3, true));
    assertThat(placements.remove("a")).isNull();
    assertThat(placements.remove("zz")).isNull();

    assertThat(placements.get("a")).isNull();
    assertThat(placements.onNode("n1")).containsExactly("b");
    assertThat(placements.remove("b")).isNotNull();
    assertThat(placements.onNode("n1")).isEmpty();
    assertThat(placements.size()).isZero();
  }

  @Test
  @DisplayName("onNode answers a copy, so a caller may remove placements while walking it")
  void onNodeIsACopy() {
    placements.put("a", new Placement("n1", 1, false));
    placements.put("b", new Placement("n1", 1, false));

    List<String> held = placements.onNode("n1");
    held.forEach(placements::remove);

    assertThat(held).containsExactly("a", "b");
    assertThat(placements.onNode("n1")).isEmpty();
    assertThat(placements.size()).isZero();
  }

  @Test
  @DisplayName("asStarted marks an attempt started and returns the same placement when it already is")
  void asStarted() {
    Placement waiting = new Placement("n1", 4, false);
    Placement started = waiting.asStarted();

    assertThat(started).isEqualTo(new Placement("n1", 4, true));
    assertThat(started.asStarted()).isSameAs(started);
  }

  @Test
  @DisplayName("clear forgets every placement and index")
  void clear() {
    placements.put("a", new Placement("n1", 1, false));

    placements.clear();

    assertThat(placements.size()).isZero();
    assertThat(placements.get("a")).isNull();
    assertThat(placements.onNode("n1")).isEmpty();
  }
}
