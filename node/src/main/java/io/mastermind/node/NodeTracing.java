package io.mastermind.node;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;

/**
 * The OpenTelemetry SDK of a node that traces: spans batched to the OTLP/HTTP endpoint, W3C trace
 * context on the event bus and HTTP, the node id and roles as resource attributes.
 */
final class NodeTracing {

  private NodeTracing() {
  }

  static OpenTelemetrySdk sdk(TracingOptions options, NodeSettings settings) {
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.builder()
      .put("service.name", options.getServiceName())
      .put("service.instance.id", settings.nodeId())
      .put("mastermind.roles", String.join(",", settings.roles()))
      .build()));
    SdkTracerProvider provider = SdkTracerProvider.builder()
      .setResource(resource)
      .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
        .setEndpoint(options.getOtlpEndpoint()).build()).build())
      .build();
    return OpenTelemetrySdk.builder().setTracerProvider(provider)
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
      .build();
  }
}
