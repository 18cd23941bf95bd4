package dev.gatehouse.proxy.telemetry;

import static dev.gatehouse.proxy.telemetry.SpanAttributes.*;

import dev.gatehouse.proxy.observe.CallEnd;
import dev.gatehouse.proxy.observe.CallStart;
import dev.gatehouse.proxy.observe.ReadAhead;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One call's span, recorded without the SDK's span machinery: the event loop keeps the {@link
 * CallStart} and {@link CallEnd} it was given (ids were generated when the call began, so children
 * and the audit line can name them) and queues this object; the export thread reads it as {@link
 * SpanData}, building the attributes there. The exported span is the one the SDK path in {@link
 * SpanObserver} makes: same name, kind, times, parent, links, events, status and attributes.
 */
final class CallSpan implements SpanData, SpanObserver.SpanHandle {
  private final SpanContext context;
  private final SpanContext parent;
  private final List<LinkData> links;
  private final CallStart start;
  private final Attributes samplerAttributes;
  private final Resource resource;
  private final InstrumentationScopeInfo scope;
  private final List<SpanExportQueue> queues; // empty when the span is not sampled
  private List<EventData> events; // guarded by this until ended, then frozen
  private boolean ended; // guarded by this
  private CallEnd end; // written before the span is queued: the queue publishes it
  private volatile Attributes attributes; // built on the export thread

  CallSpan(
      SpanContext context,
      SpanContext parent,
      List<LinkData> links,
      CallStart start,
      Attributes samplerAttributes,
      Resource resource,
      InstrumentationScopeInfo scope,
      List<SpanExportQueue> queues) {
    this.context = context;
    this.parent = parent;
    this.links = links;
    this.start = start;
    this.samplerAttributes = samplerAttributes;
    this.resource = resource;
    this.scope = scope;
    this.queues = queues;
  }

  // ---- the handle, on the event loop

  @Override
  public SpanContext spanContext() {
    return context;
  }

  @Override
  public String traceId() {
    return context.getTraceId();
  }

  @Override
  public String spanId() {
    return context.getSpanId();
  }

  @Override
  public void event(String name, Map<String, String> attributes) {
    if (queues.isEmpty()) {
      return;
    }
    AttributesBuilder b = Attributes.builder();
    attributes.forEach(b::put);
    EventData e = EventData.create(Clock.getDefault().now(), name, b.build());
    synchronized (this) {
      if (ended) {
        return;
      }
      if (events == null) {
        events = new ArrayList<>(2);
      }
      events.add(e);
    }
  }

  @Override
  public void end(CallEnd callEnd) {
    if (queues.isEmpty()) {
      return;
    }
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      end = callEnd;
      events = events == null ? List.of() : List.copyOf(events);
    }
    for (int i = 0; i < queues.size(); i++) {
      queues.get(i).offer(this);
    }
  }

  // ---- the span data, on the export thread

  @Override
  public String getName() {
    return end.method();
  }

  @Override
  public SpanKind getKind() {
    return SpanKind.SERVER;
  }

  @Override
  public SpanContext getSpanContext() {
    return context;
  }

  @Override
  public SpanContext getParentSpanContext() {
    return parent;
  }

  @Override
  public StatusData getStatus() {
    return SpanObserver.isError(end)
        ? StatusData.create(StatusCode.ERROR, end.decision().reason().wireName())
        : StatusData.unset();
  }

  @Override
  public long getStartEpochNanos() {
    return nanos(start.startTime());
  }

  @Override
  public long getEndEpochNanos() {
    return nanos(end.endTime());
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  @Override
  public Attributes getAttributes() {
    Attributes a = attributes;
    if (a == null) {
      CallAttributes c = new CallAttributes(SpanObserver.MAX_ATTRIBUTES);
      putAttributes(c);
      // a sampler's own attributes (rare) may repeat a key: then the builder's de-duplication
      a = samplerAttributes.isEmpty() ? c : c.toBuilder().putAll(samplerAttributes).build();
      attributes = a; // a racing second export thread builds an equal value: harmless
    }
    return a;
  }

  /** Reads the call's values and sums their sizes, for the encoder's {@link ReadAhead}. */
  int touch() {
    return context.getTraceId().length()
        + context.getSpanId().length()
        + start.touch()
        + end.touch();
  }

  /** The call's own attributes, in span order (the sampler's, if any, are not among them). */
  void putAttributes(AttributeSink a) {
    a.put(CLIENT_ADDRESS, start.clientAddress());
    a.put(REQUEST_ID, start.requestId());
    a.put(KIND, start.kind().wireName());
    SpanObserver.putEndAttributes(a, end);
  }

  /** Attributes the sampler added; usually empty. */
  Attributes samplerAttributes() {
    return samplerAttributes;
  }

  @Override
  public List<EventData> getEvents() {
    return events; // frozen before the span was queued
  }

  @Override
  public List<LinkData> getLinks() {
    return links;
  }

  @Override
  public boolean hasEnded() {
    return true;
  }

  @Override
  public int getTotalRecordedEvents() {
    return events.size();
  }

  @Override
  public int getTotalRecordedLinks() {
    return links.size();
  }

  @Override
  public int getTotalAttributeCount() {
    return getAttributes().size();
  }

  @Override
  @SuppressWarnings("deprecation") // still abstract in SpanData
  public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
    return InstrumentationLibraryInfo.create(scope.getName(), scope.getVersion());
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return scope;
  }

  @Override
  public Resource getResource() {
    return resource;
  }

  @Override
  public String toString() {
    return "CallSpan{" + context + ", request_id=" + start.requestId() + "}";
  }
}
