package dev.gatehouse.proxy.audit;

import dev.gatehouse.proxy.observe.CallEnd;
import dev.gatehouse.proxy.observe.CallHandle;
import dev.gatehouse.proxy.observe.CallObserver;
import dev.gatehouse.proxy.observe.CallStart;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns calls into audit records: one {@code decision} line per call when it ends, and one line per
 * {@link #record} (reloads, mode switches, approvals). Cheap on the event loop: it captures the
 * call's immutable values and hands them to the {@link AuditSink}; serialisation and I/O happen on
 * the sink's writer thread.
 */
public final class AuditObserver implements CallObserver {
  private final AuditSink sink;
  private final Clock clock;

  public AuditObserver(AuditSink sink, Clock clock) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public AuditSink sink() {
    return sink;
  }

  @Override
  public CallHandle begin(CallStart start) {
    return begin(start, null, null);
  }

  /**
   * Begins a call whose span ids are known (the telemetry package passes them so an audit line can
   * be joined with its span); {@code null} when there is no span.
   */
  public CallHandle begin(CallStart start, String traceId, String spanId) {
    String parentId =
        start
            .parent()
            .filter(Handle.class::isInstance)
            .map(h -> ((Handle) h).requestId())
            .orElse(null);
    return new Handle(start, traceId, spanId, parentId);
  }

  @Override
  public void record(String type, Map<String, Object> fields) {
    sink.write(new EventRecord(clock.instant(), type, fields));
  }

  private final class Handle extends AtomicBoolean implements CallHandle {
    private final CallStart start;
    private final String traceId;
    private final String spanId;
    private final String parentRequestId;

    Handle(CallStart start, String traceId, String spanId, String parentRequestId) {
      this.start = start;
      this.traceId = traceId;
      this.spanId = spanId;
      this.parentRequestId = parentRequestId;
    }

    String requestId() {
      return start.requestId();
    }

    @Override
    public void event(String name, Map<String, String> attributes) {
      // approvals are audited as their own records through CallObserver.record
    }

    @Override
    public void end(CallEnd end) {
      if (compareAndSet(false, true)) { // one line per call even if end() were called twice
        sink.write(new DecisionRecord(start, end, traceId, spanId, parentRequestId));
      }
    }
  }
}
