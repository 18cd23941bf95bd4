package dev.gatehouse.proxy.net;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatehouse.config.model.HostPort;
import dev.gatehouse.config.model.ServerConfig;
import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.metrics.ProxyMetrics;
import io.netty.channel.EventLoop;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Resolves a request's host once and checks every address (SPEC §2.3, §2.4). Callers resolve only
 * hosts the rules allowed, so a denied name never reaches a DNS server. The result lists only
 * checked addresses; the proxy connects to one of them and never looks the name up again (no DNS
 * rebinding between check and connect).
 *
 * <p>With {@code dns.servers} set, Netty's non-blocking {@link DnsNameResolver} asks them (one
 * resolver per event loop, one {@link BoundedDnsCache} for all: 10,000 names, record TTLs capped at
 * five minutes); with none, the system resolver runs on a small thread pool, never on an event
 * loop.
 */
public final class TargetResolver implements AutoCloseable {
  private static final int MAX_TTL_SECONDS = 300;
  private static final int MAX_CACHED_NAMES = 10_000;

  private final ServerConfig.Dns dns;
  private final Transport transport;
  private final AddressGuard guard;
  private final Map<EventLoop, DnsNameResolver> resolvers = new ConcurrentHashMap<>();
  private final ExecutorService systemResolver;

  /**
   * The system resolver's answers (no TTLs are visible through it): kept as long as the JVM's own
   * positive cache (30 s), so a hit skips the hop to the resolver threads.
   */
  private final Cache<String, List<InetAddress>> systemAnswers =
      Caffeine.newBuilder()
          .maximumSize(MAX_CACHED_NAMES)
          .expireAfterWrite(Duration.ofSeconds(30))
          .build();

  private final BoundedDnsCache cache =
      new BoundedDnsCache(MAX_CACHED_NAMES, MAX_TTL_SECONDS, Ticker.systemTicker());

  public TargetResolver(ServerConfig.Dns dns, Transport transport, AddressGuard guard) {
    this.dns = dns;
    this.transport = transport;
    this.guard = guard;
    this.systemResolver =
        dns.servers().isEmpty()
            ? Executors.newFixedThreadPool(
                4,
                r -> {
                  Thread t = new Thread(r, "gatehouse-dns");
                  t.setDaemon(true);
                  return t;
                })
            : null;
  }

  private volatile ProxyMetrics metrics;

  /** Counts lookups and their latency from now on. */
  public void metrics(ProxyMetrics metrics) {
    this.metrics = metrics;
  }

  public AddressGuard guard() {
    return guard;
  }

  /** Resolves and checks {@code host}; the future never fails. */
  public Future<Resolution> resolve(EventLoop loop, Host host, int port, PolicyEngine engine) {
    if (host instanceof Host.Ip ip) {
      return loop.newSucceededFuture(check(List.of(ip.address()), port, engine));
    }
    String name = ((Host.Name) host).ascii();
    Promise<Resolution> promise = loop.newPromise();
    ProxyMetrics m = metrics;
    if (m != null) {
      long t0 = System.nanoTime();
      promise.addListener(
          f -> {
            Object r = f.getNow();
            m.dnsLookup(
                r instanceof Resolution.Allowed
                    ? "ok"
                    : r instanceof Resolution.Blocked ? "blocked" : "failed",
                System.nanoTime() - t0);
          });
    }
    if (systemResolver != null) {
      List<InetAddress> cached = systemAnswers.getIfPresent(name);
      if (cached != null) {
        return loop.newSucceededFuture(check(cached, port, engine));
      }
      systemResolver.execute(
          () -> {
            try {
              List<InetAddress> answer = List.of(InetAddress.getAllByName(name));
              systemAnswers.put(name, answer);
              promise.trySuccess(check(answer, port, engine));
            } catch (UnknownHostException e) {
              promise.trySuccess(new Resolution.Unresolved(name + " does not resolve"));
            } catch (RuntimeException e) {
              promise.trySuccess(new Resolution.Unresolved("resolving " + name + " failed: " + e));
            }
          });
      return promise;
    }
    resolverFor(loop)
        .resolveAll(name)
        .addListener(
            f -> {
              if (f.isSuccess()) {
                @SuppressWarnings("unchecked")
                List<InetAddress> addresses = (List<InetAddress>) f.getNow();
                promise.trySuccess(check(addresses, port, engine));
              } else {
                promise.trySuccess(new Resolution.Unresolved(name + " does not resolve"));
              }
            });
    return promise;
  }

  /** Checks every address: one blocked address blocks the request. */
  Resolution check(List<InetAddress> addresses, int port, PolicyEngine engine) {
    if (addresses.isEmpty()) {
      return new Resolution.Unresolved("no addresses");
    }
    List<InetSocketAddress> ok = new ArrayList<>(addresses.size());
    for (InetAddress a : addresses) {
      Optional<Reason> blocked = guard.check(engine, a, port);
      if (blocked.isPresent()) {
        return new Resolution.Blocked(blocked.get(), a);
      }
      ok.add(new InetSocketAddress(a, port));
    }
    return new Resolution.Allowed(ok);
  }

  private DnsNameResolver resolverFor(EventLoop loop) {
    DnsNameResolver r = resolvers.get(loop);
    if (r == null) {
      r = resolvers.computeIfAbsent(loop, this::newResolver);
    }
    return r;
  }

  private DnsNameResolver newResolver(EventLoop loop) {
    List<InetSocketAddress> servers = new ArrayList<>();
    for (HostPort hp : dns.servers()) {
      servers.add(new InetSocketAddress(hp.host(), hp.port() == 0 ? 53 : hp.port()));
    }
    return new DnsNameResolverBuilder(loop)
        .datagramChannelType(transport.datagramChannel())
        .nameServerProvider(new SequentialDnsServerAddressStreamProvider(servers))
        .queryTimeoutMillis(dns.timeout().toMillis())
        .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
        .resolveCache(cache)
        .searchDomains(List.of())
        .ndots(1)
        .recursionDesired(true)
        .maxQueriesPerResolve(8)
        .build();
  }

  @Override
  public void close() {
    resolvers.values().forEach(DnsNameResolver::close);
    if (systemResolver != null) {
      systemResolver.shutdownNow();
      try {
        systemResolver.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
