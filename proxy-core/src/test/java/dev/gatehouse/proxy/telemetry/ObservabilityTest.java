package dev.gatehouse.proxy.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.model.ServerConfig;
import dev.gatehouse.proxy.metrics.MetricsRegistry;
import dev.gatehouse.proxy.observe.CallHandle;
import dev.gatehouse.proxy.observe.CallKind;
import dev.gatehouse.proxy.observe.CallObserver;
import dev.gatehouse.proxy.observe.Calls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObservabilityTest {
  @TempDir Path dir;

  private Observability start(Optional<Path> file) throws IOException {
    return Observability.start(
        new ServerConfig.Audit(file, 1L << 20, 1),
        Clock.systemUTC(),
        Telemetry.create(Map.of("otel.traces.exporter", "none"), e -> e));
  }

  @Test
  void metrics_registeredAndCounting() throws IOException {
    Path audit = dir.resolve("audit.jsonl");
    MetricsRegistry registry = new MetricsRegistry();
    try (Observability o = start(Optional.of(audit))) {
      o.registerMetrics(registry);
      CallObserver server = CallObserver.composite(List.of(CallObserver.NOOP, o));
      CallHandle tunnel = server.begin(Calls.start("t", CallKind.TUNNEL));
      server.begin(Calls.child("i", tunnel)).end(Calls.allowedGet());
      tunnel.end(Calls.allowedGet());
      server.record("approval_requested", Map.of("approval_id", "a1"));
      server.record("approval_answered", Map.of("approval_id", "a1", "outcome", "approved"));
      server.record("approval_answered", Map.of("approval_id", "a2", "outcome", "TIMEOUT"));
      server.record("mode_switch", Map.of("from", "enforce", "to", "report"));
      o.auditSink().close();
      String scrape = registry.scrape();
      assertThat(scrape)
          .contains("gatehouse_audit_records_written_total 6\n")
          .contains("gatehouse_audit_records_lost_total 0\n")
          .contains("gatehouse_spans_exported_total 0\n")
          .contains("gatehouse_spans_dropped_total 0\n")
          .contains("gatehouse_approvals_total{outcome=\"requested\"} 1\n")
          .contains("gatehouse_approvals_total{outcome=\"approved\"} 1\n")
          .contains("gatehouse_approvals_total{outcome=\"timeout\"} 1\n")
          .contains("gatehouse_mode_switches_total 1\n")
          .contains("gatehouse_request_duration_seconds_count{kind=\"tunnel\"} 1\n")
          .contains("gatehouse_request_duration_seconds_count{kind=\"intercepted\"} 1\n")
          .contains("gatehouse_request_duration_seconds_bucket{kind=\"tunnel\",le=\"0.01\"} 0\n")
          .contains("gatehouse_request_duration_seconds_bucket{kind=\"tunnel\",le=\"0.025\"} 1\n")
          .contains("jvm_memory_heap_used_bytes ")
          .contains("jvm_threads_live ")
          .contains("jvm_gc_collections_total ")
          .contains("process_uptime_seconds ");
      // the intercepted call found its tunnel through the composite and the timing wrapper
      assertThat(Files.readAllLines(audit))
          .anySatisfy(
              l -> assertThat(l).contains("\"request_id\":\"i\",\"parent_request_id\":\"t\""));
    }
  }

  @Test
  void noAuditFile_recordsCountedLost() throws IOException {
    MetricsRegistry registry = new MetricsRegistry();
    try (Observability o = start(Optional.empty())) {
      o.registerMetrics(registry);
      assertThat(o.auditEnabled()).isFalse();
      o.begin(Calls.start("r", CallKind.HTTP)).end(Calls.allowedGet());
      assertThat(registry.scrape()).contains("gatehouse_audit_records_lost_total 1\n");
    }
  }
}
