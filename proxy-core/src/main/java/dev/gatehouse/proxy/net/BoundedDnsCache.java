package dev.gatehouse.proxy.net;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.resolver.dns.DnsCache;
import io.netty.resolver.dns.DnsCacheEntry;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The DNS answer cache behind {@link TargetResolver}: bounded in names (Netty's default cache is
 * not), each answer kept for its record TTL capped at {@code maxTtlSeconds}, failures not cached. A
 * cached answer saves a lookup, never a check: every address is checked on every request.
 */
final class BoundedDnsCache implements DnsCache {
  private record Entry(String hostname, InetAddress address, long expiresAtNanos)
      implements DnsCacheEntry {
    @Override
    public Throwable cause() {
      return null;
    }
  }

  private record Failure(String hostname, Throwable cause) implements DnsCacheEntry {
    @Override
    public InetAddress address() {
      return null;
    }
  }

  private final Cache<String, List<Entry>> cache;
  private final Ticker ticker;
  private final long maxTtlNanos;

  BoundedDnsCache(long maxNames, int maxTtlSeconds, Ticker ticker) {
    this.ticker = ticker;
    this.maxTtlNanos = TimeUnit.SECONDS.toNanos(maxTtlSeconds);
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maxNames)
            .ticker(ticker)
            // maintenance (eviction) on the caller: small, and no ForkJoinPool thread needed
            .executor(Runnable::run)
            .expireAfter(
                new Expiry<String, List<Entry>>() {
                  @Override
                  public long expireAfterCreate(String key, List<Entry> value, long now) {
                    return untilFirstExpiry(value, now);
                  }

                  @Override
                  public long expireAfterUpdate(
                      String key, List<Entry> value, long now, long currentDuration) {
                    return untilFirstExpiry(value, now);
                  }

                  @Override
                  public long expireAfterRead(
                      String key, List<Entry> value, long now, long currentDuration) {
                    return currentDuration;
                  }
                })
            .build();
  }

  private static long untilFirstExpiry(List<Entry> entries, long now) {
    long first = Long.MAX_VALUE;
    for (Entry e : entries) {
      first = Math.min(first, e.expiresAtNanos);
    }
    return Math.max(0, first - now);
  }

  private static String key(String hostname) {
    return hostname.toLowerCase(Locale.ROOT);
  }

  @Override
  public void clear() {
    cache.invalidateAll();
  }

  @Override
  public boolean clear(String hostname) {
    return cache.asMap().remove(key(hostname)) != null;
  }

  @Override
  public List<? extends DnsCacheEntry> get(String hostname, DnsRecord[] additionals) {
    if (additionals != null && additionals.length > 0) {
      return null;
    }
    List<Entry> entries = cache.getIfPresent(key(hostname));
    if (entries == null) {
      return null;
    }
    long now = ticker.read();
    for (Entry e : entries) {
      if (e.expiresAtNanos <= now) {
        return null; // one record expired: ask again for the whole answer
      }
    }
    return entries;
  }

  @Override
  public DnsCacheEntry cache(
      String hostname,
      DnsRecord[] additionals,
      InetAddress address,
      long originalTtl,
      EventLoop loop) {
    long ttl = Math.min(TimeUnit.SECONDS.toNanos(Math.max(0, originalTtl)), maxTtlNanos);
    Entry entry = new Entry(hostname, address, ticker.read() + ttl);
    if (ttl == 0 || (additionals != null && additionals.length > 0)) {
      return entry;
    }
    cache
        .asMap()
        .compute(
            key(hostname),
            (k, old) -> {
              List<Entry> next = new ArrayList<>(old == null ? 1 : old.size() + 1);
              if (old != null) {
                for (Entry e : old) {
                  if (!e.address.equals(address)) {
                    next.add(e);
                  }
                }
              }
              next.add(entry);
              return List.copyOf(next);
            });
    return entry;
  }

  @Override
  public DnsCacheEntry cache(
      String hostname, DnsRecord[] additionals, Throwable cause, EventLoop loop) {
    return new Failure(hostname, cause); // failures are not cached: the next request asks again
  }
}
