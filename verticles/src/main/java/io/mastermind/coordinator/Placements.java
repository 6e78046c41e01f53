package io.mastermind.coordinator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each placed task is: its node, the attempt that node runs, whether it started. Indexed by node
 * too, so what a lost or draining node held is found without a scan. Pure and not thread-safe.
 */
final class Placements {

  /** One attempt on one node. */
  record Placement(String nodeId, int attempt, boolean started) {
    Placement asStarted() {
      return started ? this : new Placement(nodeId, attempt, true);
    }
  }

  private final Map<String, Placement> byTask = new HashMap<>();
  private final Map<String, Set<String>> byNode = new HashMap<>();

  Placement get(String taskId) {
    return byTask.get(taskId);
  }

  void put(String taskId, Placement placement) {
    Placement old = byTask.put(taskId, placement);
    if (old != null && !old.nodeId().equals(placement.nodeId())) {
      unindex(taskId, old.nodeId());
    }
    byNode.computeIfAbsent(placement.nodeId(), n -> new LinkedHashSet<>()).add(taskId);
  }

  Placement remove(String taskId) {
    Placement old = byTask.remove(taskId);
    if (old != null) {
      unindex(taskId, old.nodeId());
    }
    return old;
  }

  private void unindex(String taskId, String nodeId) {
    Set<String> onNode = byNode.get(nodeId);
    if (onNode != null) {
      onNode.remove(taskId);
      if (onNode.isEmpty()) {
        byNode.remove(nodeId);
      }
    }
  }

  /** The tasks placed on a node, in placement order (a copy). */
  List<String> onNode(String nodeId) {
    Set<String> onNode = byNode.get(nodeId);
    return onNode == null ? List.of() : new ArrayList<>(onNode);
  }

  int size() {
    return byTask.size();
  }

  void clear() {
    byTask.clear();
    byNode.clear();
  }
}
