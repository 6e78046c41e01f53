package io.mastermind.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Leadership and membership from Hazelcast: the {@link LeaderRule} over the age-ordered member list,
 * re-evaluated on every membership change, and member removal as the hard signal that a node is gone
 * (a killed JVM is removed in well under a second on one host).
 */
public final class HazelcastClusterView implements ClusterView {

  /** The leader epoch counter's key in the meta map. */
  static final String EPOCH_KEY = "epoch";

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final String localNodeId;
  private Context context;
  private Listener listener;
  private UUID registration;
  private boolean leading;

  public HazelcastClusterView(Vertx vertx, HazelcastInstance hazelcast, String localNodeId) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.localNodeId = localNodeId;
  }

  @Override
  public Future<Void> start(Listener listener) {
    this.context = vertx.getOrCreateContext();
    this.listener = listener;
    registration = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        context.runOnContext(v -> {
          evaluate();
          listener.membersChanged();
        });
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String nodeId = event.getMember().getAttribute(HazelcastConfigFactory.NODE_ID_ATTRIBUTE);
        context.runOnContext(v -> {
          if (nodeId != null && !isMember(nodeId)) {
            listener.nodeLost(nodeId);
          }
          evaluate();
          listener.membersChanged();
        });
      }
    });
    evaluate();
    return Future.succeededFuture();
  }

  private void evaluate() {
    boolean nowLeading = shouldLead();
    if (nowLeading != leading) {
      leading = nowLeading;
      listener.leadership(nowLeading);
    }
  }

  private static LeaderRule.Member toMember(Member member) {
    String roles = member.getAttribute(HazelcastConfigFactory.ROLES_ATTRIBUTE);
    Set<String> set = roles == null ? Set.of() : new HashSet<>(Arrays.asList(roles.split(",")));
    return new LeaderRule.Member(member.getAttribute(HazelcastConfigFactory.NODE_ID_ATTRIBUTE), set);
  }

  @Override
  public Future<Void> awaitSafe(long timeoutMs) {
    return ReplicaSafety.await(vertx, hazelcast, 0, System.currentTimeMillis() + timeoutMs);
  }

  @Override
  public boolean shouldLead() {
    if (!hazelcast.getLifecycleService().isRunning()) {
      return false;
    }
    List<LeaderRule.Member> members = hazelcast.getCluster().getMembers().stream().map(HazelcastClusterView::toMember).toList();
    Optional<String> leader = LeaderRule.leader(members);
    return leader.isPresent() && leader.get().equals(localNodeId);
  }

  @Override
  public List<MemberInfo> members() {
    return hazelcast.getCluster().getMembers().stream().map(m -> {
      LeaderRule.Member member = toMember(m);
      return new MemberInfo(m.getUuid().toString(), member.nodeId(), member.roles(), m.getAddress().getHost(),
        m.getAddress().getPort());
    }).toList();
  }

  @Override
  public Set<String> workerMembers() {
    Set<String> ids = new HashSet<>();
    for (Member member : hazelcast.getCluster().getMembers()) {
      LeaderRule.Member m = toMember(member);
      if (m.nodeId() != null && m.roles().contains("worker")) {
        ids.add(m.nodeId());
      }
    }
    return ids;
  }

  @Override
  public boolean isMember(String nodeId) {
    return hazelcast.getCluster().getMembers().stream()
      .anyMatch(m -> nodeId.equals(m.getAttribute(HazelcastConfigFactory.NODE_ID_ATTRIBUTE)));
  }

  @Override
  public Future<Void> stop() {
    if (registration != null && hazelcast.getLifecycleService().isRunning()) {
      hazelcast.getCluster().removeMembershipListener(registration);
    }
    return Future.succeededFuture();
  }

  /** Compare-and-set on the meta map; blocking Hazelcast calls, so off the event loop. */
  @Override
  public Future<Long> nextEpoch(long atLeast) {
    return vertx.executeBlocking(() -> {
      IMap<String, Long> meta = hazelcast.getMap(HazelcastConfigFactory.META_MAP);
      while (true) {
        Long current = meta.get(EPOCH_KEY);
        long next = Math.max(current == null ? 1L : current + 1, atLeast);
        if (current == null ? meta.putIfAbsent(EPOCH_KEY, next) == null : meta.replace(EPOCH_KEY, current, next)) {
          return next;
        }
      }
    });
  }

  @Override
  public Future<Void> raiseEpoch(long epoch) {
    return vertx.executeBlocking(() -> {
      IMap<String, Long> meta = hazelcast.getMap(HazelcastConfigFactory.META_MAP);
      while (true) {
        Long current = meta.get(EPOCH_KEY);
        if (current != null && current >= epoch) {
          return null;
        }
        if (current == null ? meta.putIfAbsent(EPOCH_KEY, epoch) == null : meta.replace(EPOCH_KEY, current, epoch)) {
          return null;
        }
      }
    });
  }
}
