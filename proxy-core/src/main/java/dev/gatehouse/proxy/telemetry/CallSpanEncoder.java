package dev.gatehouse.proxy.telemetry;

import static dev.gatehouse.proxy.telemetry.OtlpTraceFields.*;
import static dev.gatehouse.proxy.telemetry.ProtoWriter.FIXED32;
import static dev.gatehouse.proxy.telemetry.ProtoWriter.FIXED64;
import static dev.gatehouse.proxy.telemetry.ProtoWriter.LEN;
import static dev.gatehouse.proxy.telemetry.ProtoWriter.VARINT;

import dev.gatehouse.proxy.observe.ReadAhead;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes {@link CallSpan}s as one OTLP {@code ExportTraceServiceRequest} (opentelemetry-proto
 * {@code collector/trace/v1}), straight from the call's records into bytes. The SDK's generic
 * marshaller sizes every span, attribute and string in a first pass and writes them in a second,
 * decoding hex ids and looking up each key's bytes on the way; on the plain-HTTP keep-alive bench
 * that was ~4.5 µs of CPU per span on a 2-core box where every µs comes out of the proxy's
 * throughput (issue 5, BENCHMARKS.md). Here a span is written in one pass: the call attributes from
 * the same list the SDK path uses ({@link CallSpan#putAttributes}), keys pre-encoded once, strings
 * encoded by the JDK in bulk, ids decoded by table, and an attribute whose value is the same as in
 * the previous span copied whole.
 *
 * <p>The output decodes to the same message the SDK's marshaller produces for the same spans (same
 * fields, same attribute order, same flags): {@code CallSpanEncoderIT} compares the two. A value of
 * an attribute type this encoder does not know is an {@link IllegalArgumentException}; the exporter
 * then hands the batch to the SDK. Not thread-safe: one per export thread.
 */
final class CallSpanEncoder implements AttributeSink {
  private static final int MAX_CACHED_KEYS = 1024;

  private ProtoWriter out; // the request being written
  private final ReadAhead<CallSpan> readAhead = new ReadAhead<>(CallSpan::touch);
  // by key, its encoding (call attribute keys are constants, so identity finds them)
  private final Map<AttributeKey<?>, Slot> slots = new IdentityHashMap<>();

  /**
   * Writes the request carrying {@code spans}, grouped by resource and scope as the SDK groups
   * them, into {@code into} (reset first).
   */
  void encode(List<CallSpan> spans, ProtoWriter into) {
    out = into;
    out.reset();
    List<List<CallSpan>> byResource = group(spans, true);
    for (List<CallSpan> sameResource : byResource) {
      Resource resource = sameResource.get(0).getResource();
      int resourceSpans = out.begin(REQUEST_RESOURCE_SPANS);
      resource(resource);
      for (List<CallSpan> sameScope : group(sameResource, false)) {
        InstrumentationScopeInfo scope = sameScope.get(0).getInstrumentationScopeInfo();
        int scopeSpans = out.begin(RESOURCE_SPANS_SCOPE_SPANS);
        scope(scope);
        for (int i = 0, n = sameScope.size(); i < n; i++) {
          readAhead.before(sameScope, i);
          span(sameScope.get(i));
        }
        stringIfSet(SCOPE_SPANS_SCHEMA_URL, scope.getSchemaUrl());
        out.end(scopeSpans);
      }
      stringIfSet(RESOURCE_SPANS_SCHEMA_URL, resource.getSchemaUrl());
      out.end(resourceSpans);
    }
    out = null;
  }

  /** Spans in groups of equal resource (or scope), groups and spans in first-seen order. */
  private static List<List<CallSpan>> group(List<CallSpan> spans, boolean byResource) {
    List<List<CallSpan>> groups = new ArrayList<>(1);
    for (CallSpan span : spans) {
      Object key = byResource ? span.getResource() : span.getInstrumentationScopeInfo();
      List<CallSpan> group = null;
      for (List<CallSpan> g : groups) {
        CallSpan first = g.get(0);
        Object k = byResource ? first.getResource() : first.getInstrumentationScopeInfo();
        if (k == key || k.equals(key)) {
          group = g;
          break;
        }
      }
      if (group == null) {
        group = new ArrayList<>(spans.size());
        groups.add(group);
      }
      group.add(span);
    }
    return groups;
  }

  private void resource(Resource resource) {
    int m = out.begin(RESOURCE_SPANS_RESOURCE);
    attributes(RESOURCE_ATTRIBUTES, resource.getAttributes());
    out.end(m);
  }

  private void scope(InstrumentationScopeInfo scope) {
    int m = out.begin(SCOPE_SPANS_SCOPE);
    stringIfSet(SCOPE_NAME, scope.getName());
    stringIfSet(SCOPE_VERSION, scope.getVersion());
    attributes(SCOPE_ATTRIBUTES, scope.getAttributes());
    out.end(m);
  }

  private void span(CallSpan span) {
    int m = out.begin(SCOPE_SPANS_SPANS);
    SpanContext context = span.getSpanContext();
    out.hexBytes(SPAN_TRACE_ID, context.getTraceId());
    out.hexBytes(SPAN_SPAN_ID, context.getSpanId());
    traceState(SPAN_TRACE_STATE, context.getTraceState());
    SpanContext parent = span.getParentSpanContext();
    if (parent.isValid()) {
      out.hexBytes(SPAN_PARENT_SPAN_ID, parent.getSpanId());
    }
    out.string(SPAN_NAME, span.getName());
    out.tag(SPAN_KIND, VARINT);
    out.varint(SPAN_KIND_SERVER);
    out.tag(SPAN_START, FIXED64);
    out.fixed64(span.getStartEpochNanos());
    out.tag(SPAN_END, FIXED64);
    out.fixed64(span.getEndEpochNanos());
    if (span.samplerAttributes().isEmpty()) {
      span.putAttributes(this);
    } else {
      attributes(SPAN_ATTRIBUTES, span.getAttributes()); // merged, de-duplicated
    }
    // no dropped attributes: a call span has a fixed set of them
    List<EventData> events = span.getEvents();
    for (int i = 0; i < events.size(); i++) {
      event(events.get(i));
    }
    varintIfSet(SPAN_DROPPED_EVENTS, span.getTotalRecordedEvents() - events.size());
    List<LinkData> links = span.getLinks();
    for (int i = 0; i < links.size(); i++) {
      link(links.get(i));
    }
    varintIfSet(SPAN_DROPPED_LINKS, span.getTotalRecordedLinks() - links.size());
    status(span.getStatus());
    out.tag(SPAN_FLAGS, FIXED32);
    out.fixed32(flags(context, parent.isRemote()));
    out.end(m);
  }

  private void event(EventData event) {
    int m = out.begin(SPAN_EVENTS);
    out.tag(EVENT_TIME, FIXED64);
    out.fixed64(event.getEpochNanos());
    out.string(EVENT_NAME, event.getName());
    attributes(EVENT_ATTRIBUTES, event.getAttributes());
    varintIfSet(
        EVENT_DROPPED_ATTRIBUTES, event.getTotalAttributeCount() - event.getAttributes().size());
    out.end(m);
  }

  private void link(LinkData link) {
    SpanContext context = link.getSpanContext();
    int m = out.begin(SPAN_LINKS);
    out.hexBytes(LINK_TRACE_ID, context.getTraceId());
    out.hexBytes(LINK_SPAN_ID, context.getSpanId());
    traceState(LINK_TRACE_STATE, context.getTraceState());
    attributes(LINK_ATTRIBUTES, link.getAttributes());
    varintIfSet(
        LINK_DROPPED_ATTRIBUTES, link.getTotalAttributeCount() - link.getAttributes().size());
    out.tag(LINK_FLAGS, FIXED32);
    out.fixed32(flags(context, context.isRemote()));
    out.end(m);
  }

  private void status(StatusData status) {
    int m = out.begin(SPAN_STATUS);
    stringIfSet(STATUS_MESSAGE, status.getDescription());
    varintIfSet(
        STATUS_CODE,
        switch (status.getStatusCode()) {
          case UNSET -> 0;
          case OK -> 1;
          case ERROR -> 2;
        });
    out.end(m);
  }

  /** OTLP span flags: the W3C trace flags plus whether the parent (or link) is remote. */
  private static int flags(SpanContext context, boolean remote) {
    return (context.getTraceFlags().asByte() & 0xFF)
        | CONTEXT_HAS_IS_REMOTE
        | (remote ? CONTEXT_IS_REMOTE : 0);
  }

  /** The W3C {@code tracestate} header value, as the SDK writes it. */
  private void traceState(int field, TraceState state) {
    if (state.isEmpty()) {
      return;
    }
    StringBuilder s = new StringBuilder();
    state.forEach(
        (k, v) -> {
          if (s.length() > 0) {
            s.append(',');
          }
          s.append(k).append('=').append(v);
        });
    out.string(field, s.toString());
  }

  private void stringIfSet(int field, String value) {
    if (value != null && !value.isEmpty()) {
      out.string(field, value);
    }
  }

  private void varintIfSet(int field, int value) {
    if (value != 0) {
      out.tag(field, VARINT);
      out.varint(value);
    }
  }

  // ---- span attributes, straight from the call (AttributeSink)

  @Override
  public void put(AttributeKey<String> key, String value) {
    if (value == null) {
      return;
    }
    Slot slot = slot(key);
    if (slot.repeats(value)) {
      return;
    }
    int start = out.size();
    byte[] v = ProtoWriter.utf8(value);
    keyValueHead(SPAN_ATTRIBUTES, slot.key, 1 + ProtoWriter.varintSize(v.length) + v.length);
    out.tag(ANY_STRING, LEN);
    out.bytes(v);
    slot.written(value, start);
  }

  @Override
  public void put(AttributeKey<Long> key, long value) {
    Slot slot = slot(key);
    if (slot.repeats(value)) {
      return;
    }
    int start = out.size();
    keyValueHead(SPAN_ATTRIBUTES, slot.key, 1 + ProtoWriter.varintSize(value));
    out.tag(ANY_INT, VARINT);
    out.varint(value);
    slot.written(value, start);
  }

  @Override
  public void put(AttributeKey<Boolean> key, boolean value) {
    Slot slot = slot(key);
    long bit = value ? 1 : 0;
    if (slot.repeats(bit)) {
      return;
    }
    int start = out.size();
    keyValueHead(SPAN_ATTRIBUTES, slot.key, 2);
    out.tag(ANY_BOOL, VARINT);
    out.varint(bit);
    slot.written(bit, start);
  }

  /** The KeyValue tag and length, its key, and the tag and length of an AnyValue of {@code any}. */
  private void keyValueHead(int field, byte[] key, int any) {
    out.tag(field, LEN);
    out.varint(key.length + 1 + ProtoWriter.varintSize(any) + any);
    out.raw(key);
    out.tag(KEY_VALUE_VALUE, LEN);
    out.varint(any);
  }

  private Slot slot(AttributeKey<?> key) {
    Slot slot = slots.get(key);
    if (slot == null) {
      ProtoWriter w = new ProtoWriter(key.getKey().length() + 8);
      w.string(KEY_VALUE_KEY, key.getKey());
      slot = new Slot(w.toByteArray());
      if (slots.size() < MAX_CACHED_KEYS) {
        slots.put(key, slot);
      }
    }
    return slot;
  }

  /**
   * A span attribute key's encoding, and the last span attribute written with it. Most call
   * attributes repeat from span to span (decision, reason, rule, agent, kind, method, host, port,
   * status, policy version): once a value has come twice in a row, its whole KeyValue field is kept
   * and copied in one piece while the value keeps repeating. A value that changes every span
   * (request id, URL) costs one comparison and no copy.
   */
  private final class Slot {
    final byte[] key; // the KeyValue.key field: tag, length, UTF-8
    // the last value written: a string, or a number or boolean (as 0 or 1) unboxed
    private String lastString;
    private long lastNumber;
    private byte[] lastField; // its whole KeyValue field, once it has repeated

    Slot(byte[] key) {
      this.key = key;
    }

    /** True when {@code value} is the last value and its field was copied out again. */
    boolean repeats(String value) {
      return lastField != null && value.equals(lastString) && writeLastField();
    }

    boolean repeats(long value) {
      return lastField != null && value == lastNumber && writeLastField();
    }

    private boolean writeLastField() {
      out.raw(lastField);
      return true;
    }

    /** {@code value}'s field was written from {@code start}. */
    void written(String value, int start) {
      boolean again = value.equals(lastString);
      lastString = value;
      keep(again, start);
    }

    void written(long value, int start) {
      boolean again = value == lastNumber;
      lastNumber = value;
      keep(again, start);
    }

    /** The second time in a row, the field is worth keeping; a new value drops it. */
    private void keep(boolean again, int start) {
      lastField = again ? out.copyFrom(start) : null;
    }
  }

  // ---- any attributes (resource, scope, events, links, a sampler's)

  private void attributes(int field, Attributes attributes) {
    attributes.forEach((key, value) -> keyValue(field, key, value));
  }

  private void keyValue(int field, AttributeKey<?> key, Object value) {
    int m = out.begin(field);
    out.raw(slot(key).key);
    int v = out.begin(KEY_VALUE_VALUE);
    switch (key.getType()) {
      case STRING -> out.string(ANY_STRING, (String) value);
      case BOOLEAN -> bool((Boolean) value);
      case LONG -> integer((Long) value);
      case DOUBLE -> real((Double) value);
      case STRING_ARRAY, BOOLEAN_ARRAY, LONG_ARRAY, DOUBLE_ARRAY -> array(key, (List<?>) value);
      default ->
          throw new IllegalArgumentException(
              "attribute " + key.getKey() + " of type " + key.getType() + " is not encoded here");
    }
    out.end(v);
    out.end(m);
  }

  private void array(AttributeKey<?> key, List<?> values) {
    int array = out.begin(ANY_ARRAY);
    for (Object element : values) {
      int any = out.begin(ARRAY_VALUES);
      switch (key.getType()) {
        case STRING_ARRAY -> out.string(ANY_STRING, (String) element);
        case BOOLEAN_ARRAY -> bool((Boolean) element);
        case LONG_ARRAY -> integer((Long) element);
        default -> real((Double) element);
      }
      out.end(any);
    }
    out.end(array);
  }

  private void bool(boolean value) {
    out.tag(ANY_BOOL, VARINT);
    out.varint(value ? 1 : 0);
  }

  private void integer(long value) {
    out.tag(ANY_INT, VARINT);
    out.varint(value);
  }

  private void real(double value) {
    out.tag(ANY_DOUBLE, FIXED64);
    out.fixed64(Double.doubleToRawLongBits(value));
  }
}
