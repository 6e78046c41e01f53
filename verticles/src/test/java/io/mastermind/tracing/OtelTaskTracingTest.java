package io.mastermind.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("OtelTaskTracing: the leader's dispatch and finish spans under the submit, the worker's run under the dispatch")
class OtelTaskTracingTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
    .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
  private final OtelTaskTracing tracing = new OtelTaskTracing(sdk);

  @AfterEach
  void close() {
    sdk.close();
  }

  /** An assignment as the worker receives it: only its headers matter here. */
  private static Message<Object> assignment(MultiMap headers) {
    @SuppressWarnings("unchecked")
    Message<Object> message = (Message<Object>) Proxy.newProxyInstance(Message.class.getClassLoader(), new Class<?>[]{Message.class},
      (proxy, method, args) -> "headers".equals(method.getName()) ? headers : null);
    return message;
  }

  private SpanData named(String name) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  @DisplayName("a traced task: dispatch header per task, run span child of its dispatch, finish under the submit; untraced tasks get nothing")
  void oneTracePerTask() {
    Span submit = sdk.getTracer("test").spanBuilder("submit").setSpanKind(SpanKind.SERVER).startSpan();
    tracing.submitted("t1", Context.root().with(submit));
    tracing.submitted("t2", null); // submitted outside any trace

    DeliveryOptions options = tracing.dispatched("n1", List.of("t1", "t2"), new DeliveryOptions().setSendTimeout(5_000));
    assertThat(options.getTracingPolicy()).isEqualTo(TracingPolicy.IGNORE);
    assertThat(options.getSendTimeout()).isEqualTo(5_000);
    JsonObject header = new JsonObject(options.getHeaders().get(TaskTracing.ASSIGNMENT_HEADER));
    assertThat(header.fieldNames()).containsExactly("t1");

    Map<String, String> parents = tracing.parents(assignment(options.getHeaders()));
    assertThat(parents).containsOnlyKeys("t1");
    assertThat(tracing.running("t2", "echo", 1, parents.get("t2"))).isNull();
    tracing.ran(tracing.running("t1", "echo", 1, parents.get("t1")), "succeeded");
    tracing.finished("t1", "succeeded");
    tracing.finished("t2", "succeeded");
    submit.end();

    String traceId = submit.getSpanContext().getTraceId();
    assertThat(spans.getFinishedSpanItems()).hasSize(4).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(traceId));
    SpanData dispatch = named("mastermind.dispatch");
    assertThat(dispatch.getParentSpanId()).isEqualTo(submit.getSpanContext().getSpanId());
    assertThat(named("mastermind.run").getParentSpanId()).isEqualTo(dispatch.getSpanId());
    assertThat(named("mastermind.finish").getParentSpanId()).isEqualTo(submit.getSpanContext().getSpanId());

    // forgotten once finished: a later dispatch of the same id carries no trace
    assertThat(tracing.dispatched("n1", List.of("t1"), new DeliveryOptions()).getHeaders()).isNullOrEmpty();
  }

  @Test
  @DisplayName("a bad trace header loses the trace, never the task; no header, no parents")
  void badHeader() {
    assertThat(tracing.parents(assignment(MultiMap.caseInsensitiveMultiMap()
      .add(TaskTracing.ASSIGNMENT_HEADER, "{not json")))).isEmpty();
    assertThat(tracing.parents(assignment(MultiMap.caseInsensitiveMultiMap()))).isEmpty();
    assertThat(tracing.running("t", "echo", 1, "00-garbage")).isNotNull(); // an invalid parent starts a new trace
  }

  @Test
  @DisplayName("off: no header, no parents, no span")
  void off() {
    DeliveryOptions options = new DeliveryOptions();
    TaskTracing.OFF.submitted("t", new Object());
    assertThat(TaskTracing.OFF.dispatched("n", List.of("t"), options)).isSameAs(options);
    assertThat(TaskTracing.OFF.running("t", "echo", 1, "00-x")).isNull();
    assertThat(TaskTracing.OFF.current()).isNull();
    assertThat(TaskTracing.OFF.enabled()).isFalse();
  }
}
