package io.mastermind.controlplane;

import io.mastermind.balancer.PassPlanner;
import io.mastermind.balancer.NodeSnapshot;
import io.mastermind.controlplane.ControlMessages.Candidate;
import io.mastermind.controlplane.ControlMessages.CapacityAvailable;
import io.mastermind.controlplane.ControlMessages.NodeView;
import io.mastermind.controlplane.ControlMessages.NodeViews;
import io.mastermind.controlplane.ControlMessages.Placed;
import io.mastermind.controlplane.ControlMessages.PlacementPass;
import io.mastermind.controlplane.ControlMessages.PlacementResult;
import io.mastermind.controlplane.ControlMessages.Reservation;
import io.mastermind.controlplane.ControlMessages.ReserveRequest;
import io.mastermind.controlplane.ControlMessages.ReserveResult;
import io.mastermind.controlplane.ControlMessages.ViewsWanted;
import io.mastermind.protocol.Addresses;
import io.mastermind.resources.ReservationBook;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leader's load balancer (the seed's LoadBalancer): for each scheduling pass the coordinator
 * sends, it chooses nodes with the configured strategy over its view of the nodes ({@link PassPlanner},
 * rebuilt from the resource verticle's published {@link NodeViews}), asks the resource verticle to
 * reserve them, and answers what was placed, why the rest was not, and how much room is left. When
 * room comes back after a pass found none, it tells the coordinator ({@link CapacityAvailable}).
 */
public final class LoadBalancerVerticle extends VerticleBase {

  private final String strategy;
  private PassPlanner planner;
  private int reportedRoom;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  /** A pass had a reservation refused by the ledger (its view was stale): the next views ask for another pass. */
  private boolean refusedSinceViews;

  public LoadBalancerVerticle(String strategy) {
    this.strategy = strategy;
  }

  @Override
  public Future<?> start() {
    planner = new PassPlanner(strategy);
    var bus = vertx.eventBus();
    consumers.add(bus.<PlacementPass>localConsumer(Addresses.LEADER_BALANCER, this::onPass));
    consumers.add(bus.<NodeViews>localConsumer(Addresses.LEADER_NODE_VIEWS, m -> onViews(m.body())));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
      .onSuccess(v -> bus.send(Addresses.LEADER_RESOURCES, new ViewsWanted()));
  }

  private void onPass(Message<PlacementPass> message) {
    PlacementPass pass = message.body();
    List<ReservationBook.Key> released = new ArrayList<>(pass.released().size());
    for (Reservation r : pass.released()) {
      planner.released(r.nodeId(), r.resources());
      released.add(r.key());
    }
    List<Candidate> candidates = pass.candidates();
    List<PassPlanner.Task> tasks = new ArrayList<>(candidates.size());
    Map<String, Candidate> byId = new HashMap<>();
    for (Candidate c : candidates) {
      tasks.add(new PassPlanner.Task(c.taskId(), c.request()));
      byId.put(c.taskId(), c);
    }
    PassPlanner.Plan plan = planner.plan(tasks);
    if (plan.decisions().isEmpty() && released.isEmpty()) {
      reply(message, List.of(), plan);
      return;
    }
    List<Reservation> reservations = new ArrayList<>(plan.decisions().size());
    for (PassPlanner.Decision d : plan.decisions()) {
      Candidate c = byId.get(d.taskId());
      reservations.add(new Reservation(new ReservationBook.Key(c.taskId(), c.attempt()), d.nodeId(),
        c.request().resources()));
    }
    vertx.eventBus().<ReserveResult>request(Addresses.LEADER_RESOURCES, new ReserveRequest(released, reservations))
      .onComplete(ar -> {
        List<Placed> placed = new ArrayList<>();
        if (ar.succeeded()) {
          List<ReservationBook.Grant> grants = ar.result().body().grants();
          for (int i = 0; i < grants.size(); i++) {
            Reservation r = reservations.get(i);
            if (grants.get(i) != ReservationBook.Grant.REFUSED) {
              placed.add(new Placed(r.key().taskId(), r.key().attempt(), r.nodeId(),
                grants.get(i) == ReservationBook.Grant.PREFETCHED));
            } else {
              refusedSinceViews = true;
            }
          }
        } else {
          refusedSinceViews = true;
        }
        reply(message, placed, plan);
      });
  }

  private void reply(Message<PlacementPass> message, List<Placed> placed, PassPlanner.Plan plan) {
    reportedRoom = planner.room();
    message.reply(new PlacementResult(placed, plan.blocked(), reportedRoom));
  }

  private void onViews(NodeViews views) {
    if (views.full()) {
      planner.members().forEach(node -> planner.remove(node.nodeId()));
    }
    views.removed().forEach(planner::remove);
    for (NodeView view : views.views()) {
      ReservationBook.Load load = view.load();
      NodeSnapshot snapshot = new NodeSnapshot(view.nodeId(), view.config().capabilities(), view.config().functions(),
        ResourceVerticle.capacityOf(view.config()), load.free(), load.held());
      planner.put(new PassPlanner.Node(snapshot, view.eligible(), load.prefetched(), load.prefetchLimit()));
    }
    // a refused task stays queued: once the ledger's corrected views are in, the coordinator passes again
    if (planner.room() > reportedRoom || (refusedSinceViews && planner.room() > 0)) {
      refusedSinceViews = false;
      reportedRoom = planner.room();
      vertx.eventBus().send(Addresses.LEADER_COORDINATOR, new CapacityAvailable(reportedRoom));
    }
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }
}
