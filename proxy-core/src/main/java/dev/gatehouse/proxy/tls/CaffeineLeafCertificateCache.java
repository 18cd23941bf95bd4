package dev.gatehouse.proxy.tls;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatehouse.policy.Host;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * {@link LeafCertificateCache} on a Caffeine {@link AsyncLoadingCache}: the cache holds the
 * issuance's future, so concurrent first requests for a host coalesce into one issuance.
 */
final class CaffeineLeafCertificateCache implements LeafCertificateCache {
  /** The proxy speaks HTTP/1.1 to intercepted clients (SPEC §3: ALPN offers http/1.1). */
  static final ApplicationProtocolConfig ALPN_HTTP_1_1 =
      new ApplicationProtocolConfig(
          ApplicationProtocolConfig.Protocol.ALPN,
          ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
          ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
          ApplicationProtocolNames.HTTP_1_1);

  private final LeafIssuer issuer;
  private final AsyncLoadingCache<Host, LeafContext> cache;
  private final AtomicLong issued = new AtomicLong();

  CaffeineLeafCertificateCache(
      LeafIssuer issuer, Executor executor, Ticker ticker, long maximumSize, Duration maxAge) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    if (maximumSize < 1) {
      throw new IllegalArgumentException("leaf cache size " + maximumSize + " must be at least 1");
    }
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("leaf cache age " + maxAge + " must be positive");
    }
    Clock clock = issuer.clock();
    long maxAgeNanos = maxAge.toNanos();
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maximumSize)
            .ticker(ticker)
            .executor(executor)
            .expireAfter(
                new Expiry<Host, LeafContext>() {
                  @Override
                  public long expireAfterCreate(Host host, LeafContext value, long now) {
                    Duration left =
                        Duration.between(
                            clock.instant(), value.leaf().certificate().getNotAfter().toInstant());
                    return Math.max(0, Math.min(maxAgeNanos, left.toNanos() / 2));
                  }

                  @Override
                  public long expireAfterUpdate(
                      Host host, LeafContext value, long now, long currentDuration) {
                    return expireAfterCreate(host, value, now);
                  }

                  @Override
                  public long expireAfterRead(
                      Host host, LeafContext value, long now, long currentDuration) {
                    return currentDuration;
                  }
                })
            .buildAsync(this::mint);
  }

  @Override
  public CompletableFuture<LeafContext> serverContext(Host host) {
    return cache.get(Objects.requireNonNull(host, "host"));
  }

  @Override
  public long issued() {
    return issued.get();
  }

  private LeafContext mint(Host host) {
    try {
      LeafCertificate leaf = issuer.issue(host);
      issued.incrementAndGet();
      return new LeafContext(leaf, serverContext(leaf));
    } catch (CaException | SSLException e) {
      throw new CompletionException(e);
    }
  }

  static SslContext serverContext(LeafCertificate leaf) throws SSLException {
    SslContextBuilder builder =
        TlsProviders.OPENSSL
            // BoringSSL takes the key once, natively; the key manager would be asked per handshake
            ? SslContextBuilder.forServer(leaf.privateKey(), leaf.certificate())
            : SslContextBuilder.forServer(new LeafKeyManager(leaf));
    return builder
        .sslProvider(TlsProviders.provider())
        .protocols("TLSv1.3", "TLSv1.2")
        .applicationProtocolConfig(ALPN_HTTP_1_1)
        .build();
  }
}
