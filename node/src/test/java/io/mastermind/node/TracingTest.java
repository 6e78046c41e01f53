package io.mastermind.node;

import io.mastermind.testsupport.TestHttp;
import io.mastermind.tracing.TaskTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tracing on a real node (HTTP and WebSocket front doors, the leader, a worker) with an in-process span
 * exporter: every span of one task carries one trace id, from the gateway through the coordinator's
 * batched dispatch to the worker's run and the leader's finish. Off, the node has no tracer at all.
 */
@DisplayName("Tracing: one trace per task from the front door through the coordinator to the worker")
@Timeout(120)
class TracingTest {

  private static final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private static OpenTelemetrySdk sdk;
  private static MastermindNode node;
  private static final HttpClient http = TestHttp.builder()
    .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    sdk = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
      .build();
    JsonObject settings = new JsonObject().put("nodeId", "traced-node")
      .put("http", new JsonObject().put("port", 0))
      .put("worker", new JsonObject().put("cpu", 2).put("memory", 1024));
    node = MastermindNode.startTraced(NodeSettings.of(null, settings), sdk).toCompletionStage().toCompletableFuture()
      .get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (sdk != null) {
      sdk.close();
    }
  }

  private static JsonObject echo(String id) {
    return new JsonObject().put("id", id).put("type", "compute")
      .put("payload", new JsonObject().put("function", "echo").put("data", new JsonObject().put("traced", true)));
  }

  /** The spans about {@code taskId} once its worker ran it and the leader stored its end. */
  private static List<SpanData> taskSpans(String taskId) {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
      .filteredOn(s -> taskId.equals(s.getAttributes().get(AttributeKey.stringKey("mastermind.task.id"))))
      .extracting(SpanData::getName).contains("mastermind.dispatch", "mastermind.run", "mastermind.finish"));
    String traceId = spans.getFinishedSpanItems().stream()
      .filter(s -> "mastermind.run".equals(s.getName())
        && taskId.equals(s.getAttributes().get(AttributeKey.stringKey("mastermind.task.id"))))
      .findFirst().orElseThrow().getTraceId();
    return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
  }

  @Test
  @DisplayName("a task submitted with POST /api/v1/tasks: gateway, event-bus, coordinator and worker spans share one trace id")
  void httpSubmissionIsOneTrace() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/api/v1/tasks"))
      .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
      .POST(HttpRequest.BodyPublishers.ofString(echo("traced-http-1").encode())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);

    List<SpanData> trace = taskSpans("traced-http-1");
    // the front door: Vert.x's HTTP server span, the root of the trace
    SpanData door = one(trace, s -> s.getKind() == SpanKind.SERVER && !s.getParentSpanContext().isValid(), "root server span");
    assertThat(door.getName()).isEqualTo("POST");
    assertThat(door.getAttributes().get(AttributeKey.stringKey("url.path"))).isEqualTo("/api/v1/tasks");
    // across the event bus: the gateway's request to the coordinator, and the coordinator's receipt of it
    SpanData request = one(trace, s -> s.getKind() == SpanKind.CLIENT && SUBMIT.equals(destination(s)), "gateway's submit request");
    assertThat(request.getParentSpanId()).isEqualTo(door.getSpanId());
    SpanData receipt = one(trace, s -> s.getKind() == SpanKind.SERVER && SUBMIT.equals(destination(s)), "coordinator's receipt");
    assertThat(receipt.getParentSpanId()).isEqualTo(request.getSpanId());
    // the leader's batched dispatch and its finish hang off that receipt; the worker's run off the dispatch
    SpanData dispatch = one(trace, s -> s.getName().equals("mastermind.dispatch"), "dispatch");
    assertThat(dispatch.getParentSpanId()).isEqualTo(receipt.getSpanId());
    SpanData run = one(trace, s -> s.getName().equals("mastermind.run"), "run");
    assertThat(run.getParentSpanId()).as("the worker's run is a child of the leader's dispatch").isEqualTo(dispatch.getSpanId());
    assertThat(run.getAttributes().get(AttributeKey.stringKey("mastermind.task.status"))).isEqualTo("succeeded");
    SpanData finish = one(trace, s -> s.getName().equals("mastermind.finish"), "finish");
    assertThat(finish.getParentSpanId()).isEqualTo(receipt.getSpanId());
    assertThat(finish.getAttributes().get(AttributeKey.stringKey("mastermind.task.status"))).isEqualTo("succeeded");
  }

  private static final String SUBMIT = io.mastermind.protocol.Addresses.COORDINATOR_SUBMIT;

  private static String destination(SpanData span) {
    return span.getAttributes().get(AttributeKey.stringKey("messaging.destination.name"));
  }

  private static SpanData one(List<SpanData> trace, java.util.function.Predicate<SpanData> match, String what) {
    return trace.stream().filter(match).findFirst().orElseThrow(() -> new AssertionError("no " + what + " in "
      + trace.stream().map(SpanData::getName).toList()));
  }

  @Test
  @DisplayName("a task submitted over the WebSocket: its submit span, coordinator and worker spans share one trace id")
  void webSocketSubmissionIsOneTrace() throws Exception {
    CompletableFuture<String> accepted = new CompletableFuture<>();
    WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(node.httpUrl().replaceFirst("^http", "ws") + "/api/v1/ws"),
      new WebSocket.Listener() {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
          text.append(data);
          if (last) {
            String frame = text.toString();
            text.setLength(0);
            if (frame.contains("\"accepted\"")) {
              accepted.complete(frame);
            }
          }
          ws.request(1);
          return null;
        }
      }).get(10, TimeUnit.SECONDS);
    socket.sendText(new JsonObject().put("op", "submit").put("ref", "t1").put("task", echo("traced-ws-1")).encode(), true);
    accepted.get(20, TimeUnit.SECONDS);

    List<SpanData> trace = taskSpans("traced-ws-1");
    assertThat(trace).extracting(SpanData::getName).contains("mastermind.ws.submit", "mastermind.dispatch", "mastermind.run",
      "mastermind.finish");
    SpanData door = trace.stream().filter(s -> s.getName().equals("mastermind.ws.submit")).findFirst().orElseThrow();
    assertThat(door.getParentSpanContext().isValid()).as("the submit frame starts the trace").isFalse();
    socket.abort();
  }

  @Test
  @DisplayName("tracing.otlpEndpoint turns it on for a node the settings start; --otlp-endpoint sets it; a closed collector does not hold up the stop")
  void onBySettings() throws Exception {
    NodeCommand command = new NodeCommand();
    new picocli.CommandLine(command).parseArgs("--otlp-endpoint", "http://127.0.0.1:4318/v1/traces");
    assertThat(NodeSettings.of(null, command.overrides()).tracingOptions().getOtlpEndpoint())
      .isEqualTo("http://127.0.0.1:4318/v1/traces");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NodeSettings.of(null, new JsonObject()
      .put("tracing", new JsonObject().put("otlpEndpoint", "collector:4318")))).hasMessageContaining("tracing.otlpEndpoint");

    JsonObject settings = new JsonObject().put("nodeId", "traced-by-settings")
      .put("roles", new io.vertx.core.json.JsonArray().add("coordinator").add("gateway"))
      .put("http", new JsonObject().put("port", 0))
      .put("tracing", new JsonObject().put("otlpEndpoint", "http://127.0.0.1:" + NodeProcess.freePort() + "/v1/traces")
        .put("serviceName", "mm-test"));
    MastermindNode traced = MastermindNode.startOwned(NodeSettings.of(null, settings)).toCompletionStage().toCompletableFuture()
      .get(60, TimeUnit.SECONDS);
    assertThat(((VertxInternal) traced.vertx()).tracer()).isNotNull();
    assertThat(TaskTracing.of(traced.vertx()).enabled()).isTrue();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(traced.httpUrl() + "/api/v1/tasks"))
      .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
      .POST(HttpRequest.BodyPublishers.ofString(echo("traced-settings-1").encode())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    traced.drainAndClose().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("tracing off (the default): no tracer on Vert.x and no task tracing, so no span is ever created")
  void offByDefault() throws Exception {
    MastermindNode plain = MastermindNode.startOwned(NodeSettings.of(null, new JsonObject().put("nodeId", "untraced")
      .put("roles", new io.vertx.core.json.JsonArray().add("worker")).put("http", new JsonObject().put("port", 0))))
      .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    try {
      assertThat(NodeSettings.of(null, null).tracingOptions().isEnabled()).isFalse();
      assertThat(((VertxInternal) plain.vertx()).tracer()).isNull();
      assertThat(TaskTracing.of(plain.vertx())).isSameAs(TaskTracing.OFF);
      assertThat(TaskTracing.of(node.vertx()).enabled()).isTrue();
    } finally {
      plain.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
