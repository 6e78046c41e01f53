package io.mastermind.benchmarks;

import io.mastermind.balancer.NodeSnapshot;
import io.mastermind.balancer.PlacementIndex;
import io.mastermind.balancer.PlacementRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Placements per second of {@link PlacementIndex}: one operation takes the next of a million queued
 * requests, selects a node, reserves the request on it (an upsert with less free) and releases it
 * again (an upsert of the node as it was), so the cluster neither fills nor empties.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar PlacementBench -f 1 -wi 3 -i 5</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PlacementBench {

  static final long SEED = 20_261_201L;

  @Param({"least-loaded", "round-robin", "best-fit", "power-of-two"})
  public String strategy;

  @Param({"10000"})
  public int nodes;

  @Param({"1000000"})
  public int queued;

  private PlacementIndex index;
  private PlacementRequest[] requests;
  private int next;

  @Setup
  public void setUp() {
    List<NodeSnapshot> cluster = Cluster.nodes(nodes, SEED);
    requests = Cluster.requests(queued, SEED + 1);
    index = new PlacementIndex(strategy, new SplittableRandom(SEED));
    cluster.forEach(index::upsert);
    int placed = 0;
    int sample = Math.min(requests.length, 100_000);
    for (int i = 0; i < sample; i++) {
      placed += index.select(requests[i]).isPresent() ? 1 : 0;
    }
    System.out.printf("%n%s, %d nodes, %d queued: %.1f%% of the first %d requests find a node%n", strategy, nodes,
      queued, 100.0 * placed / sample, sample);
  }

  @Benchmark
  public NodeSnapshot selectReserveRelease() {
    PlacementRequest request = requests[next];
    if (++next == requests.length) {
      next = 0;
    }
    Optional<NodeSnapshot> chosen = index.select(request);
    if (chosen.isEmpty()) {
      return null;
    }
    NodeSnapshot node = chosen.get();
    index.upsert(Cluster.reserve(node, request));
    index.upsert(node);
    return node;
  }
}
