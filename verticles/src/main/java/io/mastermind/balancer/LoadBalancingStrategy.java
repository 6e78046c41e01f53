package io.mastermind.balancer;

import java.util.List;

/** Chooses one node among candidates that all fit the request. Implementations are small and pure. */
public interface LoadBalancingStrategy {

  /** The config name, e.g. {@code least-loaded}. */
  String name();

  /** @param candidates non-empty; every one fits {@code request} now */
  NodeSnapshot choose(List<NodeSnapshot> candidates, PlacementRequest request);
}
