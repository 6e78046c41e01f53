package io.mastermind.worker;

import io.mastermind.resources.Resources;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local queue of one worker and the gate in front of its task threads: tasks start in arrival
 * order, the head only while what it needs fits what the node has free and a thread is free.
 * Pure Java, not thread-safe: the worker drives it from its event-loop context.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li>Strictly first in, first out: a head that does not fit blocks those behind it (no overtaking),
 *       so a big task is never starved by a stream of small ones.</li>
 *   <li>A task needing more than the node has in all (more cores than the node, or a gpu the node lacks)
 *       could never fit: it starts when nothing else runs, rather than never, and nothing starts beside it.</li>
 *   <li>Items are told apart by {@code equals}; the worker's tasks keep object identity, so two attempts
 *       of one task are two items.</li>
 *   <li>Cpu sums use {@link Resources}' epsilon; the running total is reset to exactly zero whenever
 *       nothing runs, so floating point error never accumulates across idle periods.</li>
 * </ul>
 *
 * @param <T> the task type
 */
public final class SlotGate<T> {

  private final Resources capacity;
  private final int threads;
  private final Map<T, Resources> waiting = new LinkedHashMap<>();
  private final Map<T, Resources> running = new HashMap<>();
  private Resources used = Resources.ZERO;

  /**
   * @param capacity the node's cpu cores, memory MB and gpus
   * @param threads  how many tasks may run at once, whatever they need (the task thread pool's size)
   */
  public SlotGate(Resources capacity, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be > 0 (got " + threads + ")");
    }
    this.capacity = capacity;
    this.threads = threads;
  }

  /** Queues {@code item} behind every waiting one; it needs {@code need} while it runs. */
  public void enqueue(T item, Resources need) {
    if (waiting.containsKey(item) || running.containsKey(item)) {
      throw new IllegalStateException("already queued or running: " + item);
    }
    waiting.put(item, need);
  }

  /**
   * Moves the tasks that may start now from the head of the queue to running, in order, and returns
   * them; the caller starts each one (and later calls {@link #remove} when it ends).
   */
  public List<T> startable() {
    List<T> start = new ArrayList<>();
    Iterator<Map.Entry<T, Resources>> head = waiting.entrySet().iterator();
    while (head.hasNext()) {
      Map.Entry<T, Resources> next = head.next();
      if (!fitsNow(next.getValue())) {
        break;
      }
      head.remove();
      running.put(next.getKey(), next.getValue());
      used = used.plus(next.getValue());
      start.add(next.getKey());
    }
    return start;
  }

  private boolean fitsNow(Resources need) {
    if (running.isEmpty()) {
      return true; // fits in all, or needs more than the node has: then it runs alone
    }
    // an oversized task running alone leaves nothing free, on any dimension
    return running.size() < threads && capacity.covers(used) && capacity.minus(used).covers(need);
  }

  /**
   * Forgets {@code item}, waiting or running; a running one gives back what it held.
   *
   * @return true when it was waiting or running
   */
  public boolean remove(T item) {
    if (waiting.remove(item) != null) {
      return true;
    }
    Resources held = running.remove(item);
    if (held == null) {
      return false;
    }
    used = running.isEmpty() ? Resources.ZERO : used.minus(held);
    return true;
  }

  public boolean isWaiting(T item) {
    return waiting.containsKey(item);
  }

  public boolean isRunning(T item) {
    return running.containsKey(item);
  }

  public int waitingCount() {
    return waiting.size();
  }

  public int runningCount() {
    return running.size();
  }

  /** What the running tasks hold together. */
  public Resources used() {
    return used;
  }

  public Resources capacity() {
    return capacity;
  }
}
