/**
 * Cluster mode: the Hazelcast config, leadership and membership ({@link io.mastermind.cluster.ClusterView}),
 * and the replicated task store.
 */
package io.mastermind.cluster;
