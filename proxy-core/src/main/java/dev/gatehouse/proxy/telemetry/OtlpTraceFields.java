package dev.gatehouse.proxy.telemetry;

/**
 * Field numbers of the OTLP trace protobufs that {@link CallSpanEncoder} writes
 * (opentelemetry-proto {@code collector/trace/v1/trace_service.proto}, {@code
 * trace/v1/trace.proto}, {@code common/v1/common.proto}, {@code resource/v1/resource.proto}), named
 * message_field.
 */
final class OtlpTraceFields {
  private OtlpTraceFields() {}

  static final int REQUEST_RESOURCE_SPANS = 1;
  static final int RESOURCE_SPANS_RESOURCE = 1;
  static final int RESOURCE_SPANS_SCOPE_SPANS = 2;
  static final int RESOURCE_SPANS_SCHEMA_URL = 3;
  static final int SCOPE_SPANS_SCOPE = 1;
  static final int SCOPE_SPANS_SPANS = 2;
  static final int SCOPE_SPANS_SCHEMA_URL = 3;
  static final int SPAN_TRACE_ID = 1;
  static final int SPAN_SPAN_ID = 2;
  static final int SPAN_TRACE_STATE = 3;
  static final int SPAN_PARENT_SPAN_ID = 4;
  static final int SPAN_NAME = 5;
  static final int SPAN_KIND = 6;
  static final int SPAN_START = 7;
  static final int SPAN_END = 8;
  static final int SPAN_ATTRIBUTES = 9;
  static final int SPAN_EVENTS = 11;
  static final int SPAN_DROPPED_EVENTS = 12;
  static final int SPAN_LINKS = 13;
  static final int SPAN_DROPPED_LINKS = 14;
  static final int SPAN_STATUS = 15;
  static final int SPAN_FLAGS = 16;
  static final int SPAN_KIND_SERVER = 2;
  static final int EVENT_TIME = 1;
  static final int EVENT_NAME = 2;
  static final int EVENT_ATTRIBUTES = 3;
  static final int EVENT_DROPPED_ATTRIBUTES = 4;
  static final int LINK_TRACE_ID = 1;
  static final int LINK_SPAN_ID = 2;
  static final int LINK_TRACE_STATE = 3;
  static final int LINK_ATTRIBUTES = 4;
  static final int LINK_DROPPED_ATTRIBUTES = 5;
  static final int LINK_FLAGS = 6;
  static final int STATUS_MESSAGE = 2;
  static final int STATUS_CODE = 3;
  static final int RESOURCE_ATTRIBUTES = 1;
  static final int SCOPE_NAME = 1;
  static final int SCOPE_VERSION = 2;
  static final int SCOPE_ATTRIBUTES = 3;
  static final int KEY_VALUE_KEY = 1;
  static final int KEY_VALUE_VALUE = 2;
  static final int ANY_STRING = 1;
  static final int ANY_BOOL = 2;
  static final int ANY_INT = 3;
  static final int ANY_DOUBLE = 4;
  static final int ANY_ARRAY = 5;
  static final int ARRAY_VALUES = 1;
  // W3C trace flags in the low byte; the OTLP SpanFlags bits for "is the parent/link remote"
  static final int CONTEXT_HAS_IS_REMOTE = 0x100;
  static final int CONTEXT_IS_REMOTE = 0x200;
}
