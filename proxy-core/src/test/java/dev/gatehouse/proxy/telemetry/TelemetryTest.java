package dev.gatehouse.proxy.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.proxy.observe.CallKind;
import dev.gatehouse.proxy.observe.Calls;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class TelemetryTest {

  @Test
  void noExporterConfigured_tracesDisabled() {
    try (Telemetry t = Telemetry.create(Map.of("otel.traces.exporter", "none"), e -> e)) {
      assertThat(t.tracesEnabled()).isFalse();
    }
  }

  /** Blocks the first export until released, so the batch processor's queue fills up. */
  static final class StalledExporter implements SpanExporter {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final InMemorySpanExporter sink = InMemorySpanExporter.create();

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      entered.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return sink.export(spans);
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @Test
  void queueFull_droppedSpansCountedAndExportedCounted() throws Exception {
    StalledExporter stalled = new StalledExporter();
    Map<String, String> props =
        Map.of(
            "otel.traces.exporter", "otlp", // console would get a synchronous processor
            "otel.bsp.max.queue.size", "2",
            "otel.bsp.max.export.batch.size", "1",
            "otel.bsp.schedule.delay", "1");
    try (Telemetry t =
        Telemetry.create(
            props,
            otlp -> {
              otlp.shutdown(); // never used: the stalled exporter stands in for it
              return stalled;
            })) {
      SpanObserver spans = t.spanObserver();
      spans.begin(Calls.start("first", CallKind.HTTP)).end(Calls.allowedGet());
      assertThat(stalled.entered.await(30, TimeUnit.SECONDS)).isTrue(); // exporter holds 1 span
      for (int i = 0; i < 9; i++) {
        spans.begin(Calls.start("r" + i, CallKind.HTTP)).end(Calls.allowedGet());
      }
      // the queue holds 2; the other 7 are dropped
      try {
        assertThat(t.spansDropped()).isEqualTo(7);
      } finally {
        stalled.release.countDown();
      }
      assertThat(t.forceFlush(Duration.ofSeconds(30))).isTrue();
      assertThat(t.spansExported()).isEqualTo(3);
      assertThat(stalled.sink.getFinishedSpanItems()).hasSize(3);
    }
  }

  @Test
  void consoleExporter_batchedNotExportedOnTheEndingThread() throws Exception {
    StalledExporter stalled = new StalledExporter();
    try (Telemetry t =
        Telemetry.create(
            Map.of("otel.traces.exporter", "console", "otel.bsp.schedule.delay", "1"),
            console -> stalled)) {
      SpanObserver spans = t.spanObserver();
      // with autoconfigure's SimpleSpanProcessor this end() would block in the stalled exporter
      spans.begin(Calls.start("a", CallKind.HTTP)).end(Calls.allowedGet());
      spans.begin(Calls.start("b", CallKind.HTTP)).end(Calls.allowedGet());
      assertThat(stalled.entered.await(30, TimeUnit.SECONDS)).isTrue(); // exported elsewhere
      stalled.release.countDown();
      assertThat(t.forceFlush(Duration.ofSeconds(30))).isTrue();
      assertThat(t.spansExported()).isEqualTo(2);
    } finally {
      stalled.release.countDown();
    }
  }

  @Test
  void serviceName_defaultsToGatehouse_unlessGivenInResourceAttributes() throws Exception {
    for (var c :
        List.of(
            Map.entry(Map.of("otel.traces.exporter", "otlp"), "gatehouse"),
            Map.entry(
                Map.of(
                    "otel.traces.exporter", "otlp",
                    "otel.resource.attributes", "service.name=egress-eu,team=sec"),
                "egress-eu"),
            Map.entry(
                Map.of("otel.traces.exporter", "otlp", "otel.service.name", "gh-2"), "gh-2"))) {
      InMemorySpanExporter memory = InMemorySpanExporter.create();
      try (Telemetry t =
          Telemetry.create(
              c.getKey(),
              otlp -> {
                otlp.shutdown();
                return memory;
              })) {
        t.spanObserver().begin(Calls.start("r", CallKind.HTTP)).end(Calls.allowedGet());
        assertThat(t.forceFlush(Duration.ofSeconds(30))).isTrue();
        assertThat(memory.getFinishedSpanItems()).hasSize(1);
        assertThat(
                memory
                    .getFinishedSpanItems()
                    .get(0)
                    .getResource()
                    .getAttribute(
                        io.opentelemetry.api.common.AttributeKey.stringKey("service.name")))
            .as("%s", c.getKey())
            .isEqualTo(c.getValue());
      }
    }
  }

  /** Telemetry with the in-memory exporter standing in for OTLP, plus {@code props}. */
  private static Telemetry withMemory(InMemorySpanExporter memory, Map<String, String> props) {
    Map<String, String> all = new java.util.HashMap<>(props);
    all.put("otel.traces.exporter", "otlp");
    return Telemetry.create(
        all,
        otlp -> {
          otlp.shutdown();
          return memory;
        });
  }

  @Test
  void samplerAlwaysOff_noSpanExported_butIdsForTheAuditLine() {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (Telemetry t = withMemory(memory, Map.of("otel.traces.sampler", "always_off"))) {
      SpanObserver.SpanHandle h = t.spanObserver().begin(Calls.start("r", CallKind.HTTP));
      h.end(Calls.allowedGet());
      assertThat(t.forceFlush(Duration.ofSeconds(30))).isTrue();
      assertThat(memory.getFinishedSpanItems()).isEmpty();
      assertThat(h.traceId()).hasSize(32);
      assertThat(h.spanId()).hasSize(16);
      assertThat(h.spanContext().isSampled()).isFalse();
      assertThat(t.spansDropped()).isZero(); // sampled away is not dropped
    }
  }

  @Test
  void defaultSampler_followsTheClientsSampledFlag() {
    String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (Telemetry t = withMemory(memory, Map.of())) {
      SpanObserver spans = t.spanObserver();
      spans
          .begin(
              Calls.start(
                  "unsampled",
                  CallKind.HTTP,
                  Map.of("traceparent", "00-" + trace + "-00f067aa0ba902b7-00")))
          .end(Calls.allowedGet());
      spans
          .begin(
              Calls.start(
                  "sampled",
                  CallKind.HTTP,
                  Map.of("traceparent", "00-" + trace + "-00f067aa0ba902b7-01")))
          .end(Calls.allowedGet());
      assertThat(t.forceFlush(Duration.ofSeconds(30))).isTrue();
      assertThat(memory.getFinishedSpanItems())
          .extracting(s -> s.getAttributes().get(SpanAttributes.REQUEST_ID))
          .containsExactly("sampled");
    }
  }

  @Test
  void ratioSamplerZero_nothingExported_ratioOne_everything() {
    for (var c : List.of(Map.entry("0.0", 0), Map.entry("1.0", 5))) {
      InMemorySpanExporter memory = InMemorySpanExporter.create();
      try (Telemetry t =
          withMemory(
              memory,
              Map.of(
                  "otel.traces.sampler", "traceidratio", "otel.traces.sampler.arg", c.getKey()))) {
        for (int i = 0; i < 5; i++) {
          t.spanObserver().begin(Calls.start("r" + i, CallKind.HTTP)).end(Calls.allowedGet());
        }
        assertThat(t.forceFlush(Duration.ofSeconds(30))).isTrue();
        assertThat(memory.getFinishedSpanItems()).as("ratio %s", c.getKey()).hasSize(c.getValue());
      }
    }
  }

  /** Counts the spans in each export call. */
  static final class BatchRecorder implements SpanExporter {
    final List<Integer> batches = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      batches.add(spans.size());
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
  }

  @Test
  void batchSize_honouredAndEverySpanExported() {
    BatchRecorder recorder = new BatchRecorder();
    try (Telemetry t =
        Telemetry.create(
            Map.of(
                "otel.traces.exporter", "otlp",
                "otel.bsp.max.export.batch.size", "3",
                "otel.bsp.max.queue.size", "100"),
            otlp -> {
              otlp.shutdown();
              return recorder;
            })) {
      for (int i = 0; i < 10; i++) {
        t.spanObserver().begin(Calls.start("r" + i, CallKind.HTTP)).end(Calls.allowedGet());
      }
      assertThat(t.forceFlush(Duration.ofSeconds(30))).isTrue();
      assertThat(recorder.batches).allMatch(n -> n >= 1 && n <= 3);
      assertThat(recorder.batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
      assertThat(t.spansExported()).isEqualTo(10);
    }
  }

  @Test
  void sdkTracerSpans_stillExportedThroughTheSameQueue() {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (Telemetry t = withMemory(memory, Map.of())) {
      t.openTelemetry().getTracer("other").spanBuilder("elsewhere").startSpan().end();
      assertThat(t.forceFlush(Duration.ofSeconds(30))).isTrue();
      assertThat(memory.getFinishedSpanItems())
          .extracting(SpanData::getName)
          .containsExactly("elsewhere");
    }
  }

  @Test
  void close_exportsWhatIsQueued() {
    BatchRecorder recorder =
        new BatchRecorder(); // unlike the in-memory one, keeps spans on shutdown
    // a long schedule delay and a large batch: only close() can have exported the span
    Telemetry t =
        Telemetry.create(
            Map.of("otel.traces.exporter", "otlp", "otel.bsp.schedule.delay", "600000"),
            otlp -> {
              otlp.shutdown();
              return recorder;
            });
    t.spanObserver().begin(Calls.start("r", CallKind.HTTP)).end(Calls.allowedGet());
    List<Integer> before = List.copyOf(recorder.batches);
    t.close();
    assertThat(before).isEmpty();
    assertThat(recorder.batches).containsExactly(1);
  }

  @Test
  void otlpHttpToAPlainEndpoint_sentByGatehousesSender_unlessOkHttpIsAsked() {
    Map<String, String> otlp =
        Map.of(
            "otel.traces.exporter", "otlp",
            "otel.exporter.otlp.traces.protocol", "http/protobuf",
            "otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:9/v1/traces");
    Map<String, String> okhttp = new HashMap<>(otlp);
    okhttp.put("gatehouse.otlp.sender", "okhttp");

    try (Telemetry plain = Telemetry.create(otlp, UnaryOperator.identity());
        Telemetry ok = Telemetry.create(okhttp, UnaryOperator.identity())) {
      assertThat(plain.exporters()).singleElement().asString().contains("sender=PlainHttpSender");
      assertThat(ok.exporters())
          .singleElement()
          .asString()
          .contains("sender=")
          .doesNotContain("PlainHttpSender");
    }
  }

  @Test
  void eventAfterEnd_ignored() {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (Telemetry t = withMemory(memory, Map.of())) {
      var h = t.spanObserver().begin(Calls.start("r", CallKind.HTTP));
      h.event("approval_requested", Map.of("gatehouse.approval_id", "ap-1"));
      h.end(Calls.allowedGet());
      h.event("late", Map.of());
      h.end(Calls.allowedGet()); // a second end is ignored too
      assertThat(t.forceFlush(Duration.ofSeconds(30))).isTrue();
      assertThat(memory.getFinishedSpanItems()).hasSize(1);
      assertThat(memory.getFinishedSpanItems().get(0).getEvents())
          .extracting(e -> e.getName())
          .containsExactly("approval_requested");
    }
  }
}
