package io.mastermind.balancer;

import io.mastermind.resources.Resources;

import java.util.Map;
import java.util.Set;

/**
 * What the balancer knows of one node at one instant: tags, functions, capacity, what is free and how
 * many tasks it runs. Built by the coordinator from its ledger; the balancer only reads it.
 *
 * @param functions function name to the task types it serves ({@code "*"} for all)
 */
public record NodeSnapshot(String nodeId, Set<String> capabilities, Map<String, Set<String>> functions,
                           Resources capacity, Resources free, int runningTasks) {

  /** The busier of cpu and memory as a fraction of capacity, in [0, 1]. */
  public double load() {
    double cpu = capacity.cpu() <= 0 ? 1 : 1 - free.cpu() / capacity.cpu();
    double memory = capacity.memory() <= 0 ? 0 : 1 - (double) free.memory() / capacity.memory();
    return Math.max(cpu, memory);
  }

  public boolean serves(String function, String type) {
    Set<String> types = functions.get(function);
    return types != null && (types.contains(type) || types.contains("*"));
  }

  /** Could this node ever run the request, were it idle? */
  public boolean couldHold(PlacementRequest request) {
    return capabilities.contains(request.type()) && serves(request.function(), request.type())
      && capacity.covers(request.resources());
  }

  /** Can it run the request now? */
  public boolean fits(PlacementRequest request) {
    return couldHold(request) && free.covers(request.resources());
  }
}
