package dev.gatehouse.proxy.metrics;

/**
 * Something with its own metrics on the admin port: a {@link
 * dev.gatehouse.proxy.ProxySettings#observer()} that implements this is handed the server's
 * registry at start (telemetry and audit counters, call durations, JVM basics).
 */
public interface MetricsSource {
  void registerMetrics(MetricsRegistry registry);
}
