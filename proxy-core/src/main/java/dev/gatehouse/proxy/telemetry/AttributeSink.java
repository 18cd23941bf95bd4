package dev.gatehouse.proxy.telemetry;

import io.opentelemetry.api.common.AttributeKey;

/**
 * Where a call span's attributes go, one at a time and in a fixed order: into {@link
 * CallAttributes} for the SDK's span data, or straight into OTLP bytes by {@link CallSpanEncoder}.
 * One list of attributes ({@link SpanObserver#putEndAttributes}) feeds both, so they cannot drift.
 */
interface AttributeSink {
  /** Skipped when {@code value} is null. */
  void put(AttributeKey<String> key, String value);

  void put(AttributeKey<Long> key, long value);

  void put(AttributeKey<Boolean> key, boolean value);
}
