package dev.gatehouse.proxy.telemetry;

import static dev.gatehouse.proxy.telemetry.SpanAttributes.*;

import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.audit.UrlRedaction;
import dev.gatehouse.proxy.observe.CallEnd;
import dev.gatehouse.proxy.observe.CallHandle;
import dev.gatehouse.proxy.observe.CallKind;
import dev.gatehouse.proxy.observe.CallObserver;
import dev.gatehouse.proxy.observe.CallStart;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Locale;
import java.util.Map;

/**
 * One SERVER span per call (SPEC §4): started at {@link CallStart#startTime()}, ended at {@link
 * CallEnd#endTime()}, with the §4 attributes. Its parent is the tunnel's span for an intercepted
 * request, else the client's W3C {@code traceparent} when it sent one (so an agent's own trace
 * shows its egress decisions); an intercepted request's own {@code traceparent} becomes a link.
 * Span export is the SDK's batch processor: nothing here blocks.
 */
public final class SpanObserver implements CallObserver {
  static final String INSTRUMENTATION = "dev.gatehouse.proxy";

  private final Tracer tracer;

  public SpanObserver(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer(INSTRUMENTATION);
  }

  @Override
  public SpanHandle begin(CallStart start) {
    SpanContext client = clientContext(start.propagation());
    Context parent = Context.root();
    SpanBuilder builder =
        tracer
            .spanBuilder(start.kind() == CallKind.TUNNEL ? "CONNECT" : "HTTP")
            .setSpanKind(SpanKind.SERVER)
            .setStartTimestamp(start.startTime())
            .setAttribute(CLIENT_ADDRESS, start.clientAddress())
            .setAttribute(REQUEST_ID, start.requestId())
            .setAttribute(KIND, start.kind().name().toLowerCase(Locale.ROOT));
    if (start.parent().orElse(null) instanceof SpanHandle tunnel) {
      parent = parent.with(tunnel.span());
      if (client.isValid()) {
        builder.addLink(client);
      }
    } else if (client.isValid()) {
      parent = parent.with(Span.wrap(client));
    }
    return new SpanHandle(builder.setParent(parent).startSpan());
  }

  private static SpanContext clientContext(Map<String, String> propagation) {
    if (propagation.isEmpty()) {
      return SpanContext.getInvalid();
    }
    Context extracted =
        W3CTraceContextPropagator.getInstance()
            .extract(Context.root(), propagation, MapGetter.INSTANCE);
    return Span.fromContext(extracted).getSpanContext();
  }

  /** The span of one call; the telemetry package reads its ids for the audit record. */
  public static final class SpanHandle implements CallHandle {
    private final Span span;

    SpanHandle(Span span) {
      this.span = span;
    }

    Span span() {
      return span;
    }

    /** Hex trace id, or null when the span is not recorded anywhere (no valid context). */
    public String traceId() {
      SpanContext c = span.getSpanContext();
      return c.isValid() ? c.getTraceId() : null;
    }

    public String spanId() {
      SpanContext c = span.getSpanContext();
      return c.isValid() ? c.getSpanId() : null;
    }

    @Override
    public void event(String name, Map<String, String> attributes) {
      AttributesBuilder b = Attributes.builder();
      attributes.forEach(b::put);
      span.addEvent(name, b.build());
    }

    @Override
    public void end(CallEnd end) {
      if (!span.isRecording()) {
        span.end(end.endTime()); // no-op for unsampled spans, but keeps the contract simple
        return;
      }
      Decision d = end.decision();
      span.updateName(end.method());
      // one call into the span (one lock) rather than one per attribute: this runs on the loop
      AttributesBuilder a =
          Attributes.builder()
              .put(HTTP_REQUEST_METHOD, end.method())
              .put(URL_FULL, UrlRedaction.redact(end.urlFull()))
              .put(SERVER_ADDRESS, end.host())
              .put(SERVER_PORT, (long) end.port())
              .put(HTTP_RESPONSE_STATUS_CODE, (long) end.statusCode())
              .put(DECISION, d.action().wireName())
              .put(REASON, d.reason().wireName())
              .put(RULE_ID, d.ruleId())
              .put(AGENT, d.agent())
              .put(TLS, end.tls().wireName())
              .put(POLICY_VERSION, d.policyVersion())
              .put(ENFORCED, d.enforced())
              .put(BYTES_IN, end.bytesIn())
              .put(BYTES_OUT, end.bytesOut());
      end.peerAddress().ifPresent(p -> a.put(NETWORK_PEER_ADDRESS, p));
      end.approvalId().ifPresent(id -> a.put(APPROVAL_ID, id));
      if (!"CONNECT".equals(end.method())) {
        a.put(HTTP_REQUEST_BODY_SIZE, end.bytesIn());
        a.put(HTTP_RESPONSE_BODY_SIZE, end.bytesOut());
      }
      // a policy block is the proxy working, not an error; a failed upstream or a 5xx is one
      if (d.reason() == Reason.UPSTREAM_ERROR || end.statusCode() >= 500) {
        a.put(
            ERROR_TYPE,
            d.reason() == Reason.UPSTREAM_ERROR
                ? Reason.UPSTREAM_ERROR.wireName()
                : Integer.toString(end.statusCode()));
        span.setStatus(StatusCode.ERROR, d.reason().wireName());
      }
      span.setAllAttributes(a.build());
      span.end(end.endTime());
    }
  }

  private enum MapGetter implements TextMapGetter<Map<String, String>> {
    INSTANCE;

    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key.toLowerCase(Locale.ROOT));
    }
  }
}
