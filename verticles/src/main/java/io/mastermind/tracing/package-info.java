/**
 * One trace per task, when the node turns tracing on: the spans Vert.x's OpenTelemetry tracer makes
 * for HTTP requests and event-bus messages, joined by the task spans of {@link io.mastermind.tracing.TaskTracing}
 * across the leader's batched dispatch (which no single request carries). Off, every call is a no-op.
 */
package io.mastermind.tracing;
