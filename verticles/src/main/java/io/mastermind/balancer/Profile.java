package io.mastermind.balancer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a node declares: its capabilities and the functions it serves for which types. Nodes started
 * from the same config share one profile, and so belong to the same pools; a cluster has few.
 */
final class Profile {

  /** Index in the signatures ({@link java.util.BitSet}) of the routes this profile serves. */
  final int id;
  final Set<String> capabilities;
  final Map<String, Set<String>> functions;
  /** The (type, function) pairs the profile serves, each as {@code {type, function}}. */
  final List<String[]> serves = new ArrayList<>();
  /** The distinct pools its nodes belong to; reset when a new profile changes how routes share pools. */
  NodePool[] pools = new NodePool[0];
  /** Its member nodes, so a new pool can be filled. */
  final Set<IndexedNode> members = new HashSet<>();

  Profile(int id, Set<String> capabilities, Map<String, Set<String>> functions) {
    this.id = id;
    this.capabilities = capabilities;
    this.functions = functions;
    for (String type : capabilities) {
      for (Map.Entry<String, Set<String>> function : functions.entrySet()) {
        Set<String> types = function.getValue();
        if (types.contains(type) || types.contains("*")) {
          serves.add(new String[] {type, function.getKey()});
        }
      }
    }
  }

  /** Does the snapshot declare this profile? Cheap when it carries the same set and map instances. */
  boolean declaredBy(NodeSnapshot snapshot) {
    return (capabilities == snapshot.capabilities() || capabilities.equals(snapshot.capabilities()))
      && (functions == snapshot.functions() || functions.equals(snapshot.functions()));
  }
}
