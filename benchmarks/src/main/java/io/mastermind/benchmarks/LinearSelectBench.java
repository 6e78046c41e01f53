package io.mastermind.benchmarks;

import io.mastermind.balancer.LoadBalancer;
import io.mastermind.balancer.NodeSnapshot;
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

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The baseline {@link PlacementBench} is measured against: the linear {@link LoadBalancer#select} over
 * the same cluster and queue, with the same reserve and release around each choice (here a write of the
 * snapshot array the balancer reads). Slow at 10,000 nodes, hence fewer iterations by default.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar LinearSelectBench -f 1 -wi 1 -i 3</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
public class LinearSelectBench {

  @Param({"least-loaded", "round-robin", "best-fit", "power-of-two"})
  public String strategy;

  @Param({"10000"})
  public int nodes;

  @Param({"1000000"})
  public int queued;

  private LoadBalancer balancer;
  private NodeSnapshot[] snapshots;
  private List<NodeSnapshot> view;
  private final Map<String, Integer> positions = new HashMap<>();
  private PlacementRequest[] requests;
  private int next;

  @Setup
  public void setUp() {
    snapshots = Cluster.nodes(nodes, PlacementBench.SEED).toArray(new NodeSnapshot[0]);
    view = Arrays.asList(snapshots);
    for (int i = 0; i < snapshots.length; i++) {
      positions.put(snapshots[i].nodeId(), i);
    }
    requests = Cluster.requests(queued, PlacementBench.SEED + 1);
    balancer = new LoadBalancer(LoadBalancer.strategy(strategy));
  }

  @Benchmark
  public NodeSnapshot selectReserveRelease() {
    PlacementRequest request = requests[next];
    if (++next == requests.length) {
      next = 0;
    }
    Optional<NodeSnapshot> chosen = balancer.select(view, request);
    if (chosen.isEmpty()) {
      return null;
    }
    NodeSnapshot node = chosen.get();
    int at = positions.get(node.nodeId());
    snapshots[at] = Cluster.reserve(node, request);
    snapshots[at] = node;
    return node;
  }
}
