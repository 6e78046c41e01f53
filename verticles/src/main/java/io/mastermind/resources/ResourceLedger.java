package io.mastermind.resources;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Per-node book of cpu, memory and gpu: what each node has and what running tasks hold.
 * {@link #allocate} never commits more than a node's capacity; every reservation is released exactly
 * once, by {@link #release} or when its node is removed.
 *
 * <p>Not thread-safe: the coordinator owns it and touches it from its own context only.
 */
public final class ResourceLedger {

  private record Reservation(String nodeId, Resources amount) {
  }

  private final Map<String, Resources> capacity = new HashMap<>();
  private final Map<String, Resources> reserved = new HashMap<>();
  private final Map<String, Reservation> reservations = new HashMap<>();
  private long nextId;

  /** Adds a node, or changes its capacity keeping what is already reserved on it. */
  public void registerNode(String nodeId, Resources nodeCapacity) {
    capacity.put(nodeId, nodeCapacity);
    reserved.putIfAbsent(nodeId, Resources.ZERO);
  }

  /** Drops a node and all its reservations; returns the ids of the reservations dropped. */
  public List<String> removeNode(String nodeId) {
    capacity.remove(nodeId);
    reserved.remove(nodeId);
    List<String> dropped = new ArrayList<>();
    reservations.entrySet().removeIf(e -> {
      boolean onNode = e.getValue().nodeId().equals(nodeId);
      if (onNode) {
        dropped.add(e.getKey());
      }
      return onNode;
    });
    return dropped;
  }

  public boolean hasNode(String nodeId) {
    return capacity.containsKey(nodeId);
  }

  public Set<String> nodes() {
    return Set.copyOf(capacity.keySet());
  }

  /** True when the node has at least {@code request} free right now. */
  public boolean checkAvailability(String nodeId, Resources request) {
    return hasNode(nodeId) && available(nodeId).covers(request);
  }

  /** Reserves {@code request} on the node; the reservation id, or empty when it does not fit. */
  public Optional<String> allocate(String nodeId, Resources request) {
    if (!checkAvailability(nodeId, request)) {
      return Optional.empty();
    }
    String id = nodeId + "#" + (++nextId);
    reservations.put(id, new Reservation(nodeId, request));
    reserved.merge(nodeId, request, Resources::plus);
    return Optional.of(id);
  }

  /** Returns a reservation's resources to its node; false when the id is unknown or already released. */
  public boolean release(String reservationId) {
    Reservation reservation = reservationId == null ? null : reservations.remove(reservationId);
    if (reservation == null) {
      return false;
    }
    reserved.computeIfPresent(reservation.nodeId(), (node, held) -> held.minus(reservation.amount()));
    return true;
  }

  public Resources capacity(String nodeId) {
    return capacity.getOrDefault(nodeId, Resources.ZERO);
  }

  public Resources available(String nodeId) {
    Resources total = capacity.get(nodeId);
    return total == null ? Resources.ZERO : total.minus(reserved.getOrDefault(nodeId, Resources.ZERO));
  }

  public int reservationCount(String nodeId) {
    return (int) reservations.values().stream().filter(r -> r.nodeId().equals(nodeId)).count();
  }

  public int reservationCount() {
    return reservations.size();
  }
}
