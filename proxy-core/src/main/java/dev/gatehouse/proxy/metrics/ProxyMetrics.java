package dev.gatehouse.proxy.metrics;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.observe.CallEnd;
import dev.gatehouse.proxy.observe.CallHandle;
import dev.gatehouse.proxy.observe.CallObserver;
import dev.gatehouse.proxy.observe.CallStart;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The proxy's own metrics, and a {@link CallObserver} that counts every finished call (STYLE habit
 * 12: observability is a decorator, handlers never touch the registry for decisions).
 */
public final class ProxyMetrics implements CallObserver {
  private static final int REASONS = Reason.values().length;
  private final MetricsRegistry registry;
  private final MetricsRegistry.Counter decisions;
  private final MetricsRegistry.Gauge activeConnections;
  private final MetricsRegistry.Gauge activeTunnels;
  private final MetricsRegistry.CounterChild bytesIn;
  private final MetricsRegistry.CounterChild bytesOut;
  private final MetricsRegistry.Counter reloads;
  private final MetricsRegistry.Counter rejectedConnections;
  private final MetricsRegistry.Counter dnsLookups;
  private final MetricsRegistry.HistogramChild dnsDuration;
  private final MetricsRegistry.Histogram connectDuration;

  /** decisions_total children by action and reason, then agent: no allocation per call. */
  private final List<Map<String, MetricsRegistry.CounterChild>> decisionChildren =
      new ArrayList<>();

  private final CallHandle countingHandle =
      new CallHandle() {
        @Override
        public void event(String name, Map<String, String> attributes) {}

        @Override
        public void end(CallEnd end) {
          count(end);
        }
      };

  public ProxyMetrics(MetricsRegistry registry) {
    this.registry = registry;
    this.decisions =
        registry.counter(
            "gatehouse_decisions_total",
            "Decisions on requests and tunnels, by action, reason and agent.",
            "action",
            "reason",
            "agent");
    this.activeConnections =
        registry.gauge("gatehouse_active_connections", "Open client connections.");
    this.activeTunnels = registry.gauge("gatehouse_active_tunnels", "Open CONNECT tunnels.");
    MetricsRegistry.Counter bytes =
        registry.counter(
            "gatehouse_bytes_total",
            "Payload bytes relayed: in = from clients, out = to clients.",
            "direction");
    this.bytesIn = bytes.labels("in");
    this.bytesOut = bytes.labels("out");
    this.reloads =
        registry.counter("gatehouse_policy_reloads_total", "Policy reloads by result.", "result");
    reloads.labels("success");
    reloads.labels("failure");
    this.rejectedConnections =
        registry.counter(
            "gatehouse_rejected_connections_total",
            "Connections refused with 503 at the connection limit, by limit.",
            "limit");
    this.dnsLookups =
        registry.counter(
            "gatehouse_dns_lookups_total",
            "Name lookups by result: ok, blocked (an address failed the address checks), failed.",
            "result");
    for (String r : new String[] {"ok", "blocked", "failed"}) {
      dnsLookups.labels(r);
    }
    this.dnsDuration =
        registry
            .histogram("gatehouse_dns_lookup_duration_seconds", "Name lookup latency.", NET_BUCKETS)
            .labels();
    this.connectDuration =
        registry.histogram(
            "gatehouse_upstream_connect_duration_seconds",
            "TCP connect latency to upstreams (before any TLS), by result (ok, failed).",
            NET_BUCKETS,
            "result");
    for (int i = 0; i < Action.values().length * Reason.values().length; i++) {
      decisionChildren.add(new ConcurrentHashMap<>());
    }
  }

  private static final double[] NET_BUCKETS = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  public MetricsRegistry registry() {
    return registry;
  }

  @Override
  public CallHandle begin(CallStart start) {
    return countingHandle;
  }

  private void count(CallEnd end) {
    Decision d = end.decision();
    Map<String, MetricsRegistry.CounterChild> byAgent =
        decisionChildren.get(d.action().ordinal() * REASONS + d.reason().ordinal());
    MetricsRegistry.CounterChild child = byAgent.get(d.agent());
    if (child == null) {
      child =
          byAgent.computeIfAbsent(
              d.agent(), a -> decisions.labels(d.action().wireName(), d.reason().wireName(), a));
    }
    child.inc();
    if (end.bytesIn() > 0) {
      bytesIn.add(end.bytesIn());
    }
    if (end.bytesOut() > 0) {
      bytesOut.add(end.bytesOut());
    }
  }

  public MetricsRegistry.Gauge activeConnections() {
    return activeConnections;
  }

  public MetricsRegistry.Gauge activeTunnels() {
    return activeTunnels;
  }

  public void reloaded(boolean success) {
    reloads.labels(success ? "success" : "failure").inc();
  }

  /** A connection refused at {@code limit} ({@code total} or {@code agent}). */
  public void rejectedConnection(String limit) {
    rejectedConnections.labels(limit).inc();
  }

  /** A name lookup finished: {@code result} is ok, blocked or failed. */
  public void dnsLookup(String result, long nanos) {
    dnsLookups.labels(result).inc();
    dnsDuration.observe(nanos / 1e9);
  }

  /** A TCP connect to an upstream finished. */
  public void upstreamConnect(boolean ok, long nanos) {
    connectDuration.labels(ok ? "ok" : "failed").observe(nanos / 1e9);
  }
}
