package dev.gatehouse.proxy.pipeline;

import dev.gatehouse.config.model.ServerConfig;
import dev.gatehouse.proxy.http.UpstreamPool;
import dev.gatehouse.proxy.metrics.ProxyMetrics;
import dev.gatehouse.proxy.net.TargetResolver;
import dev.gatehouse.proxy.observe.CallObserver;
import dev.gatehouse.proxy.reload.PolicyHolder;
import dev.gatehouse.proxy.tunnel.TunnelInterceptor;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running proxy's shared services, handed to every pipeline stage. Built once by {@code
 * GatehouseServer}; thread-safe.
 */
public final class ProxyContext {
  private final ServerConfig config;
  private final PolicyHolder policy;
  private final CallObserver observer;
  private final Clock clock;
  private final ProxyMetrics metrics;
  private final TargetResolver resolver;
  private final UpstreamPool pool;
  private final TunnelInterceptor interceptor;
  private final RequestIds requestIds = new RequestIds();
  private final AgentConnections agentConnections;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger activeCalls = new AtomicInteger();
  private volatile boolean draining;

  public ProxyContext(
      ServerConfig config,
      PolicyHolder policy,
      CallObserver observer,
      Clock clock,
      ProxyMetrics metrics,
      TargetResolver resolver,
      UpstreamPool pool,
      TunnelInterceptor interceptor) {
    this.config = config;
    this.policy = policy;
    this.observer = observer;
    this.clock = clock;
    this.metrics = metrics;
    this.resolver = resolver;
    this.pool = pool;
    this.interceptor = interceptor;
    this.agentConnections = new AgentConnections(config.limits().maxConnectionsPerAgent());
  }

  public ServerConfig config() {
    return config;
  }

  public ServerConfig.Limits limits() {
    return config.limits();
  }

  public PolicyHolder policy() {
    return policy;
  }

  /** Every observer, the proxy's metrics included. */
  public CallObserver observer() {
    return observer;
  }

  public Clock clock() {
    return clock;
  }

  public ProxyMetrics metrics() {
    return metrics;
  }

  public TargetResolver resolver() {
    return resolver;
  }

  public UpstreamPool pool() {
    return pool;
  }

  public TunnelInterceptor interceptor() {
    return interceptor;
  }

  public String newRequestId() {
    return requestIds.next();
  }

  public AgentConnections agentConnections() {
    return agentConnections;
  }

  /** Counts a new client connection; false when the limit is reached (answer 503). */
  boolean tryOpenConnection() {
    int max = Math.max(1, config.limits().maxConnections());
    while (true) {
      int n = connections.get();
      if (n >= max) {
        return false;
      }
      if (connections.compareAndSet(n, n + 1)) {
        metrics.activeConnections().inc();
        return true;
      }
    }
  }

  void connectionClosed() {
    connections.decrementAndGet();
    metrics.activeConnections().dec();
  }

  void callBegun() {
    activeCalls.incrementAndGet();
  }

  void callEnded() {
    activeCalls.decrementAndGet();
  }

  /** Calls (requests and tunnels) begun and not yet ended. */
  public int activeCalls() {
    return activeCalls.get();
  }

  /** Set on shutdown: connections close after their current exchange. */
  public boolean draining() {
    return draining;
  }

  public void startDraining() {
    draining = true;
  }
}
