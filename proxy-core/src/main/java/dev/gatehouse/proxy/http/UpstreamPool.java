package dev.gatehouse.proxy.http;

import dev.gatehouse.proxy.metrics.ProxyMetrics;
import dev.gatehouse.proxy.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Upstream HTTP connections, kept per event loop and per destination and shared by every client
 * connection on that loop (NETTY-NOTES: a new upstream per client costs an extra connect; Squid
 * shares). Both sides of an exchange run on one event loop, so the pool needs no locks. Bounded: at
 * most {@link #MAX_IDLE_PER_KEY} idle connections per destination and {@link #MAX_IDLE_PER_LOOP}
 * per loop; idle ones are closed after the idle timeout (at most a minute).
 */
public final class UpstreamPool implements AutoCloseable {
  static final int MAX_IDLE_PER_KEY = 32;
  static final int MAX_IDLE_PER_LOOP = 1024;

  /**
   * A destination: the checked address connected to, and for TLS the name verified (a plaintext
   * connection to an address serves every host name that resolved to it).
   */
  record Key(InetSocketAddress address, String tlsHost) {}

  private final Transport transport;
  private final int connectTimeoutMillis;
  private final long idleNanos;
  private final Map<EventLoop, LoopPool> pools = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public UpstreamPool(Transport transport, Duration connectTimeout, Duration idleTimeout) {
    this.transport = transport;
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
    this.idleNanos = Math.min(idleTimeout.toNanos(), TimeUnit.MINUTES.toNanos(1));
  }

  private volatile ProxyMetrics metrics;

  /** Times TCP connects to upstreams from now on. */
  public void metrics(ProxyMetrics metrics) {
    this.metrics = metrics;
  }

  /** Records one TCP connect to an upstream (the pool's and CONNECT tunnels'). */
  public void connected(boolean ok, long startNanos) {
    ProxyMetrics m = metrics;
    if (m != null) {
      m.upstreamConnect(ok, System.nanoTime() - startNanos);
    }
  }

  public Transport transport() {
    return transport;
  }

  public int connectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  /**
   * An idle connection to {@code address} from this loop's pool, or a new one (connected and, for
   * TLS, handshaken). Call on {@code loop}.
   *
   * @param fresh skip idle connections (the retry after a stale one)
   */
  public Future<Upstream> acquire(
      EventLoop loop, InetSocketAddress address, String host, UpstreamTls tls, boolean fresh) {
    Key key = new Key(address, tls.isPlaintext() ? null : host);
    if (!fresh) {
      Upstream idle = pool(loop).poll(key);
      if (idle != null) {
        return loop.newSucceededFuture(idle);
      }
    }
    Promise<Upstream> promise = loop.newPromise();
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channel(transport.socketChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    Upstream u = new Upstream(ch, key);
                    ch.pipeline()
                        .addLast(
                            "codec",
                            new HttpClientCodec(
                                new HttpDecoderConfig()
                                    .setMaxInitialLineLength(8192)
                                    .setMaxHeaderSize(65536)
                                    .setMaxChunkSize(65536),
                                false,
                                false))
                        .addLast("upstream", new UpstreamHandler(u, UpstreamPool.this));
                  }
                });
    long t0 = System.nanoTime();
    ChannelFuture connect = b.connect(address);
    connect.addListener(
        f -> {
          connected(f.isSuccess(), t0);
          if (!f.isSuccess()) {
            promise.tryFailure(f.cause());
            return;
          }
          Channel ch = connect.channel();
          Upstream u = ((UpstreamHandler) ch.pipeline().get("upstream")).upstream;
          tls.secure(ch, host, address.getPort())
              .addListener(
                  s -> {
                    if (s.isSuccess()) {
                      if (!promise.trySuccess(u)) {
                        ch.close();
                      }
                    } else {
                      ch.close();
                      promise.tryFailure(s.cause());
                    }
                  });
        });
    return promise;
  }

  /** Returns a connection whose exchange completed cleanly; it must be on its loop. */
  public void release(Upstream u) {
    u.unbind();
    Channel ch = u.channel();
    if (closed || !ch.isActive()) {
      ch.close();
      return;
    }
    u.markReused();
    u.idleSinceNanos = System.nanoTime();
    if (!pool(ch.eventLoop()).offer(u)) {
      ch.close();
    }
  }

  void forget(Upstream u) {
    LoopPool p = pools.get(u.channel().eventLoop());
    if (p != null) {
      p.remove(u);
    }
  }

  private LoopPool pool(EventLoop loop) {
    LoopPool p = pools.get(loop);
    if (p == null) {
      p = pools.computeIfAbsent(loop, LoopPool::new);
    }
    return p;
  }

  @Override
  public void close() {
    closed = true;
    for (LoopPool p : pools.values()) {
      p.loop.execute(p::closeAll);
    }
  }

  /** One event loop's idle connections. Confined to that loop. */
  private final class LoopPool {
    final EventLoop loop;
    final Map<Key, ArrayDeque<Upstream>> idle = new HashMap<>();
    int size;

    LoopPool(EventLoop loop) {
      this.loop = loop;
      long period = Math.max(TimeUnit.SECONDS.toNanos(1), idleNanos / 2);
      loop.scheduleWithFixedDelay(this::evict, period, period, TimeUnit.NANOSECONDS);
    }

    Upstream poll(Key key) {
      ArrayDeque<Upstream> q = idle.get(key);
      if (q == null) {
        return null;
      }
      Upstream u;
      // most recently used first: the least likely to have been closed by the server
      while ((u = q.pollLast()) != null) {
        size--;
        if (u.channel().isActive()) {
          return u;
        }
        u.channel().close();
      }
      return null;
    }

    boolean offer(Upstream u) {
      if (size >= MAX_IDLE_PER_LOOP) {
        return false;
      }
      ArrayDeque<Upstream> q = idle.computeIfAbsent(u.key(), k -> new ArrayDeque<>(4));
      if (q.size() >= MAX_IDLE_PER_KEY) {
        return false;
      }
      q.addLast(u);
      size++;
      return true;
    }

    void remove(Upstream u) {
      ArrayDeque<Upstream> q = idle.get(u.key());
      if (q != null && q.remove(u)) {
        size--;
      }
    }

    void evict() {
      long now = System.nanoTime();
      for (Iterator<ArrayDeque<Upstream>> it = idle.values().iterator(); it.hasNext(); ) {
        ArrayDeque<Upstream> q = it.next();
        while (!q.isEmpty() && now - q.peekFirst().idleSinceNanos > idleNanos) {
          q.pollFirst().channel().close();
          size--;
        }
        if (q.isEmpty()) {
          it.remove();
        }
      }
    }

    void closeAll() {
      for (ArrayDeque<Upstream> q : idle.values()) {
        q.forEach(u -> u.channel().close());
      }
      idle.clear();
      size = 0;
    }
  }

  /** Passes an upstream connection's events to the exchange using it. */
  static final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    final Upstream upstream;
    private final UpstreamPool pool;

    UpstreamHandler(Upstream upstream, UpstreamPool pool) {
      this.upstream = upstream;
      this.pool = pool;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Upstream.Listener l = upstream.listener();
      if (l == null || !(msg instanceof HttpObject obj)) {
        // an idle connection has nothing to say: whatever it sent, it is done
        ReferenceCountUtil.release(msg);
        pool.forget(upstream);
        ctx.close();
        return;
      }
      l.upstreamRead(upstream, obj);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      Upstream.Listener l = upstream.listener();
      if (l != null) {
        l.upstreamReadComplete(upstream);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      Upstream.Listener l = upstream.listener();
      if (l != null && ctx.channel().isWritable()) {
        l.upstreamWritable(upstream);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      Upstream.Listener l = upstream.listener();
      upstream.unbind();
      pool.forget(upstream);
      if (l != null) {
        l.upstreamClosed(upstream, null);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Upstream.Listener l = upstream.listener();
      upstream.unbind();
      pool.forget(upstream);
      ctx.close();
      if (l != null) {
        l.upstreamClosed(upstream, cause);
      }
    }
  }
}
