package dev.gatehouse.proxy.tls.bench;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatehouse.policy.Host;
import dev.gatehouse.proxy.tls.CaException;
import dev.gatehouse.proxy.tls.CertificateAuthority;
import dev.gatehouse.proxy.tls.KeyAlgorithm;
import dev.gatehouse.proxy.tls.LeafCertificate;
import dev.gatehouse.proxy.tls.LeafCertificateCache;
import dev.gatehouse.proxy.tls.LeafContext;
import dev.gatehouse.proxy.tls.LeafIssuer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * First leaf issuance for a host never seen before (issue #4 target: at most 5 ms median), one
 * thread. {@code issue*} is the certificate alone; {@code firstServerContext} is what a CONNECT to
 * a new host waits for: the leaf plus its Netty {@code SslContext}, through the cache.
 *
 * <p>Run: {@code mvn -o -q -pl proxy-core -am test-compile}, then {@code java -cp
 * proxy-core/target/test-classes:proxy-core/target/classes:$(cat cp.txt) org.openjdk.jmh.Main
 * LeafIssuanceBenchmark} with the test class path from {@code dependency:build-classpath}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LeafIssuanceBenchmark {
  @Param({"EC_P256", "RSA_3072"})
  public KeyAlgorithm caKey;

  private LeafIssuer perHostKeys;
  private LeafIssuer sharedKey;
  private LeafCertificateCache cache;
  private long next;

  @Setup
  public void setUp() {
    Clock clock = Clock.systemUTC();
    CertificateAuthority ca = CertificateAuthority.create(caKey, "bench", clock);
    perHostKeys = LeafIssuer.create(ca, clock);
    sharedKey = LeafIssuer.create(ca, clock, LeafIssuer.DEFAULT_VALIDITY, true);
    // issue on the calling thread so the sample is the issuance, not a thread hand-off
    cache =
        LeafCertificateCache.create(
            perHostKeys, Runnable::run, Ticker.systemTicker(), 1_000, Duration.ofDays(1));
  }

  private Host newHost() {
    return new Host.Name("h" + (next++) + ".bench.example");
  }

  @Benchmark
  public LeafCertificate issuePerHostKey() throws CaException {
    return perHostKeys.issue(newHost());
  }

  @Benchmark
  public LeafCertificate issueSharedKey() throws CaException {
    return sharedKey.issue(newHost());
  }

  @Benchmark
  public LeafContext firstServerContext() {
    return cache.serverContext(newHost()).join();
  }
}
