package io.mastermind.controlplane;

import io.mastermind.resources.ReservationBook;
import io.mastermind.resources.Resources;
import io.mastermind.controlplane.ControlMessages.Claim;
import io.mastermind.controlplane.ControlMessages.NodeDown;
import io.mastermind.controlplane.ControlMessages.NodeEligible;
import io.mastermind.controlplane.ControlMessages.NodeMetrics;
import io.mastermind.controlplane.ControlMessages.NodeUp;
import io.mastermind.controlplane.ControlMessages.NodeView;
import io.mastermind.controlplane.ControlMessages.NodeViews;
import io.mastermind.controlplane.ControlMessages.Release;
import io.mastermind.controlplane.ControlMessages.ReserveRequest;
import io.mastermind.controlplane.ControlMessages.ReserveResult;
import io.mastermind.controlplane.ControlMessages.Reservation;
import io.mastermind.controlplane.ControlMessages.ViewsWanted;
import io.mastermind.events.EventPublisher;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.EventNames;
import io.mastermind.protocol.NodeConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leader's resource manager (the seed's ResourceManager): the {@link ReservationBook} of every
 * node (allocate, release, checkAvailability, prefetch), each node's latest {@code resource_update}
 * metrics, and whether a node takes new tasks. Every change is published once per event-loop turn as
 * {@link NodeViews} to the load balancer and health verticles, which keep views of their own.
 *
 * <p>Runs only on the leading coordinator's JVM, deployed by it for as long as it leads.
 */
public final class ResourceVerticle extends VerticleBase {

  private static final double MAX_CPU = 1e6;

  private final ReservationBook book;
  private final Map<String, NodeConfig> configs = new HashMap<>();
  private final Map<String, Boolean> eligible = new HashMap<>();
  private final Map<String, JsonObject> metrics = new HashMap<>();
  private final String leaderId;
  private final Set<String> changed = new LinkedHashSet<>();
  private final List<String> removed = new ArrayList<>();
  private boolean publishScheduled;
  private MessageConsumer<Object> consumer;
  private EventPublisher events;

  public ResourceVerticle(String leaderId) {
    this(leaderId, 0);
  }

  /**
   * {@code prefetchWindowMs}: see {@link io.mastermind.resources.PrefetchWindow}; 0 lets each node
   * prefetch exactly what it advertised.
   */
  public ResourceVerticle(String leaderId, long prefetchWindowMs) {
    this.book = prefetchWindowMs == 0 ? new ReservationBook()
      : new ReservationBook(ReservationBook.STEADY_PREFETCH, prefetchWindowMs, System::currentTimeMillis);
    this.leaderId = leaderId;
  }

  @Override
  public Future<?> start() {
    events = new EventPublisher(vertx.eventBus(), leaderId);
    consumer = vertx.eventBus().localConsumer(Addresses.LEADER_RESOURCES, this::onMessage);
    return consumer.completion();
  }

  private void onMessage(Message<Object> message) {
    Object body = message.body();
    if (body instanceof ReserveRequest request) {
      message.reply(reserve(request));
    } else if (body instanceof Release release) {
      release.freed().forEach(r -> changed(book.release(r.key())));
    } else if (body instanceof Claim claim) {
      for (Reservation r : claim.reservations()) {
        book.claim(r.key(), r.nodeId(), r.resources());
        changed(r.nodeId());
      }
    } else if (body instanceof NodeUp up) {
      NodeConfig config = up.config();
      configs.put(config.id(), config);
      eligible.put(config.id(), true);
      book.registerNode(config.id(), capacityOf(config), up.prefetch());
      removed.remove(config.id());
      changed(config.id());
    } else if (body instanceof NodeDown down) {
      configs.remove(down.nodeId());
      eligible.remove(down.nodeId());
      metrics.remove(down.nodeId());
      book.removeNode(down.nodeId());
      changed.remove(down.nodeId());
      removed.add(down.nodeId());
      schedulePublish();
    } else if (body instanceof NodeEligible e) {
      if (configs.containsKey(e.nodeId())) {
        eligible.put(e.nodeId(), e.eligible());
        changed(e.nodeId());
      }
    } else if (body instanceof NodeMetrics m) {
      if (configs.containsKey(m.nodeId())) {
        metrics.put(m.nodeId(), m.metrics());
        changed(m.nodeId());
        events.publishAbout(EventNames.RESOURCE_UPDATE, m.nodeId(), new JsonObject().put("metrics", m.metrics())
          .put("runningTasks", book.load(m.nodeId()).held()));
      }
    } else if (body instanceof ViewsWanted) {
      vertx.eventBus().publish(Addresses.LEADER_NODE_VIEWS, new NodeViews(allViews(), List.of(), true));
    }
  }

  private ReserveResult reserve(ReserveRequest request) {
    request.released().forEach(key -> changed(book.release(key)));
    List<ReservationBook.Grant> grants = new ArrayList<>(request.reservations().size());
    for (Reservation r : request.reservations()) {
      // The balancer plans on views published a turn later: a node drained or suspected since then is
      // refused here, where eligibility changes arrive in order with the coordinator's requests.
      ReservationBook.Grant grant = eligible.getOrDefault(r.nodeId(), false)
        ? book.reserve(r.key(), r.nodeId(), r.resources()) : ReservationBook.Grant.REFUSED;
      grants.add(grant);
      // a refusal republishes the node too: the balancer's view of it was stale
      changed(r.nodeId());
    }
    return new ReserveResult(grants);
  }

  /** A node's capacity in the ledger's units: cores, MB, gpus. */
  public static Resources capacityOf(NodeConfig config) {
    return new Resources(Math.min(MAX_CPU, config.cpuCores()), config.memoryMb(), config.gpu() ? 1 : 0);
  }

  private void changed(String nodeId) {
    if (nodeId != null && configs.containsKey(nodeId)) {
      changed.add(nodeId);
      schedulePublish();
    }
  }

  /** Coalesces every change of one turn of the loop into one published message. */
  private void schedulePublish() {
    if (!publishScheduled) {
      publishScheduled = true;
      context.runOnContext(v -> {
        publishScheduled = false;
        List<NodeView> views = new ArrayList<>(changed.size());
        changed.forEach(id -> views.add(view(id)));
        NodeViews message = new NodeViews(views, List.copyOf(removed), false);
        changed.clear();
        removed.clear();
        vertx.eventBus().publish(Addresses.LEADER_NODE_VIEWS, message);
      });
    }
  }

  private List<NodeView> allViews() {
    List<NodeView> views = new ArrayList<>(configs.size());
    configs.keySet().forEach(id -> views.add(view(id)));
    return views;
  }

  private NodeView view(String nodeId) {
    return new NodeView(configs.get(nodeId), eligible.getOrDefault(nodeId, false), book.load(nodeId),
      metrics.getOrDefault(nodeId, new JsonObject()));
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister();
  }
}
