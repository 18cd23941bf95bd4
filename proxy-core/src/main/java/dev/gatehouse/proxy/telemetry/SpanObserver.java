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
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One SERVER span per call (SPEC §4): started at {@link CallStart#startTime()}, ended at {@link
 * CallEnd#endTime()}, with the §4 attributes. Its parent is the tunnel's span for an intercepted
 * request, else the client's W3C {@code traceparent} when it sent one (so an agent's own trace
 * shows its egress decisions); an intercepted request's own {@code traceparent} becomes a link.
 * Nothing here blocks.
 *
 * <p>Two ways to record: through any {@link OpenTelemetry}'s tracer (SDK spans), or, as {@link
 * Telemetry} sets it up, directly: the call's ids are generated and the sampler consulted when it
 * begins, and at its end the call's records are queued as a {@link CallSpan} for the export thread
 * to turn into span data (issue 5: SDK span creation was ~15% of the event loops' time).
 */
public final class SpanObserver implements CallObserver {
  static final String INSTRUMENTATION = "dev.gatehouse.proxy";
  private static final InstrumentationScopeInfo SCOPE =
      InstrumentationScopeInfo.create(INSTRUMENTATION);
  private static final Sampler DEFAULT_SAMPLER = Sampler.parentBased(Sampler.alwaysOn());

  private final Tracer tracer; // the SDK way, or null
  private final List<SpanExportQueue> queues; // the direct way
  private final Sampler sampler;
  private final boolean defaultSampler;
  private final Resource resource;
  private final IdGenerator ids = IdGenerator.random();

  public SpanObserver(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer(INSTRUMENTATION);
    this.queues = List.of();
    this.sampler = null;
    this.defaultSampler = false;
    this.resource = null;
  }

  private SpanObserver(List<SpanExportQueue> queues, Sampler sampler, Resource resource) {
    this.tracer = null;
    this.queues = List.copyOf(queues);
    this.sampler = sampler;
    this.defaultSampler = sampler.equals(DEFAULT_SAMPLER);
    this.resource = resource;
  }

  /** Spans recorded directly into {@code queues}, sampled by {@code sampler}. */
  static SpanObserver direct(List<SpanExportQueue> queues, Sampler sampler, Resource resource) {
    return new SpanObserver(queues, sampler, resource);
  }

  @Override
  public SpanHandle begin(CallStart start) {
    return tracer != null ? beginSdk(start) : beginDirect(start);
  }

  private SpanHandle beginDirect(CallStart start) {
    SpanContext client = clientContext(start.propagation());
    SpanContext parent = SpanContext.getInvalid();
    List<LinkData> links = List.of();
    if (start.parent().orElse(null) instanceof SpanHandle tunnel) {
      parent = tunnel.spanContext();
      if (client.isValid()) {
        links = List.of(LinkData.create(client));
      }
    } else if (client.isValid()) {
      parent = client;
    }
    String traceId = parent.isValid() ? parent.getTraceId() : ids.generateTraceId();
    String spanId = ids.generateSpanId();
    TraceState state = parent.getTraceState();
    boolean sampled;
    Attributes samplerAttributes = Attributes.empty();
    if (defaultSampler) {
      sampled = !parent.isValid() || parent.isSampled(); // parentbased_always_on, inlined
    } else {
      SamplingResult r =
          sampler.shouldSample(
              parent.isValid() ? Context.root().with(Span.wrap(parent)) : Context.root(),
              traceId,
              start.kind() == CallKind.TUNNEL ? "CONNECT" : "HTTP",
              SpanKind.SERVER,
              Attributes.of(
                  CLIENT_ADDRESS, start.clientAddress(),
                  REQUEST_ID, start.requestId(),
                  KIND, start.kind().wireName()),
              links);
      // RECORD_ONLY spans are never exported (as with the SDK's batch processor): not kept
      sampled = r.getDecision() == SamplingDecision.RECORD_AND_SAMPLE;
      state = r.getUpdatedTraceState(state);
      samplerAttributes = r.getAttributes();
    }
    SpanContext context =
        SpanContext.create(
            traceId, spanId, sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), state);
    return new CallSpan(
        context,
        parent,
        links,
        start,
        samplerAttributes,
        resource,
        SCOPE,
        sampled ? queues : List.of());
  }

  private SpanHandle beginSdk(CallStart start) {
    SpanContext client = clientContext(start.propagation());
    Context parent = Context.root();
    SpanBuilder builder =
        tracer
            .spanBuilder(start.kind() == CallKind.TUNNEL ? "CONNECT" : "HTTP")
            .setSpanKind(SpanKind.SERVER)
            .setStartTimestamp(start.startTime())
            .setAttribute(CLIENT_ADDRESS, start.clientAddress())
            .setAttribute(REQUEST_ID, start.requestId())
            .setAttribute(KIND, start.kind().wireName());
    if (start.parent().orElse(null) instanceof SpanHandle tunnel) {
      parent = parent.with(Span.wrap(tunnel.spanContext()));
      if (client.isValid()) {
        builder.addLink(client);
      }
    } else if (client.isValid()) {
      parent = parent.with(Span.wrap(client));
    }
    return new SdkHandle(builder.setParent(parent).startSpan());
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

  /** Room for the start attributes and every end attribute. */
  static final int MAX_ATTRIBUTES = 22;

  /** The end attributes (SPEC §4) of a finished call. */
  static void putEndAttributes(AttributeSink a, CallEnd end) {
    Decision d = end.decision();
    a.put(HTTP_REQUEST_METHOD, end.method());
    a.put(URL_FULL, UrlRedaction.redact(end.urlFull()));
    a.put(SERVER_ADDRESS, end.host());
    a.put(SERVER_PORT, end.port());
    a.put(HTTP_RESPONSE_STATUS_CODE, end.statusCode());
    a.put(DECISION, d.action().wireName());
    a.put(REASON, d.reason().wireName());
    a.put(RULE_ID, d.ruleId());
    a.put(AGENT, d.agent());
    a.put(TLS, end.tls().wireName());
    a.put(POLICY_VERSION, d.policyVersion());
    a.put(ENFORCED, d.enforced());
    a.put(BYTES_IN, end.bytesIn());
    a.put(BYTES_OUT, end.bytesOut());
    if (end.peerAddress().isPresent()) {
      a.put(NETWORK_PEER_ADDRESS, end.peerAddress().get());
    }
    if (end.approvalId().isPresent()) {
      a.put(APPROVAL_ID, end.approvalId().get());
    }
    if (!"CONNECT".equals(end.method())) {
      a.put(HTTP_REQUEST_BODY_SIZE, end.bytesIn());
      a.put(HTTP_RESPONSE_BODY_SIZE, end.bytesOut());
    }
    if (isError(end)) {
      a.put(
          ERROR_TYPE,
          d.reason() == Reason.UPSTREAM_ERROR
              ? Reason.UPSTREAM_ERROR.wireName()
              : Integer.toString(end.statusCode()));
    }
  }

  /** A policy block is the proxy working, not an error; a failed upstream or a 5xx is one. */
  static boolean isError(CallEnd end) {
    return end.decision().reason() == Reason.UPSTREAM_ERROR || end.statusCode() >= 500;
  }

  /** The span of one call; the telemetry package reads its ids for the audit record. */
  public interface SpanHandle extends CallHandle {
    SpanContext spanContext();

    /** Hex trace id, or null when the span is not recorded anywhere (no valid context). */
    String traceId();

    String spanId();
  }

  private static final class SdkHandle implements SpanHandle {
    private final Span span;

    SdkHandle(Span span) {
      this.span = span;
    }

    @Override
    public SpanContext spanContext() {
      return span.getSpanContext();
    }

    @Override
    public String traceId() {
      SpanContext c = span.getSpanContext();
      return c.isValid() ? c.getTraceId() : null;
    }

    @Override
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
      span.updateName(end.method());
      // one call into the span (one lock) rather than one per attribute
      CallAttributes a = new CallAttributes(MAX_ATTRIBUTES);
      putEndAttributes(a, end);
      if (isError(end)) {
        span.setStatus(StatusCode.ERROR, end.decision().reason().wireName());
      }
      span.setAllAttributes(a);
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
