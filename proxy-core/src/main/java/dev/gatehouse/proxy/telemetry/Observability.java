package dev.gatehouse.proxy.telemetry;

import dev.gatehouse.config.model.ServerConfig;
import dev.gatehouse.proxy.audit.AuditFileOptions;
import dev.gatehouse.proxy.audit.AuditObserver;
import dev.gatehouse.proxy.audit.AuditSink;
import dev.gatehouse.proxy.metrics.MetricsRegistry;
import dev.gatehouse.proxy.metrics.MetricsSource;
import dev.gatehouse.proxy.observe.CallEnd;
import dev.gatehouse.proxy.observe.CallHandle;
import dev.gatehouse.proxy.observe.CallObserver;
import dev.gatehouse.proxy.observe.CallStart;
import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the server records about calls, as one observer for {@link
 * dev.gatehouse.proxy.ProxySettings#observer()}: spans (from the {@code OTEL_*} environment), the
 * audit log (from {@code audit:} in the server config) and their metrics. Closing it drains the
 * audit queue (flush and fsync) and flushes queued spans; the server closes it after draining
 * in-flight calls.
 */
public final class Observability implements CallObserver, MetricsSource, AutoCloseable {
  private static final double[] DURATION_BUCKETS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300
  };
  private static final Set<String> OUTCOMES = Set.of("approved", "denied", "timeout");

  private final Telemetry telemetry;
  private final AuditSink sink;
  private final boolean auditEnabled;
  private final CallObserver delegate;
  private volatile MetricsRegistry.Histogram durations;
  private volatile MetricsRegistry.Counter approvals;
  private volatile MetricsRegistry.Counter modeSwitches;

  private Observability(Telemetry telemetry, AuditSink sink, boolean auditEnabled, Clock clock) {
    this.telemetry = telemetry;
    this.sink = sink;
    this.auditEnabled = auditEnabled;
    this.delegate = TelemetryObserver.of(telemetry, new AuditObserver(sink, clock));
  }

  /**
   * Opens the audit file named by {@code audit} (records are discarded, and counted as lost, when
   * it names none) and uses {@code telemetry} for spans.
   */
  public static Observability start(ServerConfig.Audit audit, Clock clock, Telemetry telemetry)
      throws IOException {
    Objects.requireNonNull(telemetry, "telemetry");
    if (audit.file().isEmpty()) {
      return new Observability(telemetry, AuditSink.discarding(), false, clock);
    }
    AuditSink sink =
        AuditSink.file(AuditFileOptions.of(audit.file().get(), audit.maxSizeBytes(), audit.keep()));
    return new Observability(telemetry, sink, true, clock);
  }

  public boolean auditEnabled() {
    return auditEnabled;
  }

  public boolean tracesEnabled() {
    return telemetry.tracesEnabled();
  }

  public AuditSink auditSink() {
    return sink;
  }

  public Telemetry telemetry() {
    return telemetry;
  }

  @Override
  public void registerMetrics(MetricsRegistry r) {
    r.counter(
        "gatehouse_audit_records_written_total",
        "Audit records written to the file.",
        sink::written);
    r.counter(
        "gatehouse_audit_records_lost_total",
        "Audit records that could not be kept (queue full past the wait bound, write errors, no"
            + " audit file configured).",
        sink::lost);
    r.counter(
        "gatehouse_spans_exported_total",
        "Spans accepted by the exporter.",
        telemetry::spansExported);
    r.counter(
        "gatehouse_spans_export_failed_total",
        "Spans whose export failed.",
        telemetry::spansExportFailed);
    r.counter(
        "gatehouse_spans_dropped_total",
        "Spans dropped before export (the batch processor's queue was full).",
        telemetry::spansDropped);
    approvals =
        r.counter(
            "gatehouse_approvals_total",
            "Approvals requested and answered, by outcome (requested, approved, denied, timeout).",
            "outcome");
    modeSwitches =
        r.counter(
            "gatehouse_mode_switches_total", "Live switches of defaults.mode (enforce/report).");
    durations =
        r.histogram(
            "gatehouse_request_duration_seconds",
            "From accepting a request or tunnel to its end (a tunnel's whole life), by kind.",
            DURATION_BUCKETS,
            "kind");
    RuntimeMetrics.register(r);
  }

  @Override
  public CallHandle begin(CallStart start) {
    if (start.parent().orElse(null) instanceof TimedHandle tunnel) {
      start =
          new CallStart(
              start.requestId(),
              start.startTime(),
              start.kind(),
              java.util.Optional.of(tunnel.inner),
              start.propagation(),
              start.clientAddress());
    }
    CallHandle inner = delegate.begin(start);
    MetricsRegistry.Histogram h = durations;
    if (h == null) {
      return inner;
    }
    MetricsRegistry.HistogramChild child = h.labels(start.kind().wireName());
    return new TimedHandle(inner, start, child);
  }

  @Override
  public void record(String type, Map<String, Object> fields) {
    delegate.record(type, fields);
    MetricsRegistry.Counter a = approvals;
    if (a != null && type.startsWith("approval")) {
      Object outcome = fields.get("outcome");
      if ("approval_requested".equals(type)) {
        a.labels("requested").inc();
      } else if (outcome != null) {
        String o = outcome.toString().toLowerCase(Locale.ROOT);
        a.labels(OUTCOMES.contains(o) ? o : "other").inc();
      }
    }
    MetricsRegistry.Counter m = modeSwitches;
    if (m != null && "mode_switch".equals(type)) {
      m.inc();
    }
  }

  /** Drains and fsyncs the audit log, then flushes and stops span export. */
  @Override
  public void close() {
    try {
      sink.close();
    } finally {
      telemetry.close();
    }
  }

  /** Unwraps to the inner handle for intercepted calls' parents, and times the call. */
  private final class TimedHandle implements CallHandle {
    private final CallHandle inner;
    private final CallStart start;
    private final MetricsRegistry.HistogramChild histogram;

    TimedHandle(CallHandle inner, CallStart start, MetricsRegistry.HistogramChild histogram) {
      this.inner = inner;
      this.start = start;
      this.histogram = histogram;
    }

    @Override
    public void event(String name, Map<String, String> attributes) {
      inner.event(name, attributes);
    }

    @Override
    public void end(CallEnd end) {
      inner.end(end);
      long nanos = java.time.Duration.between(start.startTime(), end.endTime()).toNanos();
      histogram.observe(Math.max(0, nanos) / 1e9);
    }
  }
}
