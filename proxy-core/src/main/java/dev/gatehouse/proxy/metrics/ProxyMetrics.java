package dev.gatehouse.proxy.metrics;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.observe.CallEnd;
import dev.gatehouse.proxy.observe.CallHandle;
import dev.gatehouse.proxy.observe.CallObserver;
import dev.gatehouse.proxy.observe.CallStart;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The proxy's own metrics, and a {@link CallObserver} that counts every finished call (STYLE habit
 * 12: observability is a decorator, handlers never touch the registry for decisions).
 */
public final class ProxyMetrics implements CallObserver {
  private final MetricsRegistry registry;
  private final MetricsRegistry.Counter decisions;
  private final MetricsRegistry.Gauge activeConnections;
  private final MetricsRegistry.Gauge activeTunnels;
  private final MetricsRegistry.CounterChild bytesIn;
  private final MetricsRegistry.CounterChild bytesOut;
  private final MetricsRegistry.Counter reloads;
  private final MetricsRegistry.Counter rejectedConnections;

  /** decisions_total children by action and reason, then agent: no allocation per call. */
  @SuppressWarnings("unchecked")
  private final Map<String, MetricsRegistry.CounterChild>[] decisionChildren =
      new Map[Action.values().length * Reason.values().length];

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
        registry.counter(
            "gatehouse_policy_reloads_total", "Policy reloads by result.", "result");
    reloads.labels("success");
    reloads.labels("failure");
    this.rejectedConnections =
        registry.counter(
            "gatehouse_rejected_connections_total",
            "Connections refused with 503 at the connection limit, by limit.",
            "limit");
    for (int i = 0; i < decisionChildren.length; i++) {
      decisionChildren[i] = new ConcurrentHashMap<>();
    }
  }

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
        decisionChildren[d.action().ordinal() * Reason.values().length + d.reason().ordinal()];
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
}
