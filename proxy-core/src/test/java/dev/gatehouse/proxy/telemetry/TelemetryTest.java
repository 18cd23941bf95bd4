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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
}
