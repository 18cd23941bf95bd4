/** A small Prometheus registry and the proxy's own metrics, fed by a call observer. */
package dev.gatehouse.proxy.metrics;
