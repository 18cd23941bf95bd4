package dev.gatehouse.proxy.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.ArrayList;
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
 * (so an unconfigured proxy does not retry a collector that is not there). Spans are exported by a
 * queue like the SDK's batch processor ({@code otel.bsp.*} settings apply, with default queue and
 * batch sizes of 16384 and 2048 spans rather than 2048 and 512; see {@link SpanExportQueue}); spans
 * exported, failed and dropped are counted.
 */
public final class Telemetry implements AutoCloseable {
  public static final String SERVICE_NAME = "gatehouse";
  static final int DEFAULT_QUEUE_SIZE = 16384;
  static final int DEFAULT_BATCH_SIZE = 2048;

  /**
   * {@code gatehouse} (default): call spans sent over OTLP are encoded by {@link CallSpanEncoder};
   * {@code sdk} ({@code GATEHOUSE_OTLP_ENCODER=sdk}): by the SDK's own marshaller, as before.
   */
  static final String ENCODER_PROPERTY = "gatehouse.otlp.encoder";

  /**
   * {@code gatehouse} (default): Gatehouse's {@link PlainHttpSender} sends OTLP http/protobuf to a
   * plain {@code http://} endpoint without compression; {@code okhttp} ({@code
   * GATEHOUSE_OTLP_SENDER=okhttp}): the SDK's OkHttp sender, as before. TLS, compression, proxies
   * and {@code GATEHOUSE_OTLP_ENCODER=sdk} always use OkHttp.
   */
  static final String SENDER_PROPERTY = "gatehouse.otlp.sender";

  private static final AttributeKey<String> SERVICE_NAME_KEY =
      AttributeKey.stringKey("service.name");

  private final OpenTelemetrySdk sdk;
  private final LongAdder exported;
  private final LongAdder failed;
  private final SdkSelfMetrics self;
  private final List<SpanExportQueue> queues;
  private final Sampler sampler;
  private final Resource resource;
  private final boolean tracesEnabled;

  private Telemetry(
      OpenTelemetrySdk sdk,
      LongAdder exported,
      LongAdder failed,
      SdkSelfMetrics self,
      List<SpanExportQueue> queues,
      Sampler sampler,
      Resource resource,
      boolean tracesEnabled) {
    this.sdk = sdk;
    this.exported = exported;
    this.failed = failed;
    this.self = self;
    this.queues = List.copyOf(queues);
    this.sampler = sampler;
    this.resource = resource;
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
    boolean[] enabled = {false};
    List<SpanExportQueue> queues = new ArrayList<>();
    Sampler[] sampler = {Sampler.parentBased(Sampler.alwaysOn())};
    Resource[] resource = {Resource.getDefault()};
    AutoConfiguredOpenTelemetrySdk auto =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(Telemetry::defaults)
            .addPropertiesCustomizer(config -> overrides)
            .addResourceCustomizer((r, config) -> resource[0] = defaultServiceName(r, config))
            .addSamplerCustomizer((s, config) -> sampler[0] = s)
            .addSpanExporterCustomizer(
                (exporter, config) -> {
                  enabled[0] = true;
                  SpanExporter configured = wrapExporter.apply(exporter);
                  if (!"sdk".equals(config.getString(ENCODER_PROPERTY, "gatehouse"))) {
                    boolean plain =
                        !"okhttp".equals(config.getString(SENDER_PROPERTY, "gatehouse"));
                    configured = CallSpanOtlpExporter.wrap(configured, plain);
                  }
                  return new CountingSpanExporter(configured, exported, failed);
                })
            .addMeterProviderCustomizer((builder, config) -> builder.registerMetricReader(self))
            // Autoconfigure puts each exporter behind the SDK's batch processor (the console
            // exporter behind a SimpleSpanProcessor, which would export on the event loop that ends
            // the span). Both are replaced by a queue with the same otel.bsp.* settings that also
            // takes Gatehouse's call spans directly (see SpanObserver).
            .addSpanProcessorCustomizer(
                (processor, config) -> {
                  SpanExporter exporter =
                      processor instanceof BatchSpanProcessor batch
                          ? batch.getSpanExporter()
                          : processor instanceof SimpleSpanProcessor simple
                              ? simple.getSpanExporter()
                              : null;
                  if (exporter == null) {
                    return processor; // some other processor (SPI): left as it is
                  }
                  SpanExportQueue queue =
                      new SpanExportQueue(
                          exporter,
                          config.getInt("otel.bsp.max.queue.size", DEFAULT_QUEUE_SIZE),
                          config.getInt("otel.bsp.max.export.batch.size", DEFAULT_BATCH_SIZE),
                          config.getDuration("otel.bsp.schedule.delay", Duration.ofSeconds(5)),
                          config.getDuration("otel.bsp.export.timeout", Duration.ofSeconds(30)));
                  queues.add(queue);
                  return queue;
                })
            .disableShutdownHook() // the server shuts telemetry down after draining calls
            .build();
    return new Telemetry(
        auto.getOpenTelemetrySdk(),
        exported,
        failed,
        self,
        queues,
        sampler[0],
        resource[0],
        enabled[0]);
  }

  private static Map<String, String> defaults() {
    Map<String, String> d = new HashMap<>();
    d.put("otel.metrics.exporter", "none");
    d.put("otel.logs.exporter", "none");
    // the SDK's 2048 is ~0.1 s of calls at full keep-alive rate: a CPU-starved export thread
    // dropped spans in the bench (issue 5); 16384 queued call spans are a few MB at most
    d.put("otel.bsp.max.queue.size", Integer.toString(DEFAULT_QUEUE_SIZE));
    // per-export overhead (request, dispatch, grouping) dominated at 512: 2048 cut the export
    // threads' CPU per span by ~30% in SpanCostMain; ~1 MB per request for typical call spans
    d.put("otel.bsp.max.export.batch.size", Integer.toString(DEFAULT_BATCH_SIZE));
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
    return queues.isEmpty()
        ? new SpanObserver(sdk)
        : SpanObserver.direct(queues, sampler, resource);
  }

  /** Each configured exporter, as its queue exports to it (tests). */
  List<SpanExporter> exporters() {
    return queues.stream().map(SpanExportQueue::exporter).toList();
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
    long n = self.droppedSpans();
    for (SpanExportQueue q : queues) {
      n += q.dropped();
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
  }
}
