package io.mastermind.health;

import io.mastermind.health.MemberAudit.Member;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("MemberAudit rejects members that do not prove the cluster secret in time, and only those")
class MemberAuditTest {

  private static final long TIMEOUT = 2_000;
  private static final Predicate<String> NONE_KNOWN = id -> false;

  private final MemberAudit audit = new MemberAudit(TIMEOUT);
  private final Member c1 = new Member("m-c1", "c1", "10.0.0.1", 5701);
  private final Member rogue = new Member("m-x", "x3", "10.0.0.9", 5701);

  @Test
  @DisplayName("a member without a hello is rejected at its deadline, once, with its address; a member that said hello never")
  void deadline() {
    audit.members(List.of(c1, rogue), 0);
    audit.proven("m-c1", "c1");
    assertThat(audit.audit(TIMEOUT - 1, NONE_KNOWN)).isEmpty();
    List<MemberAudit.Rejected> rejected = audit.audit(TIMEOUT, NONE_KNOWN);
    assertThat(rejected).singleElement().satisfies(r -> {
      assertThat(r.id()).isEqualTo("x3");
      assertThat(r.host()).isEqualTo("10.0.0.9");
      assertThat(r.reason()).contains("TLS");
    });
    assertThat(audit.audit(TIMEOUT + 1_000, NONE_KNOWN)).as("announced once").isEmpty();
    assertThat(audit.rejected("x3").orElseThrow().refused()).isEqualTo(2);
    assertThat(audit.rejectedCount()).isEqualTo(1);
  }

  @Test
  @DisplayName("the deadline counts from when this leader first saw the member, not from each snapshot")
  void deadlineFromFirstSight() {
    audit.members(List.of(rogue), 0);
    audit.members(List.of(rogue, c1), 1_500);
    audit.proven("m-c1", "c1");
    assertThat(audit.audit(2_000, NONE_KNOWN)).extracting(MemberAudit.Rejected::id).containsExactly("x3");
  }

  @Test
  @DisplayName("a refused message lists its claimed sender at once; a later hello or join clears it; a new reason is announced again")
  void refusedThenProven() {
    audit.members(List.of(rogue), 0);
    assertThat(audit.refused("x3", "m-x", "bad_signature", 10, NONE_KNOWN)).isNotNull();
    assertThat(audit.refused("x3", "m-x", "bad_signature", 20, NONE_KNOWN)).as("same reason: not again").isNull();
    assertThat(audit.rejected("x3").orElseThrow().host()).isEqualTo("10.0.0.9");
    assertThat(audit.refused("x3", null, "stale", 30, NONE_KNOWN)).isNotNull();
    audit.proven("m-x", "x3");
    assertThat(audit.rejected()).isEmpty();
    audit.refused("x4", null, "unsigned", 40, NONE_KNOWN);
    audit.authenticated("x4");
    assertThat(audit.rejected()).isEmpty();
  }

  @Test
  @DisplayName("a name that belongs to an authenticated node is never listed: that is a forgery of it, not a rejected node")
  void knownNamesNotListed() {
    assertThat(audit.refused("w1", null, "wrong_identity", 0, Set.of("w1")::contains)).isNull();
    Member impersonator = new Member("m-y", "w1", "10.0.0.8", 5701);
    audit.members(List.of(impersonator), 0);
    assertThat(audit.audit(TIMEOUT, Set.of("w1")::contains)).isEmpty();
    assertThat(audit.rejected()).isEmpty();
  }

  @Test
  @DisplayName("an entry goes with its member; one without a member after a quiet spell; at most a bounded number are kept")
  void forgetting() {
    audit.members(List.of(rogue), 0);
    audit.audit(TIMEOUT, NONE_KNOWN);
    audit.members(List.of(), TIMEOUT + 1);
    assertThat(audit.rejected()).isEmpty();

    audit.refused("ghost", null, "unsigned", 0, NONE_KNOWN);
    audit.audit(MemberAudit.RETAINED_MS, NONE_KNOWN);
    assertThat(audit.rejected("ghost")).isPresent();
    audit.audit(MemberAudit.RETAINED_MS + 1, NONE_KNOWN);
    assertThat(audit.rejected("ghost")).isEmpty();

    for (int i = 0; i < MemberAudit.MAX_REJECTED + 50; i++) {
      audit.refused("n" + i, null, "unsigned", i, NONE_KNOWN);
    }
    assertThat(audit.rejectedCount()).isEqualTo(MemberAudit.MAX_REJECTED);
    assertThat(audit.rejected("n0")).as("the oldest went first").isEmpty();
  }
}
