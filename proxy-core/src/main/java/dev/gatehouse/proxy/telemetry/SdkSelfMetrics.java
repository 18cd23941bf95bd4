package dev.gatehouse.proxy.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;

/**
 * Reads the SDK's own counters, pulled on demand: the batch span processor counts the spans it
 * drops when its queue is full ({@code processedSpans{dropped=true}}, or {@code
 * otel.sdk.processor.span.processed} with an {@code error.type} in the semconv flavour) and no
 * public API exposes that number otherwise.
 */
final class SdkSelfMetrics implements MetricReader {
  private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private volatile CollectionRegistration registration = CollectionRegistration.noop();

  @Override
  public void register(CollectionRegistration registration) {
    this.registration = registration;
  }

  /** Spans the batch processor dropped so far (queue full or after shutdown). */
  long droppedSpans() {
    long dropped = 0;
    for (MetricData m : registration.collectAllMetrics()) {
      if (m.getType() != MetricDataType.LONG_SUM) {
        continue;
      }
      boolean legacy = m.getName().equals("processedSpans");
      boolean semconv = m.getName().equals("otel.sdk.processor.span.processed");
      if (!legacy && !semconv) {
        continue;
      }
      for (LongPointData p : m.getLongSumData().getPoints()) {
        if (legacy && Boolean.TRUE.equals(p.getAttributes().get(DROPPED))
            || semconv && p.getAttributes().get(ERROR_TYPE) != null) {
          dropped += p.getValue();
        }
      }
    }
    return dropped;
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public CompletableResultCode forceFlush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public String toString() {
    return "GatehouseSelfMetrics";
  }
}
