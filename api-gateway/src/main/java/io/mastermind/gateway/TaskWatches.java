package io.mastermind.gateway;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The submissions one socket follows, by task id: each from its submit frame to its result. A watch is
 * registered before the task is submitted, so no event of the task can slip past it; events that come
 * before the coordinator's answer wait in the watch (the {@code accepted} frame goes first).
 */
final class TaskWatches {

  /** One submit frame's interest in one task. */
  static final class Watch {
    final Object ref;
    final String taskId;
    /** Whether the submitter wants the task's events as frames, or only its accepted and result frames. */
    final boolean events;
    private boolean ended;
    /** Events seen before the submission was answered; null once it was. */
    private ArrayDeque<LiveEvent> early = new ArrayDeque<>();

    private Watch(Object ref, String taskId, boolean events) {
      this.ref = ref;
      this.taskId = taskId;
      this.events = events;
    }

    boolean accepted() {
      return early == null;
    }

    /** True once removed: its result was sent, or the submission failed. */
    boolean ended() {
      return ended;
    }

    /** Holds an event until the answer; false when the hold is full (the oldest was let go). */
    boolean hold(LiveEvent event, int max) {
      early.addLast(event);
      if (early.size() > max) {
        early.pollFirst();
        return false;
      }
      return true;
    }

    /** Marks the submission answered and hands over the events held until now, oldest first. */
    List<LiveEvent> accept() {
      List<LiveEvent> held = new ArrayList<>(early);
      early = null;
      return held;
    }
  }

  /** Told when the socket starts and stops following a task: the gateway-wide {@link SessionIndex} listens. */
  interface Listener {
    /** The first watch of the task was added. */
    void first(String taskId);

    /** The last watch of the task was removed. */
    void last(String taskId);
  }

  private final Map<String, List<Watch>> byTask = new HashMap<>();
  private final Listener listener;
  private int size;

  TaskWatches(Listener listener) {
    this.listener = listener;
  }

  Watch add(Object ref, String taskId, boolean events) {
    Watch watch = new Watch(ref, taskId, events);
    List<Watch> watches = byTask.get(taskId);
    if (watches == null) {
      watches = new ArrayList<>(1);
      byTask.put(taskId, watches);
      listener.first(taskId);
    }
    watches.add(watch);
    size++;
    return watch;
  }

  /** The watches of a task, as a copy that stays valid while they are removed. */
  List<Watch> of(String taskId) {
    List<Watch> watches = taskId == null ? null : byTask.get(taskId);
    return watches == null ? List.of() : List.copyOf(watches);
  }

  void remove(Watch watch) {
    List<Watch> watches = byTask.get(watch.taskId);
    if (watches != null && watches.remove(watch)) {
      watch.ended = true;
      size--;
      if (watches.isEmpty()) {
        byTask.remove(watch.taskId);
        listener.last(watch.taskId);
      }
    }
  }

  int size() {
    return size;
  }

  void clear() {
    List<String> tasks = List.copyOf(byTask.keySet());
    byTask.clear();
    size = 0;
    tasks.forEach(listener::last);
  }
}
