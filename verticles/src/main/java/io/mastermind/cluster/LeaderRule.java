package io.mastermind.cluster;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who leads: the oldest live member that has the coordinator role. Hazelcast's member list is ordered
 * by age and every member sees the same list, so all agree without a vote; a new member never deposes
 * the leader, and when the leader dies the next oldest coordinator takes over. Pure.
 */
public final class LeaderRule {

  /** One cluster member as the rule sees it. */
  public record Member(String nodeId, Set<String> roles) {
  }

  private LeaderRule() {
  }

  /** @param membersOldestFirst the cluster's members in age order */
  public static Optional<String> leader(List<Member> membersOldestFirst) {
    return membersOldestFirst.stream().filter(m -> m.roles().contains("coordinator")).map(Member::nodeId).findFirst();
  }
}
