package io.mastermind.node;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The {@code tracing} section: OpenTelemetry tracing of tasks, off unless {@code otlpEndpoint} is set
 * (the OTLP/HTTP traces URL of a collector, e.g. {@code http://127.0.0.1:4318/v1/traces}).
 */
public final class TracingOptions {

  public static final String DEFAULT_SERVICE_NAME = "mastermind";

  /** Null: tracing off. */
  private String otlpEndpoint;
  private String serviceName = DEFAULT_SERVICE_NAME;

  public TracingOptions() {
  }

  /** From {@code {"otlpEndpoint": ..., "serviceName": ...}}; a missing or null endpoint leaves tracing off. */
  public TracingOptions(JsonObject json) {
    Object endpoint = json.getValue("otlpEndpoint");
    if (endpoint != null && !(endpoint instanceof String)) {
      throw new IllegalArgumentException("tracing.otlpEndpoint must be a URL");
    }
    Object service = json.getValue("serviceName", DEFAULT_SERVICE_NAME);
    if (!(service instanceof String)) {
      throw new IllegalArgumentException("tracing.serviceName must be a string");
    }
    setOtlpEndpoint((String) endpoint);
    setServiceName((String) service);
  }

  public String getOtlpEndpoint() {
    return otlpEndpoint;
  }

  public TracingOptions setOtlpEndpoint(String otlpEndpoint) {
    if (otlpEndpoint != null && !otlpEndpoint.isBlank()) {
      try {
        URI uri = new URI(otlpEndpoint.trim());
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
          throw new IllegalArgumentException("tracing.otlpEndpoint must be an http(s) URL, not " + otlpEndpoint);
        }
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("tracing.otlpEndpoint must be an http(s) URL, not " + otlpEndpoint, e);
      }
      this.otlpEndpoint = otlpEndpoint.trim();
    } else {
      this.otlpEndpoint = null;
    }
    return this;
  }

  public String getServiceName() {
    return serviceName;
  }

  public TracingOptions setServiceName(String serviceName) {
    if (serviceName == null || serviceName.isBlank()) {
      throw new IllegalArgumentException("tracing.serviceName must not be empty");
    }
    this.serviceName = serviceName.trim();
    return this;
  }

  public boolean isEnabled() {
    return otlpEndpoint != null;
  }

  public JsonObject toJson() {
    return new JsonObject().put("otlpEndpoint", otlpEndpoint).put("serviceName", serviceName);
  }
}
