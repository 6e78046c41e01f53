/**
 * Load balancing: pure Java, no Vert.x. {@link io.mastermind.balancer.LoadBalancer} filters nodes by
 * capability, function and free resources; a {@link io.mastermind.balancer.LoadBalancingStrategy}
 * chooses among those that fit (least-loaded, round-robin, best-fit, power-of-two).
 * {@link io.mastermind.balancer.PlacementIndex} makes the same choices without scanning every node: it
 * keeps the nodes indexed by capability, function and free resources as they change.
 */
package io.mastermind.balancer;
