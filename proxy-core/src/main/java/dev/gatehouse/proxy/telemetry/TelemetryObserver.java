package dev.gatehouse.proxy.telemetry;

import dev.gatehouse.proxy.audit.AuditObserver;
import dev.gatehouse.proxy.observe.CallEnd;
import dev.gatehouse.proxy.observe.CallHandle;
import dev.gatehouse.proxy.observe.CallObserver;
import dev.gatehouse.proxy.observe.CallStart;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Spans and audit records for every call, joined: each audit line carries its span's {@code
 * trace_id} and {@code span_id}, so an auditor can go from a line to the trace and back. Without
 * spans (no exporter configured) it is just the audit observer.
 */
public final class TelemetryObserver implements CallObserver {
  private final SpanObserver spans;
  private final AuditObserver audit;

  public TelemetryObserver(SpanObserver spans, AuditObserver audit) {
    this.spans = Objects.requireNonNull(spans, "spans");
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  /** Spans only when {@code telemetry} exports them; audit always. */
  public static CallObserver of(Telemetry telemetry, AuditObserver audit) {
    return telemetry.tracesEnabled()
        ? new TelemetryObserver(telemetry.spanObserver(), audit)
        : audit;
  }

  @Override
  public CallHandle begin(CallStart start) {
    CallStart spanStart = start;
    CallStart auditStart = start;
    if (start.parent().orElse(null) instanceof Handle tunnel) {
      spanStart = withParent(start, tunnel.span);
      auditStart = withParent(start, tunnel.audit);
    }
    SpanObserver.SpanHandle span = spans.begin(spanStart);
    CallHandle record = audit.begin(auditStart, span.traceId(), span.spanId());
    return new Handle(span, record);
  }

  private static CallStart withParent(CallStart s, CallHandle parent) {
    return new CallStart(
        s.requestId(),
        s.startTime(),
        s.kind(),
        Optional.of(parent),
        s.propagation(),
        s.clientAddress());
  }

  @Override
  public void record(String type, Map<String, Object> fields) {
    audit.record(type, fields);
  }

  private static final class Handle implements CallHandle {
    private final SpanObserver.SpanHandle span;
    private final CallHandle audit;

    Handle(SpanObserver.SpanHandle span, CallHandle audit) {
      this.span = span;
      this.audit = audit;
    }

    @Override
    public void event(String name, Map<String, String> attributes) {
      span.event(name, attributes);
      audit.event(name, attributes);
    }

    @Override
    public void end(CallEnd end) {
      // audit first: a record must not wait for, or be lost with, a span
      try {
        audit.end(end);
      } finally {
        span.end(end);
      }
    }
  }
}
