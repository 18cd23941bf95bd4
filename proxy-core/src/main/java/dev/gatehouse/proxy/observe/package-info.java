/**
 * What the pipeline reports about each call. Telemetry (spans, metrics) and the audit log are
 * decorators that implement {@link dev.gatehouse.proxy.observe.CallObserver}; pipeline handlers
 * never touch the OpenTelemetry API or the audit file themselves (STYLE habit 12).
 */
package dev.gatehouse.proxy.observe;
