package dev.gatehouse.proxy.telemetry;

import dev.gatehouse.proxy.audit.AuditFileOptions;
import dev.gatehouse.proxy.audit.AuditObserver;
import dev.gatehouse.proxy.audit.AuditSink;
import dev.gatehouse.proxy.observe.CallEnd;
import dev.gatehouse.proxy.observe.CallKind;
import dev.gatehouse.proxy.observe.CallObserver;
import dev.gatehouse.proxy.observe.CallStart;
import dev.gatehouse.proxy.observe.Calls;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;

/**
 * Benchmark (not a test): the cost per call, on the calling (event-loop) thread, of each observer.
 * {@code java -cp <test classpath> dev.gatehouse.proxy.telemetry.ObserverCostMain}
 */
public final class ObserverCostMain {
  private ObserverCostMain() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    CallEnd end = Calls.allowedGet();
    SpanExporter discard =
        new SpanExporter() {
          @Override
          public CompletableResultCode export(Collection<SpanData> spans) {
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
          }
        };
    Path dir = Files.createTempDirectory("observer-cost");
    AuditSink sink = AuditSink.file(AuditFileOptions.of(dir.resolve("audit.jsonl"), 1L << 34, 1));
    AuditObserver audit = new AuditObserver(sink, Clock.systemUTC());
    try (Telemetry t =
        Telemetry.create(
            Map.of("otel.traces.exporter", "otlp", "otel.bsp.max.queue.size", "65536"),
            otlp -> {
              otlp.shutdown();
              return discard;
            })) {
      for (int round = 0; round < 3; round++) {
        measure("noop", CallObserver.NOOP, end, n);
        measure("audit (file)", audit, end, n);
        measure("spans (BSP, discarding exporter)", t.spanObserver(), end, n);
        measure("spans + audit", new TelemetryObserver(t.spanObserver(), audit), end, n);
      }
      System.out.println("spans dropped: " + t.spansDropped() + ", audit lost: " + sink.lost());
    } finally {
      sink.close();
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  private static void measure(String name, CallObserver o, CallEnd end, int n) {
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      CallStart s = Calls.start("r" + i, CallKind.HTTP);
      o.begin(s).end(end);
    }
    long ns = System.nanoTime() - t0;
    System.out.printf("%-36s %7.0f ns/call%n", name, (double) ns / n);
  }
}
