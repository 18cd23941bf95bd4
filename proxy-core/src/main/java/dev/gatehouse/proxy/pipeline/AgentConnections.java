package dev.gatehouse.proxy.pipeline;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Open connections per agent ({@code limits.max_connections_per_agent}). */
public final class AgentConnections {
  private final int max;
  private final ConcurrentHashMap<String, AtomicInteger> open = new ConcurrentHashMap<>();

  AgentConnections(int max) {
    this.max = max;
  }

  public int max() {
    return max;
  }

  /** Counts one more connection for {@code agent}; false when it already has {@link #max()}. */
  public boolean tryAcquire(String agent) {
    AtomicInteger n = open.computeIfAbsent(agent, a -> new AtomicInteger());
    while (true) {
      int v = n.get();
      if (max > 0 && v >= max) {
        return false;
      }
      if (n.compareAndSet(v, v + 1)) {
        return true;
      }
    }
  }

  public void release(String agent) {
    AtomicInteger n = open.get(agent);
    if (n != null) {
      n.decrementAndGet();
    }
  }
}
