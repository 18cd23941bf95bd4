/**
 * OpenTelemetry: the SDK set up from the standard {@code OTEL_*} variables, and the span observer
 * that turns every call into a SERVER span (SPEC §4). The only package that touches the
 * OpenTelemetry API (STYLE habit 12).
 */
package dev.gatehouse.proxy.telemetry;
