package io.mastermind.health;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which cluster members proved the cluster secret, and which are rejected (node authentication). Pure;
 * not thread-safe (the leader's health verticle owns it).
 *
 * <p>Every member of the membership must prove the secret (a signed {@code member_hello}) within
 * {@code authTimeoutMs} of the first time this leader saw it; a member that has not, or whose messages
 * fail authentication, is rejected. A rejected entry is keyed by the node id it claims, unless that id
 * belongs to a node that did authenticate ({@code knownNode}): then someone forges that node's name,
 * which is alerted elsewhere, and nothing is listed. An entry goes when its member leaves the
 * membership, when the node authenticates after all, or {@value #RETAINED_MS} ms after it was last
 * seen when no member is known for it; at most {@value #MAX_REJECTED} are kept, the oldest dropped.
 */
public final class MemberAudit {

  static final long RETAINED_MS = 5 * 60_000;
  static final int MAX_REJECTED = 256;

  /** A member as the membership shows it: its id there, the node id it announces (may be null), its address. */
  public record Member(String memberId, String nodeId, String host, int port) {
  }

  /** A rejected member, as {@code GET /api/v1/nodes} lists it. */
  public static final class Rejected {
    private final String id;
    private final long firstSeen;
    private String memberId;
    private String host;
    private int port;
    private String reason;
    private long lastSeen;
    private long refused;

    private Rejected(String id, long now) {
      this.id = id;
      this.firstSeen = now;
      this.lastSeen = now;
    }

    /** The node id it claims (or its member id when it claims none). */
    public String id() {
      return id;
    }

    public String memberId() {
      return memberId;
    }

    public String host() {
      return host;
    }

    public int port() {
      return port;
    }

    public String reason() {
      return reason;
    }

    public long firstSeen() {
      return firstSeen;
    }

    public long lastSeen() {
      return lastSeen;
    }

    /** How many times it was refused (messages, and audits past its deadline). */
    public long refused() {
      return refused;
    }
  }

  private final long authTimeoutMs;
  private final Map<String, Member> members = new HashMap<>();
  private final Map<String, Long> seenSince = new HashMap<>();
  /** Member id to the node id it proved. */
  private final Map<String, String> proven = new HashMap<>();
  private final Map<String, Rejected> rejected = new LinkedHashMap<>();

  public MemberAudit(long authTimeoutMs) {
    if (authTimeoutMs <= 0) {
      throw new IllegalArgumentException("authTimeoutMs must be > 0");
    }
    this.authTimeoutMs = authTimeoutMs;
  }

  /** The membership now; a member not seen before has {@code authTimeoutMs} from now to prove the secret. */
  public void members(List<Member> now, long nowMs) {
    Map<String, Member> current = new HashMap<>();
    now.forEach(m -> current.put(m.memberId(), m));
    members.keySet().retainAll(current.keySet());
    seenSince.keySet().retainAll(current.keySet());
    proven.keySet().retainAll(current.keySet());
    members.putAll(current);
    current.keySet().forEach(id -> seenSince.putIfAbsent(id, nowMs));
    rejected.values().removeIf(r -> r.memberId != null && !current.containsKey(r.memberId));
  }

  /** A member proved the secret as node {@code nodeId} ({@code memberId} may be null: nothing to tie it to). */
  public void proven(String memberId, String nodeId) {
    if (memberId != null) {
      proven.put(memberId, nodeId);
      rejected.values().removeIf(r -> memberId.equals(r.memberId));
    }
    rejected.remove(nodeId);
  }

  /** Node {@code nodeId} authenticated another way (a valid join): it is not rejected. */
  public void authenticated(String nodeId) {
    rejected.remove(nodeId);
  }

  /**
   * A message claiming to come from {@code claimedId} failed authentication.
   *
   * @return the entry when it is new or its reason changed (worth an alert), else null
   */
  public Rejected refused(String claimedId, String memberId, String reason, long nowMs, Predicate<String> knownNode) {
    Member member = memberId == null ? null : members.get(memberId);
    return reject(claimedId, memberId, member == null ? null : member.host(), member == null ? 0 : member.port(), reason,
      nowMs, knownNode);
  }

  /**
   * Rejects the members past their deadline without proof, and forgets stale entries.
   *
   * @return the entries new or changed by this audit (worth an alert)
   */
  public List<Rejected> audit(long nowMs, Predicate<String> knownNode) {
    List<Rejected> changed = new ArrayList<>();
    for (Member m : members.values()) {
      if (!proven.containsKey(m.memberId()) && nowMs - seenSince.getOrDefault(m.memberId(), nowMs) >= authTimeoutMs) {
        Rejected r = reject(m.nodeId() == null ? m.memberId() : m.nodeId(), m.memberId(), m.host(), m.port(),
          "no signed member_hello within " + authTimeoutMs + " ms: a wrong or missing cluster secret, or kept off the"
            + " event bus by TLS", nowMs, knownNode);
        if (r != null) {
          changed.add(r);
        }
      }
    }
    for (Iterator<Rejected> it = rejected.values().iterator(); it.hasNext(); ) {
      Rejected r = it.next();
      if (r.memberId == null && nowMs - r.lastSeen > RETAINED_MS) {
        it.remove();
      }
    }
    return changed;
  }

  private Rejected reject(String claimedId, String memberId, String host, int port, String reason, long nowMs,
                          Predicate<String> knownNode) {
    if (knownNode.test(claimedId) || memberId != null && proven.containsKey(memberId)) {
      return null;
    }
    Rejected entry = rejected.get(claimedId);
    boolean fresh = entry == null;
    if (fresh) {
      if (rejected.size() >= MAX_REJECTED) {
        Iterator<String> oldest = rejected.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
      entry = new Rejected(claimedId, nowMs);
      rejected.put(claimedId, entry);
    }
    entry.lastSeen = nowMs;
    entry.refused++;
    if (memberId != null) {
      entry.memberId = memberId;
    }
    if (host != null) {
      entry.host = host;
      entry.port = port;
    }
    if (fresh || !reason.equals(entry.reason)) {
      entry.reason = reason;
      return entry;
    }
    return null;
  }

  public Optional<Rejected> rejected(String id) {
    return Optional.ofNullable(rejected.get(id));
  }

  public Collection<Rejected> rejected() {
    return Collections.unmodifiableCollection(rejected.values());
  }

  public int rejectedCount() {
    return rejected.size();
  }
}
