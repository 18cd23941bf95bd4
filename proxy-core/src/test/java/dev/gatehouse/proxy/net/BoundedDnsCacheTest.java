package dev.gatehouse.proxy.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.netty.resolver.dns.DnsCacheEntry;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BoundedDnsCacheTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final Ticker ticker = now::get;

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  private void advanceSeconds(long s) {
    now.addAndGet(TimeUnit.SECONDS.toNanos(s));
  }

  @Test
  void answers_areKeptForTheirTtl() throws Exception {
    BoundedDnsCache c = new BoundedDnsCache(100, 300, ticker);
    c.cache("a.test", null, ip("192.0.2.1"), 10, null);
    c.cache("A.test", null, ip("192.0.2.2"), 10, null);
    List<? extends DnsCacheEntry> got = c.get("a.test", null);
    assertThat(got)
        .extracting(DnsCacheEntry::address)
        .containsExactly(ip("192.0.2.1"), ip("192.0.2.2"));
    advanceSeconds(11);
    assertThat(c.get("a.test", null)).isNull();
  }

  @Test
  void ttl_isCappedAtTheMaximum() throws Exception {
    BoundedDnsCache c = new BoundedDnsCache(100, 300, ticker);
    c.cache("long.test", null, ip("192.0.2.1"), 86_400, null);
    advanceSeconds(299);
    assertThat(c.get("long.test", null)).isNotNull();
    advanceSeconds(2);
    assertThat(c.get("long.test", null)).isNull();
  }

  @Test
  void zeroTtlAndFailures_areNotCached() throws Exception {
    BoundedDnsCache c = new BoundedDnsCache(100, 300, ticker);
    c.cache("zero.test", null, ip("192.0.2.1"), 0, null);
    c.cache("fail.test", null, new RuntimeException("NXDOMAIN"), null);
    assertThat(c.get("zero.test", null)).isNull();
    assertThat(c.get("fail.test", null)).isNull();
  }

  @Test
  void size_isBounded() throws Exception {
    BoundedDnsCache c = new BoundedDnsCache(10, 300, ticker);
    for (int i = 0; i < 1000; i++) {
      c.cache("n" + i + ".test", null, ip("192.0.2.1"), 60, null);
    }
    int present = 0;
    for (int i = 0; i < 1000; i++) {
      if (c.get("n" + i + ".test", null) != null) {
        present++;
      }
    }
    // Caffeine evicts asynchronously-amortised; the bound holds after maintenance
    assertThat(present).isLessThanOrEqualTo(20);
  }
}
