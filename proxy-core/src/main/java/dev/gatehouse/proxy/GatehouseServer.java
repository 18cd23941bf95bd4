package dev.gatehouse.proxy;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.policy.PolicyEngine;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A running Gatehouse proxy: the forward/CONNECT listener and the admin listener. Start with
 * {@link #start(ProxySettings)}; {@link #close()} stops accepting, lets in-flight calls finish up to
 * {@link ProxySettings#drainTimeout()}, then closes observers that are {@link AutoCloseable} (so
 * audit records are flushed).
 */
public final class GatehouseServer implements AutoCloseable {

  private GatehouseServer() {}

  /**
   * Loads and compiles the policy, binds both listeners and returns once they accept.
   *
   * @throws ConfigException when the policy is invalid (every error, located)
   * @throws IOException when a listener cannot be bound
   */
  public static GatehouseServer start(ProxySettings settings) throws IOException, ConfigException {
    throw new UnsupportedOperationException("work in progress on branch proxy");
  }

  /** The proxy listener's bound address (the real port when the config asked for port 0). */
  public InetSocketAddress proxyAddress() {
    throw new UnsupportedOperationException();
  }

  /** The admin listener's bound address. */
  public InetSocketAddress adminAddress() {
    throw new UnsupportedOperationException();
  }

  /** The policy now in force. */
  public PolicyEngine policy() {
    throw new UnsupportedOperationException();
  }

  /** "epoll" or "nio". */
  public String transport() {
    throw new UnsupportedOperationException();
  }

  /** Graceful stop: stop accepting, drain in-flight calls up to the drain timeout, flush. */
  @Override
  public void close() {}
}
