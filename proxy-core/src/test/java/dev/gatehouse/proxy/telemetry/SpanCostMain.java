package dev.gatehouse.proxy.telemetry;

import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.proxy.observe.CallEnd;
import dev.gatehouse.proxy.observe.CallKind;
import dev.gatehouse.proxy.observe.CallObserver;
import dev.gatehouse.proxy.observe.Calls;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (not a test): CPU per span, summed over every thread that works on it (the calling
 * thread, the export thread, OkHttp's threads; not the sink's), with the real OTLP http/protobuf
 * exporter posting to an in-process sink on loopback. Compares the SDK path (SDK spans and its
 * batch processor, as before issue 5's change) with the direct path {@link Telemetry} sets up.
 * {@code java -cp <test classpath> dev.gatehouse.proxy.telemetry.SpanCostMain [calls] [rounds]}
 */
public final class SpanCostMain {
  private SpanCostMain() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    HttpServer sink =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    sink.setExecutor(Executors.newSingleThreadExecutor(r -> new Thread(r, "sink")));
    sink.createContext(
        "/v1/traces",
        x -> {
          x.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
          x.sendResponseHeaders(200, -1);
          x.close();
        });
    sink.start();
    String endpoint = "http://127.0.0.1:" + sink.getAddress().getPort() + "/v1/traces";
    try {
      for (int r = 0; r < rounds; r++) {
        sdkPath(endpoint, n);
        directPath(endpoint, n);
      }
    } finally {
      sink.stop(0);
      ((java.util.concurrent.ExecutorService) sink.getExecutor()).shutdownNow();
    }
  }

  private static void sdkPath(String endpoint, int n) {
    BatchSpanProcessor bsp =
        BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build())
            .setMaxQueueSize(1 << 20)
            .build();
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(bsp).build())
            .build()) {
      run("SDK spans + batch processor", new SpanObserver(sdk), n, () -> bsp.forceFlush());
    }
  }

  private static void directPath(String endpoint, int n) {
    Map<String, String> props = new HashMap<>();
    props.put("otel.traces.exporter", "otlp");
    props.put("otel.exporter.otlp.traces.protocol", "http/protobuf");
    props.put("otel.exporter.otlp.traces.endpoint", endpoint);
    props.put("otel.bsp.max.queue.size", Integer.toString(1 << 20));
    try (Telemetry t = Telemetry.create(props, e -> e)) {
      run("direct (call spans)", t.spanObserver(), n, () -> t.forceFlush(Duration.ofSeconds(60)));
      System.out.printf(
          "  exported %d, dropped %d, failed %d%n",
          t.spansExported(), t.spansDropped(), t.spansExportFailed());
    }
  }

  private static void run(
      String name, CallObserver spans, int n, java.util.function.Supplier<?> flush) {
    CallEnd end = Calls.allowedGet();
    Map<String, Long> before = cpuByThread();
    long caller0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    for (int i = 0; i < n; i++) {
      spans.begin(Calls.start("r" + i, CallKind.HTTP)).end(end);
    }
    long caller = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - caller0;
    Object f = flush.get();
    if (f instanceof io.opentelemetry.sdk.common.CompletableResultCode c) {
      c.join(60, TimeUnit.SECONDS);
    }
    Map<String, Long> after = cpuByThread();
    long others = 0;
    for (var e : after.entrySet()) {
      if (!e.getKey().startsWith("sink") && !e.getKey().startsWith("main")) {
        others += e.getValue() - before.getOrDefault(e.getKey(), 0L);
      }
    }
    System.out.printf(
        "%-30s calling thread %6.2f us/span, export threads %6.2f us/span%n",
        name, caller / 1e3 / n, others / 1e3 / n);
  }

  /** CPU nanoseconds per live thread, keyed by name and id. */
  private static Map<String, Long> cpuByThread() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, Long> m = new HashMap<>();
    for (long id : mx.getAllThreadIds()) {
      ThreadInfo info = mx.getThreadInfo(id);
      long cpu = mx.getThreadCpuTime(id);
      if (info != null && cpu >= 0) {
        m.put(info.getThreadName() + "#" + id, cpu);
      }
    }
    return m;
  }
}
