package io.mastermind.coordinator;

import io.mastermind.protocol.TaskRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * After a takeover: the tasks the store has unfinished, each waiting for a rejoining node to claim the
 * attempt it runs. The wait ends when every worker member that was there at the takeover has rejoined
 * (or was lost), or when the grace timer fires; whatever is left unclaimed then is queued again.
 * Also remembers which nodes this leader has reconciled since they joined. Pure and not thread-safe.
 */
final class RejoinGrace {

  private final Map<String, TaskRecord> unclaimed = new LinkedHashMap<>();
  private final Set<String> expected = new HashSet<>();
  private final Set<String> rejoined = new HashSet<>();
  /** Nodes whose join this leader has reconciled and that were not lost since. */
  private final Set<String> reconciled = new HashSet<>();
  private boolean waiting;

  /** Starts waiting for these workers; false when there is nothing to wait for (end the grace now). */
  boolean begin(List<TaskRecord> unfinished, Set<String> workers) {
    unfinished.stream().sorted(Comparator.comparingLong(TaskRecord::submittedAt)).forEach(r -> unclaimed.put(r.id(), r));
    expected.addAll(workers);
    waiting = !unclaimed.isEmpty() && !expected.isEmpty();
    return waiting;
  }

  boolean waiting() {
    return waiting;
  }

  /**
   * The stored record when a node may claim this attempt back (it is newer than what the store knows,
   * or the very attempt the store has on that node), taken out of the unclaimed; else null.
   */
  TaskRecord claim(String taskId, String nodeId, int attempt) {
    TaskRecord stored = unclaimed.get(taskId);
    if (stored == null || !(attempt > stored.attempts() || attempt == stored.attempts() && nodeId.equals(stored.node()))) {
      return null;
    }
    return unclaimed.remove(taskId);
  }

  /** A node joined; true when it had been reconciled before (so what it no longer holds was lost). */
  boolean joined(String nodeId) {
    rejoined.add(nodeId);
    return !reconciled.add(nodeId);
  }

  void lost(String nodeId) {
    reconciled.remove(nodeId);
    expected.remove(nodeId);
  }

  /** True while waiting and every expected worker has rejoined or was lost: time to end the grace. */
  boolean allBack() {
    return waiting && rejoined.containsAll(expected);
  }

  /** Ends the grace: the tasks nobody claimed, oldest first. */
  List<TaskRecord> end() {
    waiting = false;
    List<TaskRecord> left = new ArrayList<>(unclaimed.values());
    unclaimed.clear();
    return left;
  }

  void clear() {
    waiting = false;
    unclaimed.clear();
    expected.clear();
    rejoined.clear();
    reconciled.clear();
  }
}
