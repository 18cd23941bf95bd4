package dev.gatehouse.proxy.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/**
 * The OpenTelemetry SDK, set up by the SDK's autoconfigure from the standard {@code OTEL_*}
 * environment variables (or {@code otel.*} system properties), with Gatehouse's defaults: {@code
 * OTEL_SERVICE_NAME=gatehouse} (unless {@code service.name} is given some other way), {@code
 * OTEL_METRICS_EXPORTER=none} and {@code OTEL_LOGS_EXPORTER=none} (metrics are served in Prometheus
 * format on the admin port), and {@code OTEL_TRACES_EXPORTER=none} unless an OTLP endpoint is set
 * (so an unconfigured proxy does not retry a collector that is not there). Spans are exported by
 * the SDK's batch processor; spans exported, failed and dropped are counted.
 */
public final class Telemetry implements AutoCloseable {
  public static final String SERVICE_NAME = "gatehouse";
  private static final AttributeKey<String> SERVICE_NAME_KEY =
      AttributeKey.stringKey("service.name");

  private final OpenTelemetrySdk sdk;
  private final LongAdder exported;
  private final LongAdder failed;
  private final List<SdkSelfMetrics> self;
  private final SdkMeterProvider ownMeters;
  private final boolean tracesEnabled;

  private Telemetry(
      OpenTelemetrySdk sdk,
      LongAdder exported,
      LongAdder failed,
      List<SdkSelfMetrics> self,
      SdkMeterProvider ownMeters,
      boolean tracesEnabled) {
    this.sdk = sdk;
    this.exported = exported;
    this.failed = failed;
    this.self = self;
    this.ownMeters = ownMeters;
    this.tracesEnabled = tracesEnabled;
  }

  /** From the process environment and system properties. */
  public static Telemetry fromEnvironment() {
    return create(Map.of(), UnaryOperator.identity());
  }

  /**
   * @param overrides {@code otel.*} properties that win over the environment (tests, flags)
   * @param wrapExporter applied to each configured exporter, inside the counting wrapper
   */
  public static Telemetry create(
      Map<String, String> overrides, UnaryOperator<SpanExporter> wrapExporter) {
    LongAdder exported = new LongAdder();
    LongAdder failed = new LongAdder();
    SdkSelfMetrics self = new SdkSelfMetrics();
    SdkSelfMetrics ownSelf = new SdkSelfMetrics();
    SdkMeterProvider ownMeters = SdkMeterProvider.builder().registerMetricReader(ownSelf).build();
    boolean[] enabled = {false};
    AutoConfiguredOpenTelemetrySdk auto =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(Telemetry::defaults)
            .addPropertiesCustomizer(config -> overrides)
            .addResourceCustomizer(Telemetry::defaultServiceName)
            .addSpanExporterCustomizer(
                (exporter, config) -> {
                  enabled[0] = true;
                  return new CountingSpanExporter(wrapExporter.apply(exporter), exported, failed);
                })
            .addMeterProviderCustomizer((builder, config) -> builder.registerMetricReader(self))
            // autoconfigure gives the console exporter a SimpleSpanProcessor, which exports on the
            // thread that ends the span: an event loop here. Batch it like every other exporter.
            .addSpanProcessorCustomizer(
                (processor, config) ->
                    processor instanceof SimpleSpanProcessor simple
                        ? BatchSpanProcessor.builder(simple.getSpanExporter())
                            .setMeterProvider(() -> ownMeters)
                            .build()
                        : processor)
            .disableShutdownHook() // the server shuts telemetry down after draining calls
            .build();
    return new Telemetry(
        auto.getOpenTelemetrySdk(),
        exported,
        failed,
        List.of(self, ownSelf),
        ownMeters,
        enabled[0]);
  }

  private static Map<String, String> defaults() {
    Map<String, String> d = new HashMap<>();
    d.put("otel.metrics.exporter", "none");
    d.put("otel.logs.exporter", "none");
    boolean endpoint =
        isSet("OTEL_EXPORTER_OTLP_ENDPOINT", "otel.exporter.otlp.endpoint")
            || isSet("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "otel.exporter.otlp.traces.endpoint");
    d.put("otel.traces.exporter", endpoint ? "otlp" : "none");
    return d;
  }

  private static boolean isSet(String env, String property) {
    String v = System.getenv(env);
    if (v == null || v.isBlank()) {
      v = System.getProperty(property);
    }
    return v != null && !v.isBlank();
  }

  private static Resource defaultServiceName(Resource resource, ConfigProperties config) {
    String name = resource.getAttribute(SERVICE_NAME_KEY);
    if (name == null || name.startsWith("unknown_service")) {
      return resource.merge(Resource.builder().put(SERVICE_NAME_KEY, SERVICE_NAME).build());
    }
    return resource;
  }

  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  /** A span per call, through this SDK. */
  public SpanObserver spanObserver() {
    return new SpanObserver(sdk);
  }

  /** True when some span exporter is configured ({@code OTEL_TRACES_EXPORTER} not {@code none}). */
  public boolean tracesEnabled() {
    return tracesEnabled;
  }

  public long spansExported() {
    return exported.sum();
  }

  public long spansExportFailed() {
    return failed.sum();
  }

  public long spansDropped() {
    long n = 0;
    for (SdkSelfMetrics s : self) {
      n += s.droppedSpans();
    }
    return n;
  }

  /** Exports what is queued; waits at most {@code timeout}. */
  public boolean forceFlush(Duration timeout) {
    return sdk.getSdkTracerProvider()
        .forceFlush()
        .join(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .isSuccess();
  }

  /** Flushes queued spans and stops the exporters (at most 10 s). */
  @Override
  public void close() {
    sdk.shutdown().join(10, TimeUnit.SECONDS);
    ownMeters.shutdown().join(1, TimeUnit.SECONDS);
  }
}
