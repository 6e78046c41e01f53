package io.mastermind.node;

import io.mastermind.testsupport.TestHttp;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tracing across a real cluster with signed node messages: a coordinator+gateway node and a worker
 * node, each on its own clustered Vert.x; the trace context crosses the cluster event bus in message
 * headers beside the sealed envelopes, so the worker's run span is in the trace of the HTTP request.
 */
@DisplayName("Tracing across the cluster: the worker node's run span is in the trace of the gateway's HTTP request")
@Timeout(180)
class TracingClusterTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
    .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
    .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
    .build();
  private final String clusterName = "mm-traced-" + UUID.randomUUID();
  private final List<MastermindNode> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    for (MastermindNode node : nodes) {
      node.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    sdk.close();
  }

  private MastermindNode start(String id, List<String> roles, int clusterPort, int seedPort) throws Exception {
    JsonObject settings = new JsonObject().put("nodeId", id).put("clusterName", clusterName)
      .put("roles", new JsonArray(roles))
      .put("cluster", new JsonObject().put("enabled", true).put("port", clusterPort)
        .put("secret", "traced-cluster-secret-0123456789abcdef0123456789")
        .put("join", new JsonArray(List.of("127.0.0.1:" + seedPort))))
      .put("http", new JsonObject().put("port", 0))
      .put("worker", new JsonObject().put("cpu", 1).put("memory", 512));
    MastermindNode node = MastermindNode.startClustered(NodeSettings.of(null, settings), new VertxOptions(), sdk)
      .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    nodes.add(node);
    return node;
  }

  @Test
  @DisplayName("POST /api/v1/tasks on one node, run on another: gateway, coordinator and worker spans share one trace id")
  void oneTraceAcrossNodes() throws Exception {
    int port1 = NodeProcess.freePort();
    int port2 = NodeProcess.freePort();
    MastermindNode leader = start("lead-1", List.of("coordinator", "gateway"), port1, port2);
    start("work-1", List.of("worker"), port2, port1);
    HttpClient http = TestHttp.builder().connectTimeout(Duration.ofSeconds(5)).build();
    JsonObject task = new JsonObject().put("id", "traced-cluster-1").put("type", "compute")
      .put("payload", new JsonObject().put("function", "echo").put("data", new JsonObject()));
    // the worker may still be joining: wait for the task's end
    HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create(leader.httpUrl() + "/api/v1/tasks?wait=60000"))
      .header("Content-Type", "application/json").timeout(Duration.ofSeconds(90))
      .POST(HttpRequest.BodyPublishers.ofString(task.encode())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(new JsonObject(done.body()).getString("node")).isEqualTo("work-1");

    AttributeKey<String> taskId = AttributeKey.stringKey("mastermind.task.id");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
      .filteredOn(s -> "traced-cluster-1".equals(s.getAttributes().get(taskId)))
      .extracting(SpanData::getName).contains("mastermind.dispatch", "mastermind.run", "mastermind.finish"));
    SpanData run = spans.getFinishedSpanItems().stream()
      .filter(s -> s.getName().equals("mastermind.run") && "traced-cluster-1".equals(s.getAttributes().get(taskId)))
      .findFirst().orElseThrow();
    List<SpanData> trace = spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(run.getTraceId())).toList();
    assertThat(trace).anySatisfy(s -> {
      assertThat(s.getName()).isEqualTo("POST");
      assertThat(s.getParentSpanContext().isValid()).isFalse();
    });
    assertThat(trace).extracting(SpanData::getName).contains("mastermind.dispatch", "mastermind.finish");
    SpanData dispatch = trace.stream().filter(s -> s.getName().equals("mastermind.dispatch")).findFirst().orElseThrow();
    assertThat(run.getParentSpanId()).isEqualTo(dispatch.getSpanId());
    assertThat(dispatch.getAttributes().get(AttributeKey.stringKey("mastermind.node.id"))).isEqualTo("work-1");
  }
}
