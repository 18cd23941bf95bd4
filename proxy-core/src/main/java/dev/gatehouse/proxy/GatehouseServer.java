package dev.gatehouse.proxy;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.model.HostPort;
import dev.gatehouse.config.model.ServerConfig;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.proxy.admin.AdminServer;
import dev.gatehouse.proxy.admin.RecentDecisions;
import dev.gatehouse.proxy.http.UpstreamPool;
import dev.gatehouse.proxy.metrics.MetricsRegistry;
import dev.gatehouse.proxy.metrics.MetricsSource;
import dev.gatehouse.proxy.metrics.ProxyMetrics;
import dev.gatehouse.proxy.net.AddressGuard;
import dev.gatehouse.proxy.net.TargetResolver;
import dev.gatehouse.proxy.net.Transport;
import dev.gatehouse.proxy.observe.CallObserver;
import dev.gatehouse.proxy.pipeline.ClientInitializer;
import dev.gatehouse.proxy.pipeline.ExchangeSequencer;
import dev.gatehouse.proxy.pipeline.ProxyContext;
import dev.gatehouse.proxy.reload.ActivePolicy;
import dev.gatehouse.proxy.reload.ModeSwitch;
import dev.gatehouse.proxy.reload.PolicyHolder;
import dev.gatehouse.proxy.reload.PolicyLoading;
import dev.gatehouse.proxy.reload.PolicyReloader;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A running Gatehouse proxy: the forward/CONNECT listener and the admin listener. Start with {@link
 * #start(ProxySettings)}; {@link #close()} stops accepting, lets in-flight calls finish up to
 * {@link ProxySettings#drainTimeout()}, then closes the observer when it is {@link AutoCloseable}
 * (so audit records are flushed).
 */
public final class GatehouseServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(GatehouseServer.class.getName());

  private final ProxySettings settings;
  private final Transport transport;
  private final EventLoopGroup group;
  private final ProxyContext context;
  private final ChannelGroup clients;
  private final Channel proxyChannel;
  private final Channel adminChannel;
  private final PolicyReloader reloader;
  private final TargetResolver resolver;
  private final UpstreamPool pool;
  private boolean closed;

  private GatehouseServer(
      ProxySettings settings,
      Transport transport,
      EventLoopGroup group,
      ProxyContext context,
      ChannelGroup clients,
      Channel proxyChannel,
      Channel adminChannel,
      PolicyReloader reloader,
      TargetResolver resolver,
      UpstreamPool pool) {
    this.settings = settings;
    this.transport = transport;
    this.group = group;
    this.context = context;
    this.clients = clients;
    this.proxyChannel = proxyChannel;
    this.adminChannel = adminChannel;
    this.reloader = reloader;
    this.resolver = resolver;
    this.pool = pool;
  }

  /**
   * Loads and compiles the policy, asks the settings' preflight about it, binds both listeners and
   * returns once they accept.
   *
   * @throws ConfigException when the policy is invalid (every error, located)
   * @throws IOException when the preflight refuses the policy (nothing was bound) or a listener
   *     cannot be bound
   */
  public static GatehouseServer start(ProxySettings settings) throws IOException, ConfigException {
    ServerConfig config = settings.config();
    ActivePolicy initial = load(settings);
    Optional<String> refused = settings.preflight().apply(initial.engine());
    if (refused.isPresent()) {
      throw new IOException(refused.get());
    }
    Transport transport = Transport.best();
    ProxyMetrics metrics = new ProxyMetrics(new MetricsRegistry());
    if (settings.observer() instanceof MetricsSource source) {
      source.registerMetrics(metrics.registry());
    }
    RecentDecisions recent = new RecentDecisions();
    CallObserver observer = CallObserver.composite(List.of(metrics, recent, settings.observer()));
    PolicyHolder holder = new PolicyHolder(initial);
    AddressGuard guard = new AddressGuard();
    TargetResolver resolver = new TargetResolver(config.dns(), transport, guard);
    UpstreamPool pool =
        new UpstreamPool(
            transport, config.limits().connectTimeout(), config.limits().idleTimeout());
    resolver.metrics(metrics);
    pool.metrics(metrics);
    ProxyContext context =
        new ProxyContext(
            config,
            holder,
            observer,
            settings.clock(),
            metrics,
            resolver,
            pool,
            settings.interceptor());
    EventLoopGroup group =
        transport.newGroup(Runtime.getRuntime().availableProcessors(), "gatehouse-io");
    ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    PolicyReloader reloader = null;
    Channel proxyChannel = null;
    try {
      ChannelFuture bound =
          new ServerBootstrap()
              .group(group)
              .channel(transport.serverChannel())
              .option(ChannelOption.SO_BACKLOG, 4096)
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.SO_KEEPALIVE, true)
              .childHandler(new ClientInitializer(context, clients))
              .bind(address(config.listen()))
              .awaitUninterruptibly();
      if (!bound.isSuccess()) {
        throw new IOException(
            "cannot listen on " + config.listen() + ": " + bound.cause().getMessage(),
            bound.cause());
      }
      proxyChannel = bound.channel();
      if (settings.policy() instanceof PolicySource.File f) {
        reloader =
            new PolicyReloader(
                f.path(),
                holder,
                settings.env(),
                observer,
                metrics,
                settings.reloadPollInterval().toMillis());
      }
      String tokenEnv = config.admin().tokenEnv();
      Channel adminChannel =
          AdminServer.start(
              group,
              transport,
              address(config.admin().listen()),
              tokenEnv == null ? null : settings.env().apply(tokenEnv),
              tokenEnv,
              metrics.registry(),
              holder,
              reloader,
              new ModeSwitch(holder, settings.env(), observer),
              recent);
      InetSocketAddress proxyAddress = (InetSocketAddress) proxyChannel.localAddress();
      InetSocketAddress adminAddress = (InetSocketAddress) adminChannel.localAddress();
      guard.listeningOn(List.of(proxyAddress, adminAddress));
      if (reloader != null) {
        reloader.start();
      }
      LOG.log(
          Level.INFO,
          "gatehouse listening on {0} (transport {1}), admin on {2}, policy {3} version {4}",
          proxyAddress,
          transport.name(),
          adminAddress,
          initial.engine().model().source(),
          initial.engine().version());
      return new GatehouseServer(
          settings,
          transport,
          group,
          context,
          clients,
          proxyChannel,
          adminChannel,
          reloader,
          resolver,
          pool);
    } catch (IOException | RuntimeException e) {
      if (proxyChannel != null) {
        proxyChannel.close();
      }
      if (reloader != null) {
        reloader.close();
      }
      resolver.close();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  private static ActivePolicy load(ProxySettings settings) throws ConfigException {
    PolicySource source = settings.policy();
    if (source instanceof PolicySource.File f) {
      return PolicyLoading.fromFile(f.path(), settings.env());
    }
    if (source instanceof PolicySource.Fixed f) {
      return PolicyLoading.fromEngine(f.engine(), settings.env());
    }
    return PolicyLoading.builtInDefault(settings.env());
  }

  private static InetSocketAddress address(HostPort hp) {
    return new InetSocketAddress(hp.host(), hp.port());
  }

  /** The proxy listener's bound address (the real port when the config asked for port 0). */
  public InetSocketAddress proxyAddress() {
    return (InetSocketAddress) proxyChannel.localAddress();
  }

  /** The admin listener's bound address. */
  public InetSocketAddress adminAddress() {
    return (InetSocketAddress) adminChannel.localAddress();
  }

  /** The policy now in force. */
  public PolicyEngine policy() {
    return context.policy().current().engine();
  }

  /** "epoll" or "nio". */
  public String transport() {
    return transport.name();
  }

  /** The Prometheus registry served on {@code /metrics}; telemetry adds its own metrics here. */
  public MetricsRegistry metrics() {
    return context.metrics().registry();
  }

  /** Reloads the policy file now (as {@code POST /v1/policy/reload}); null for other sources. */
  public PolicyReloader reloader() {
    return reloader;
  }

  /**
   * Graceful stop: stop accepting, close idle connections, let in-flight calls finish up to the
   * drain timeout, close the rest, then close the observer when it is {@link AutoCloseable}.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    proxyChannel.close().awaitUninterruptibly();
    context.startDraining();
    for (Channel ch : clients) {
      ch.eventLoop()
          .execute(
              () -> {
                ExchangeSequencer seq = ch.pipeline().get(ExchangeSequencer.class);
                if (seq != null && !seq.busy()) {
                  ch.close();
                }
              });
    }
    long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
    while (context.activeCalls() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    int left = context.activeCalls();
    if (left > 0) {
      LOG.log(Level.WARNING, "closing {0} calls still in flight after the drain timeout", left);
    }
    clients.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    adminChannel.close().awaitUninterruptibly();
    if (reloader != null) {
      reloader.close();
    }
    pool.close();
    resolver.close();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (settings.observer() instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "closing the call observer failed", e);
      }
    }
  }
}
