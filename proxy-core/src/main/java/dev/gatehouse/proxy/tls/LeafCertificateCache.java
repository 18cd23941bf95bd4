package dev.gatehouse.proxy.tls;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatehouse.policy.Host;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Leaf certificates and their server {@code SslContext}s, minted on a host's first interception and
 * reused until shortly before they expire. The CONNECT stage asks for a host's context and installs
 * the {@code SslHandler} when the future completes; issuance never runs on an event loop.
 */
public interface LeafCertificateCache {
  /** Upper bound on cached hosts. */
  long DEFAULT_MAXIMUM_SIZE = 10_000;

  /** A leaf is replaced after a day, well before its {@link LeafIssuer#DEFAULT_VALIDITY}. */
  Duration DEFAULT_MAX_AGE = Duration.ofDays(1);

  /**
   * The context for {@code host}. Concurrent calls for one host share a single issuance; a failed
   * issuance is not cached, so the next call tries again.
   */
  CompletableFuture<LeafContext> serverContext(Host host);

  /** How many leaves have been minted (issuances, not lookups). */
  long issued();

  /** Leaves issued on the common fork-join pool, with the default size and age bounds. */
  static LeafCertificateCache create(LeafIssuer issuer) {
    return create(
        issuer,
        ForkJoinPool.commonPool(),
        Ticker.systemTicker(),
        DEFAULT_MAXIMUM_SIZE,
        DEFAULT_MAX_AGE);
  }

  /**
   * @param executor where issuance runs (never an event loop)
   * @param ticker the cache's time source; tests pass a fake one
   * @param maxAge how long a leaf is reused; an entry also expires at half its leaf's remaining
   *     validity, so a cached leaf is never presented after (or close to) its notAfter
   */
  static LeafCertificateCache create(
      LeafIssuer issuer, Executor executor, Ticker ticker, long maximumSize, Duration maxAge) {
    return new CaffeineLeafCertificateCache(issuer, executor, ticker, maximumSize, maxAge);
  }
}
