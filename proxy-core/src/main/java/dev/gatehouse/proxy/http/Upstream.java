package dev.gatehouse.proxy.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpObject;

/**
 * One HTTP connection to an origin, pooled per destination and event loop. While an exchange uses
 * it, its events go to that exchange's {@link Listener}; idle in the pool, anything it receives
 * closes it.
 */
public final class Upstream {

  /** The exchange using the connection. Called on the connection's event loop. */
  public interface Listener {
    void upstreamRead(Upstream upstream, HttpObject msg);

    void upstreamReadComplete(Upstream upstream);

    void upstreamWritable(Upstream upstream);

    /** The connection closed or failed; {@code cause} may be null. */
    void upstreamClosed(Upstream upstream, Throwable cause);
  }

  private final Channel channel;
  private final UpstreamPool.Key key;
  private Listener listener;
  private boolean reused;
  long idleSinceNanos;

  Upstream(Channel channel, UpstreamPool.Key key) {
    this.channel = channel;
    this.key = key;
  }

  public Channel channel() {
    return channel;
  }

  UpstreamPool.Key key() {
    return key;
  }

  /** True when the connection served an earlier exchange (it may have gone stale meanwhile). */
  public boolean reused() {
    return reused;
  }

  void markReused() {
    reused = true;
  }

  public void bind(Listener l) {
    this.listener = l;
  }

  Listener listener() {
    return listener;
  }

  void unbind() {
    this.listener = null;
  }
}
