package dev.gatehouse.policy.bench;

import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.PolicyCompiler;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.policy.Request;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code decide()} against generated policies of 10, 1,000 and 100,000 rules, with and without the
 * decision cache. Requests cycle through 4,096 prepared ones (hits of every rule kind, near misses
 * and unknown hosts); hosts are parsed beforehand, as the proxy does once per request before
 * deciding. See BENCHMARKS.md for the command.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DecideBenchmark {
  @Param({"10", "1000", "100000"})
  public int rules;

  @Param({"true", "false"})
  public boolean cached;

  private PolicyEngine engine;
  private Request[] requests;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    engine =
        PolicyCompiler.compile(
                GeneratedPolicy.model(rules),
                cached ? PolicyCompiler.DEFAULT_DECISION_CACHE_SIZE : 0)
            .engine()
            .orElseThrow();
    requests = GeneratedPolicy.requests(rules, 4096, 42);
  }

  @Benchmark
  public Decision decide() {
    Request r = requests[next];
    next = (next + 1) & (requests.length - 1);
    return engine.decide(r);
  }
}
