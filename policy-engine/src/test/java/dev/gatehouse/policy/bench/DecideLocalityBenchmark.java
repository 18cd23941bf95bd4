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
 * Uncached {@code decide()} with requests drawn from only 10 rules of the policy: separates what
 * the algorithm costs as rules grow (nothing: same lookups) from CPU-cache misses over a large
 * index when traffic is spread evenly over 100,000 rules ({@link DecideBenchmark}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DecideLocalityBenchmark {
  @Param({"10", "100000"})
  public int rules;

  private PolicyEngine engine;
  private Request[] requests;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    engine = PolicyCompiler.compile(GeneratedPolicy.model(rules), 0).engine().orElseThrow();
    requests = GeneratedPolicy.requests(rules, 4096, 42, 10);
  }

  @Benchmark
  public Decision decideHotSet() {
    Request r = requests[next];
    next = (next + 1) & (requests.length - 1);
    return engine.decide(r);
  }
}
