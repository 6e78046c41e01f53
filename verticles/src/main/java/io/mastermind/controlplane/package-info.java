/**
 * The leader's load balancer, resource and health verticles (the coordinator, which deploys them while
 * it leads, is in {@code io.mastermind.coordinator}), and the messages the four exchange inside the
 * leading JVM, over local consumers only. They are immutable records handed over by
 * {@link io.mastermind.controlplane.LocalCodec} without copying or encoding; nothing here crosses the
 * cluster (between nodes every message is a JSON {@link io.mastermind.protocol.Envelope}).
 *
 * <pre>
 *   gateway ──submit/get/cancel──▶ Coordinator ──PlacementPass──▶ LoadBalancer ──ReserveRequest──▶ Resource
 *                                   ▲   │  ◀──PlacementResult──────┘   ◀──ReserveResult──────────┘   │
 *                                   │   └──Release / Claim──────────────────────────────────────────▶│
 *                 NodeJoined/NodeLost/RevokeUnstarted              ◀──NodeViews (published)──────────┤
 *                                   │                                                                │
 *   workers ──node_join/resource_update/node_leave──▶ Health ──NodeUp/NodeDown/NodeEligible/Metrics──▶│
 *   (also: LoadBalancer ──CapacityAvailable──▶ Coordinator; Coordinator ──MemberLost/EpochChanged──▶ Health)
 * </pre>
 *
 * <p>The policies these verticles drive are pure classes in {@code balancer}, {@code resources} and
 * {@code health}.
 */
package io.mastermind.controlplane;
