package io.mastermind.tracing;

import io.mastermind.security.Opened;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@link TaskTracing} on OpenTelemetry: spans {@code mastermind.dispatch} and {@code mastermind.finish}
 * on the leader, children of the task's submit span; {@code mastermind.run} on the worker, child of its
 * dispatch span; {@code mastermind.ws.submit} for a WebSocket submission. Trace parents travel as W3C
 * {@code traceparent} strings.
 */
public final class OtelTaskTracing implements TaskTracing {

  static final String TASK_ID = "mastermind.task.id";
  private static final String TRACEPARENT = "traceparent";
  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private final Tracer tracer;
  /** The submit context of each task the leader holds that was submitted inside a trace. */
  private final Map<String, Context> submits = new ConcurrentHashMap<>();

  public OtelTaskTracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer("io.mastermind");
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public Object current() {
    Context context = Context.current();
    Span span = Span.fromContextOrNull(context);
    return span != null && span.getSpanContext().isValid() ? context : null;
  }

  @Override
  public void submitted(String taskId, Object parent) {
    if (parent instanceof Context context) {
      submits.put(taskId, context);
    }
  }

  @Override
  public DeliveryOptions dispatched(String nodeId, List<String> taskIds, DeliveryOptions options) {
    // the batch is no one task's: Vert.x must not file it under whichever trace happens to be current
    DeliveryOptions traced = new DeliveryOptions(options).setTracingPolicy(TracingPolicy.IGNORE);
    JsonObject parents = new JsonObject();
    for (String id : taskIds) {
      Context submit = submits.get(id);
      if (submit == null) {
        continue;
      }
      Span span = tracer.spanBuilder("mastermind.dispatch").setParent(submit).setSpanKind(SpanKind.PRODUCER)
        .setAttribute(TASK_ID, id).setAttribute("mastermind.node.id", nodeId).startSpan();
      Map<String, String> carrier = new HashMap<>(2);
      W3C.inject(submit.with(span), carrier, Map::put);
      span.end();
      parents.put(id, carrier.get(TRACEPARENT));
    }
    return parents.isEmpty() ? traced : traced.addHeader(ASSIGNMENT_HEADER, parents.encode());
  }

  @Override
  public void finished(String taskId, String status) {
    Context submit = submits.remove(taskId);
    if (submit != null) {
      tracer.spanBuilder("mastermind.finish").setParent(submit).setAttribute(TASK_ID, taskId)
        .setAttribute("mastermind.task.status", status).startSpan().end();
    }
  }

  @Override
  public void clear() {
    submits.clear();
  }

  @Override
  public Map<String, String> parents(Message<?> assignment) {
    MultiMap headers = assignment instanceof Opened opened ? opened.wireHeaders() : assignment.headers();
    String header = headers == null ? null : headers.get(ASSIGNMENT_HEADER);
    if (header == null) {
      return Map.of();
    }
    Map<String, String> parents = new HashMap<>();
    try {
      new JsonObject(header).forEach(e -> {
        if (e.getValue() instanceof String parent) {
          parents.put(e.getKey(), parent);
        }
      });
    } catch (RuntimeException e) {
      return Map.of(); // a bad trace header loses the trace, never the task
    }
    return parents;
  }

  @Override
  public Object running(String taskId, String function, int attempt, String parent) {
    if (parent == null) {
      return null;
    }
    Context context = W3C.extract(Context.root(), Map.of(TRACEPARENT, parent), MAP_GETTER);
    return tracer.spanBuilder("mastermind.run").setParent(context).setSpanKind(SpanKind.CONSUMER)
      .setAttribute(TASK_ID, taskId).setAttribute("mastermind.task.function", function)
      .setAttribute("mastermind.task.attempt", attempt).startSpan();
  }

  @Override
  public void ran(Object handle, String status) {
    if (handle instanceof Span span) {
      span.setAttribute("mastermind.task.status", status);
      span.end();
    }
  }

  @Override
  public <T> T inSpan(String name, Supplier<T> call) {
    Span span = tracer.spanBuilder(name).setSpanKind(SpanKind.SERVER).startSpan();
    T result;
    try (Scope ignored = Context.current().with(span).makeCurrent()) {
      result = call.get();
    } catch (RuntimeException e) {
      span.recordException(e);
      span.end();
      throw e;
    }
    if (result instanceof Future<?> future) {
      future.onComplete(ar -> span.end());
    } else {
      span.end();
    }
    return result;
  }
}
