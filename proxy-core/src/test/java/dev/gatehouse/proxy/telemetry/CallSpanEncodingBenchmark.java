package dev.gatehouse.proxy.telemetry;

import dev.gatehouse.proxy.observe.CallKind;
import dev.gatehouse.proxy.observe.Calls;
import io.opentelemetry.exporter.internal.otlp.traces.LowAllocationTraceRequestMarshaler;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
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
 * CPU per call span to encode a default batch (2048 spans) as an OTLP request: Gatehouse's {@link
 * CallSpanEncoder} against the SDK exporter's own marshaller in its default low-allocation mode (an
 * internal SDK class, used here only to measure the baseline). The spans' attributes are built
 * before the SDK's runs (they are cached on the span), which favours the SDK a little. Run as
 * {@code LeafIssuanceBenchmark} is (BENCHMARKS.md), with {@code CallSpanEncodingBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CallSpanEncodingBenchmark {
  private static final int BATCH = 2048;

  private List<SpanData> spans;
  private List<CallSpan> calls;
  private final CallSpanEncoder encoder = new CallSpanEncoder();
  private final ProtoWriter request = new ProtoWriter(2 << 20);
  private final LowAllocationTraceRequestMarshaler sdk = new LowAllocationTraceRequestMarshaler();
  private final ByteArrayOutputStream sink = new ByteArrayOutputStream(2 << 20);

  @Setup
  public void setUp() {
    InMemorySpanExporter captured = InMemorySpanExporter.create();
    SpanExportQueue queue =
        new SpanExportQueue(captured, BATCH, BATCH, Duration.ofMillis(10), Duration.ofSeconds(10));
    SpanObserver observer =
        SpanObserver.direct(
            List.of(queue), Sampler.parentBased(Sampler.alwaysOn()), Resource.getDefault());
    for (int i = 0; i < BATCH; i++) {
      observer.begin(Calls.start("req-" + i, CallKind.HTTP)).end(Calls.allowedGet());
    }
    queue.forceFlush().join(10, TimeUnit.SECONDS);
    queue.shutdown();
    spans = captured.getFinishedSpanItems();
    calls = new ArrayList<>();
    spans.forEach(s -> calls.add((CallSpan) s));
    spans.forEach(SpanData::getAttributes);
    if (calls.size() != BATCH) {
      throw new IllegalStateException(calls.size() + " spans made, not " + BATCH);
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int gatehouseEncoder() throws IOException {
    encoder.encode(calls, request);
    sink.reset();
    request.writeTo(sink);
    return sink.size();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int sdkMarshaller() throws IOException {
    sdk.initialize(spans);
    try {
      sink.reset();
      sdk.writeBinaryTo(sink);
      return sink.size();
    } finally {
      sdk.reset();
    }
  }
}
