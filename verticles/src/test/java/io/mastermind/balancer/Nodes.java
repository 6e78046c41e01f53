package io.mastermind.balancer;

import io.mastermind.resources.Resources;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Test helper: builds {@link NodeSnapshot} fakes with sensible defaults. */
final class Nodes {

  static final Set<String> ALL_TYPES = Set.of("compute", "io_bound", "data_processing", "ml_training");

  private Nodes() {
  }

  static Builder node(String id) {
    return new Builder(id);
  }

  /** An idle node with the given cpu and memory capacity, serving echo for every type. */
  static NodeSnapshot idle(String id, double cpu, long memory) {
    return node(id).capacity(cpu, memory, 0).build();
  }

  /** A node with capacity 4 cpu / 4096 MB, of which the given fractions are in use. */
  static NodeSnapshot loaded(String id, double cpuUsed, int runningTasks) {
    return node(id).capacity(4, 4096, 0).free(4 - cpuUsed, 4096, 0).running(runningTasks).build();
  }

  static PlacementRequest request(String type, String function, double cpu, long memory, int gpu) {
    return new PlacementRequest(type, function, new Resources(cpu, memory, gpu));
  }

  static PlacementRequest echo(double cpu, long memory) {
    return request("compute", "echo", cpu, memory, 0);
  }

  static List<String> ids(List<NodeSnapshot> nodes) {
    return nodes.stream().map(NodeSnapshot::nodeId).toList();
  }

  static final class Builder {
    private final String id;
    private Set<String> capabilities = ALL_TYPES;
    private Map<String, Set<String>> functions = Map.of("echo", Set.of("*"));
    private Resources capacity = new Resources(4, 4096, 0);
    private Resources free;
    private int running;

    private Builder(String id) {
      this.id = id;
    }

    Builder capabilities(String... tags) {
      capabilities = Set.of(tags);
      return this;
    }

    /** Replaces the default functions on first call, then adds. */
    Builder function(String name, String... types) {
      if (functions.equals(Map.of("echo", Set.of("*")))) {
        functions = new HashMap<>();
      } else {
        functions = new HashMap<>(functions);
      }
      functions.put(name, Set.of(types));
      return this;
    }

    Builder capacity(double cpu, long memory, int gpu) {
      capacity = new Resources(cpu, memory, gpu);
      return this;
    }

    Builder free(double cpu, long memory, int gpu) {
      free = new Resources(cpu, memory, gpu);
      return this;
    }

    Builder running(int tasks) {
      running = tasks;
      return this;
    }

    NodeSnapshot build() {
      return new NodeSnapshot(id, capabilities, Map.copyOf(functions), capacity, free == null ? capacity : free, running);
    }
  }
}
