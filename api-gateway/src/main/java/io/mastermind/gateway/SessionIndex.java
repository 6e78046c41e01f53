package io.mastermind.gateway;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which open WebSocket sessions a live event goes to: those following its task (by task id) and those with a
 * subscription. Without it every event was offered to every session, each looking it up in its own
 * watches: a cost per event that grew with the number of open sockets, most of which follow other tasks.
 *
 * <p>Confined to the gateway's event loop (its sockets and its one consumer of the events run there);
 * generic in the session type so it is tested without sockets.
 */
final class SessionIndex<S> {

  /** Task id to the one session following it, or to a {@code List} of them when several do (rare). */
  private final Map<String, Object> watchers = new HashMap<>();
  private final Set<S> subscribers = new LinkedHashSet<>();
  /** The subscribers as an array, rebuilt when they change (rarely), so a delivery may change the set. */
  private Object[] subscriberArray = new Object[0];

  /** {@code session} follows {@code taskId} now (its first watch of the task). */
  @SuppressWarnings("unchecked")
  void watch(String taskId, S session) {
    Object current = watchers.get(taskId);
    if (current == null) {
      watchers.put(taskId, session);
    } else if (current instanceof SessionList<?> list) {
      ((SessionList<S>) list).add(session);
    } else {
      SessionList<S> sessions = new SessionList<>();
      sessions.add((S) current);
      sessions.add(session);
      watchers.put(taskId, sessions);
    }
  }

  /** {@code session} no longer follows {@code taskId} (its last watch of the task ended). */
  void unwatch(String taskId, S session) {
    Object current = watchers.get(taskId);
    if (current == session) {
      watchers.remove(taskId);
    } else if (current instanceof SessionList<?> list) {
      list.remove(session);
      if (list.isEmpty()) {
        watchers.remove(taskId);
      }
    }
  }

  /** What keeps this index told of {@code session}'s watches: its first and last watch of each task. */
  TaskWatches.Listener listenerFor(S session) {
    return new TaskWatches.Listener() {
      @Override
      public void first(String taskId) {
        watch(taskId, session);
      }

      @Override
      public void last(String taskId) {
        unwatch(taskId, session);
      }
    };
  }

  /** Whether {@code session} has a subscription (one pattern or more). */
  void subscribed(S session, boolean subscribed) {
    if (subscribed ? subscribers.add(session) : subscribers.remove(session)) {
      subscriberArray = subscribers.toArray();
    }
  }

  /** Hands {@code taskId}'s event to each session following the task; a session may stop following it meanwhile. */
  @SuppressWarnings("unchecked")
  void forEachWatcher(String taskId, Consumer<S> delivery) {
    Object current = taskId == null ? null : watchers.get(taskId);
    if (current instanceof SessionList<?> list) {
      for (Object session : list.toArray()) {
        delivery.accept((S) session);
      }
    } else if (current != null) {
      delivery.accept((S) current);
    }
  }

  /** Hands an event to each session with a subscription. */
  @SuppressWarnings("unchecked")
  void forEachSubscriber(Consumer<S> delivery) {
    for (Object session : subscriberArray) {
      delivery.accept((S) session);
    }
  }

  /** Tasks followed by at least one session. */
  int watchedTasks() {
    return watchers.size();
  }

  int subscriberCount() {
    return subscribers.size();
  }

  /** Several sessions following one task: its own class, so a session is never mistaken for a list of them. */
  private static final class SessionList<S> extends ArrayList<S> {
  }
}
