/**
 * The messages the leader's four verticles (coordinator, load balancer, resource, health) exchange
 * inside the leading JVM, over local consumers only. They are immutable records handed over by
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
 * </pre>
 */
package io.mastermind.controlplane;
