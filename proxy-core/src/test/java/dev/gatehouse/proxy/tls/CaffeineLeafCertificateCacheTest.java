package dev.gatehouse.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.policy.Host;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class CaffeineLeafCertificateCacheTest {
  private final TestClocks time = new TestClocks();
  private final CertificateAuthority ca =
      CertificateAuthority.create(KeyAlgorithm.EC_P256, "vm", time.clock);

  /** Runs tasks only when the test says so: issuance is visibly off the caller's thread. */
  private static final class ManualExecutor implements Executor {
    final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      for (int i = 0; i < 1_000 && !tasks.isEmpty(); i++) {
        tasks.poll().run();
      }
    }
  }

  private final ManualExecutor executor = new ManualExecutor();

  private LeafCertificateCache cache(Duration maxAge) {
    return LeafCertificateCache.create(
        LeafIssuer.create(ca, time.clock), executor, time.ticker, 100, maxAge);
  }

  @Test
  void serverContext_concurrentFirstRequests_coalesceIntoOneIssuance() {
    LeafCertificateCache cache = cache(Duration.ofDays(1));
    Host host = new Host.Name("api.example.test");

    CompletableFuture<LeafContext> first = cache.serverContext(host);
    CompletableFuture<LeafContext> second = cache.serverContext(host);
    assertThat(first).isNotDone(); // nothing ran on the caller's thread
    assertThat(second).isSameAs(first);
    assertThat(cache.issued()).isZero();

    executor.runAll();
    assertThat(cache.issued()).isEqualTo(1);
    LeafContext context = first.join();
    assertThat(context.sslContext().isServer()).isTrue();
    assertThat(context.sslContext().applicationProtocolNegotiator().protocols())
        .containsExactly("http/1.1");
    assertThat(cache.serverContext(host).join()).isSameAs(context);
    assertThat(cache.issued()).isEqualTo(1);
  }

  @Test
  void serverContext_differentHosts_getDifferentLeaves() {
    LeafCertificateCache cache = cache(Duration.ofDays(1));
    var a = cache.serverContext(new Host.Name("a.test"));
    var b = cache.serverContext(new Host.Name("b.test"));
    executor.runAll();
    assertThat(a.join().leaf().certificate()).isNotEqualTo(b.join().leaf().certificate());
    assertThat(cache.issued()).isEqualTo(2);
  }

  @Test
  void serverContext_afterMaxAge_reissues() {
    LeafCertificateCache cache = cache(Duration.ofDays(1));
    Host host = new Host.Name("a.test");
    cache.serverContext(host);
    executor.runAll();

    time.advance(Duration.ofHours(23));
    assertThat(cache.serverContext(host)).isDone();
    assertThat(cache.issued()).isEqualTo(1);

    time.advance(Duration.ofHours(2));
    CompletableFuture<LeafContext> renewed = cache.serverContext(host);
    executor.runAll();
    assertThat(cache.issued()).isEqualTo(2);
    assertThat(renewed.join().leaf().certificate().getNotBefore().toInstant())
        .isEqualTo(TestClocks.START.plus(Duration.ofHours(24)));
  }

  @Test
  void serverContext_leafCutShortByCaExpiry_expiresAtHalfItsValidity() {
    LeafCertificateCache cache = cache(Duration.ofDays(1));
    Host host = new Host.Name("a.test");
    time.advance(Duration.ofDays(365).minusHours(10)); // CA has 10 hours left
    cache.serverContext(host);
    executor.runAll();
    assertThat(cache.issued()).isEqualTo(1);

    time.advance(Duration.ofHours(4));
    assertThat(cache.serverContext(host)).isDone();
    time.advance(Duration.ofHours(2)); // past 5 h: half of what was left
    cache.serverContext(host);
    executor.runAll();
    assertThat(cache.issued()).isEqualTo(2);
  }

  @Test
  void serverContext_failedIssuance_isNotCached() {
    LeafCertificateCache cache = cache(Duration.ofDays(1));
    Host host = new Host.Name("a.test");
    time.advance(Duration.ofDays(400)); // CA expired
    CompletableFuture<LeafContext> failed = cache.serverContext(host);
    executor.runAll();
    assertThat(failed).isCompletedExceptionally();
    try {
      failed.join();
    } catch (CompletionException e) {
      assertThat(e).hasRootCauseInstanceOf(CaException.class);
      assertThat(e.getCause()).hasMessageContaining("expired");
    }
    assertThat(cache.serverContext(host)).isNotSameAs(failed);
  }
}
