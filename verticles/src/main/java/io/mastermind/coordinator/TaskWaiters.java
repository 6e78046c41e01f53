package io.mastermind.coordinator;

import io.vertx.core.eventbus.Message;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/** Requests waiting for a task to end ({@code ?wait=MS}), each with the timer that answers it early. */
final class TaskWaiters {

  private record Waiter(Message<?> message, long timer) {
  }

  private final Map<String, List<Waiter>> byTask = new HashMap<>();

  void add(String taskId, Message<?> message, long timer) {
    byTask.computeIfAbsent(taskId, k -> new ArrayList<>()).add(new Waiter(message, timer));
  }

  /** Removes one waiter (its timer fired); false when it was already answered. */
  boolean remove(String taskId, Message<?> message) {
    List<Waiter> list = byTask.get(taskId);
    if (list == null || !list.removeIf(w -> w.message() == message)) {
      return false;
    }
    if (list.isEmpty()) {
      byTask.remove(taskId);
    }
    return true;
  }

  /** Answers every waiter of the task and cancels their timers. */
  void complete(String taskId, Consumer<Message<?>> answer, LongConsumer cancelTimer) {
    List<Waiter> list = byTask.remove(taskId);
    if (list != null) {
      for (Waiter waiter : list) {
        cancelTimer.accept(waiter.timer());
        answer.accept(waiter.message());
      }
    }
  }
}
