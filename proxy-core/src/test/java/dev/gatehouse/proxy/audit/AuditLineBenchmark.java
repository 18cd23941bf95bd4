package dev.gatehouse.proxy.audit;

import dev.gatehouse.proxy.observe.CallKind;
import dev.gatehouse.proxy.observe.Calls;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CPU per decision line on the audit writer's path: serialise the record into a {@link JsonLine}
 * and copy its bytes out, for 1,024 calls with the records already in cache (on the proxy the
 * writer reads them from another core's, which costs more: BENCHMARKS.md). Run as {@code
 * LeafIssuanceBenchmark} is, with {@code AuditLineBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AuditLineBenchmark {
  private static final int BATCH = 1024;
  private final List<AuditRecord> records = new ArrayList<>();
  private final JsonLine line = new JsonLine();
  private final ByteArrayOutputStream sink = new ByteArrayOutputStream(1 << 20);

  @Setup
  public void setUp() {
    for (int i = 0; i < BATCH; i++) {
      records.add(
          new DecisionRecord(
              Calls.start("req-" + i, CallKind.HTTP),
              Calls.allowedGet(),
              "0af7651916cd43dd8448eb211c80319c",
              "b7ad6b7169203331",
              null));
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int decisionLines() {
    sink.reset();
    for (AuditRecord r : records) {
      line.reset();
      r.writeJson(line);
      line.raw('\n');
      sink.write(line.array(), 0, line.length());
    }
    return sink.size();
  }
}
