package io.mastermind.benchmarks;

import io.mastermind.balancer.NodeSnapshot;
import io.mastermind.balancer.PlacementRequest;
import io.mastermind.resources.Resources;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A synthetic cluster for the placement benchmarks, the same for a given seed: nodes of four machine
 * shapes, each with one to three capabilities, all the built-in functions and now and then a plugin
 * function, partly busy; and a queue of requests over every type and function the nodes serve.
 */
final class Cluster {

  static final List<String> TYPES = List.of("compute", "io_bound", "data_processing", "ml_training");

  /** The built-in functions by the type they serve, "*" for all (as BuiltinFunctions has them). */
  private static final Map<String, String> BUILTINS = Map.of(
    "primes", "compute", "sha256", "compute", "pi", "compute",
    "sleep", "io_bound",
    "wordcount", "data_processing", "stats", "data_processing", "sort", "data_processing",
    "linear-regression", "ml_training",
    "echo", "*", "fail", "*");

  /** Functions only some nodes have (a plugin deployed on a few). */
  private static final Map<String, String> PLUGINS = Map.of(
    "crawl", "io_bound", "resize-image", "data_processing", "train-cnn", "ml_training");

  /** Machine shapes and how many nodes of every ten have each. */
  private static final Resources[] SHAPES = {
    new Resources(4, 8_192, 0), new Resources(8, 16_384, 0), new Resources(16, 65_536, 0), new Resources(32, 131_072, 4)};
  private static final int[] SHAPE_WEIGHTS = {4, 3, 2, 1};

  private static final double[] CPU = {0.5, 1, 1, 2, 4};
  private static final long[] MEMORY = {256, 512, 1_024, 2_048, 4_096};

  private Cluster() {
  }

  /** {@code count} nodes with ids {@code node-00000...}. */
  static List<NodeSnapshot> nodes(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<NodeSnapshot> nodes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Resources capacity = SHAPES[weighted(random)];
      Set<String> capabilities = new LinkedHashSet<>();
      if (capacity.gpu() > 0) {
        capabilities.add("ml_training");
      }
      int wanted = 1 + random.nextInt(3);
      while (capabilities.size() < wanted) {
        capabilities.add(TYPES.get(random.nextInt(TYPES.size())));
      }
      Map<String, Set<String>> functions = new HashMap<>();
      BUILTINS.forEach((function, type) -> functions.put(function, Set.of(type)));
      PLUGINS.forEach((function, type) -> {
        if (random.nextInt(5) == 0) {
          functions.put(function, Set.of(type));
        }
      });
      // busy at anything from idle to full, in steps of half a core and 512 MB
      double usedCpu = random.nextInt((int) (capacity.cpu() * 2) + 1) / 2.0;
      long usedMemory = random.nextLong(capacity.memory() / 512 + 1) * 512;
      int usedGpu = capacity.gpu() == 0 ? 0 : random.nextInt(capacity.gpu() + 1);
      Resources free = capacity.minus(new Resources(usedCpu, usedMemory, usedGpu));
      nodes.add(new NodeSnapshot(String.format("node-%05d", i), Set.copyOf(capabilities), Map.copyOf(functions),
        capacity, free, (int) (usedCpu * 2)));
    }
    return nodes;
  }

  /** {@code count} queued requests: a type, a function serving it (built-in or plugin), resources. */
  static PlacementRequest[] requests(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, List<String>> functionsByType = new HashMap<>();
    for (String type : TYPES) {
      List<String> functions = new ArrayList<>();
      BUILTINS.forEach((function, served) -> {
        if (served.equals(type) || served.equals("*")) {
          functions.add(function);
        }
      });
      PLUGINS.forEach((function, served) -> {
        if (served.equals(type)) {
          functions.add(function);
        }
      });
      functions.sort(null);
      functionsByType.put(type, functions);
    }
    // a few hundred distinct amounts, shared by the million requests
    Resources[][][] amounts = new Resources[CPU.length][MEMORY.length][2];
    for (int c = 0; c < CPU.length; c++) {
      for (int m = 0; m < MEMORY.length; m++) {
        for (int g = 0; g < 2; g++) {
          amounts[c][m][g] = new Resources(CPU[c], MEMORY[m], g);
        }
      }
    }
    PlacementRequest[] requests = new PlacementRequest[count];
    for (int i = 0; i < count; i++) {
      String type = TYPES.get(random.nextInt(TYPES.size()));
      List<String> functions = functionsByType.get(type);
      String function = functions.get(random.nextInt(functions.size()));
      int gpu = type.equals("ml_training") && random.nextInt(3) == 0 ? 1 : 0;
      requests[i] = new PlacementRequest(type, function,
        amounts[random.nextInt(CPU.length)][random.nextInt(MEMORY.length)][gpu]);
    }
    return requests;
  }

  /** The node after the request's resources were reserved on it: what the coordinator upserts. */
  static NodeSnapshot reserve(NodeSnapshot node, PlacementRequest request) {
    return new NodeSnapshot(node.nodeId(), node.capabilities(), node.functions(), node.capacity(),
      node.free().minus(request.resources()), node.runningTasks() + 1);
  }

  private static int weighted(SplittableRandom random) {
    int total = 0;
    for (int weight : SHAPE_WEIGHTS) {
      total += weight;
    }
    int pick = random.nextInt(total);
    for (int i = 0; i < SHAPE_WEIGHTS.length; i++) {
      pick -= SHAPE_WEIGHTS[i];
      if (pick < 0) {
        return i;
      }
    }
    throw new AssertionError();
  }
}
