/**
 * JMH benchmarks of the pure policies, packaged as {@code benchmarks/target/benchmarks.jar} and run by
 * hand, never by the build: {@code java -jar benchmarks/target/benchmarks.jar PlacementBench -f 1 -wi 3 -i 5}.
 * {@link io.mastermind.benchmarks.PlacementBench} measures {@link io.mastermind.balancer.PlacementIndex};
 * {@link io.mastermind.benchmarks.LinearSelectBench} the linear {@link io.mastermind.balancer.LoadBalancer}
 * it replaces, on the same synthetic {@code Cluster}.
 */
package io.mastermind.benchmarks;
