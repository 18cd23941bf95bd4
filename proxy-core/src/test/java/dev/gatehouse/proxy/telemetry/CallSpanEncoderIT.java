package dev.gatehouse.proxy.telemetry;

import static io.opentelemetry.api.common.AttributeKey.booleanArrayKey;
import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleArrayKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longArrayKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.observe.CallEnd;
import dev.gatehouse.proxy.observe.CallHandle;
import dev.gatehouse.proxy.observe.CallKind;
import dev.gatehouse.proxy.observe.CallStart;
import dev.gatehouse.proxy.observe.Calls;
import dev.gatehouse.proxy.observe.TlsMode;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Gatehouse's OTLP encoding of call spans against the SDK's: the same spans, exported once by the
 * SDK's {@link OtlpHttpSpanExporter} and once through {@link CallSpanOtlpExporter}, must reach a
 * real OTLP/HTTP receiver as equal {@code ExportTraceServiceRequest}s, for every kind of call and
 * for strings that are not ASCII.
 */
class CallSpanEncoderIT {
  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final Resource RESOURCE =
      Resource.create(
          Attributes.builder()
              .put(stringKey("service.name"), "gatehouse")
              .put(booleanKey("test.bool"), false)
              .put(longKey("test.long"), -7L)
              .put(doubleKey("test.double"), 2.5)
              .put(stringArrayKey("test.strings"), List.of("a", "", "ü"))
              .put(longArrayKey("test.longs"), List.of(0L, Long.MAX_VALUE))
              .put(booleanArrayKey("test.bools"), List.of(true, false))
              .put(doubleArrayKey("test.doubles"), List.of(-0.0, 1e300))
              .build(),
          "https://opentelemetry.io/schemas/1.24.0");

  private final InMemorySpanExporter captured = InMemorySpanExporter.create();
  private final List<SpanExportQueue> queues = new ArrayList<>();
  private final OtlpReceiver receiver;

  CallSpanEncoderIT() throws Exception {
    receiver = new OtlpReceiver();
  }

  @AfterEach
  void close() {
    queues.forEach(SpanExportQueue::shutdown);
    receiver.close();
  }

  @Test
  void everyKindOfCall_encodedAsTheSdkEncodesIt() throws Exception {
    SpanObserver spans = observer(Sampler.parentBased(Sampler.alwaysOn()));
    spans.begin(Calls.start("req-allowed", CallKind.HTTP)).end(Calls.allowedGet());
    spans.begin(Calls.start("req-denied", CallKind.HTTP)).end(Calls.deniedGet("evil.example"));
    CallHandle tunnel =
        spans.begin(
            Calls.start(
                "req-tunnel",
                CallKind.TUNNEL,
                Map.of("traceparent", TRACEPARENT, "tracestate", "vendor=a,other=b")));
    CallStart child =
        new CallStart(
            "req-inner",
            Calls.T0,
            CallKind.INTERCEPTED,
            Optional.of(tunnel),
            Map.of("traceparent", TRACEPARENT),
            "127.0.0.1");
    spans.begin(child).end(Calls.allowedGet());
    tunnel.end(Calls.allowedConnect(TlsMode.INTERCEPT));
    spans
        .begin(Calls.start("req-upstream-error", CallKind.HTTP))
        .end(
            Calls.end(
                Calls.decision(Action.ALLOW, Reason.UPSTREAM_ERROR, "pypi", "ci"),
                "GET",
                "http://pypi.org/",
                "pypi.org",
                80,
                502,
                TlsMode.NONE,
                Optional.empty()));
    CallHandle asked = spans.begin(Calls.start("req-asked", CallKind.HTTP));
    asked.event("gatehouse.approval.requested", Map.of("gatehouse.approval_id", "ap-1"));
    asked.event("gatehouse.approval.answered", Map.of());
    asked.end(
        Calls.end(
            Calls.decision(Action.ALLOW, Reason.APPROVAL_GRANTED, "ask-rule", "ci"),
            "POST",
            "http://api.example/v1",
            "api.example",
            8080,
            201,
            TlsMode.NONE,
            Optional.of("ap-1")));
    spans
        .begin(Calls.start("req-unicode-\u00e9", CallKind.HTTP))
        .end(
            new CallEnd(
                Calls.decision(
                    Action.ALLOW, Reason.RULE_ALLOW, "r\u00e8gle-\uD83D\uDE80", "\u4EE3"),
                "GET",
                "http://xn--bcher-kva.example/\u00fcber/\uD800x",
                "xn--bcher-kva.example",
                65535,
                Optional.of("::1"),
                200,
                TlsMode.NONE,
                5_000_000_000L,
                0,
                Optional.empty(),
                Calls.T0.plusSeconds(3)));

    assertEncodedAsTheSdkDoes(finished(7));
  }

  @Test
  void samplerAttributes_mergedAsTheSdkMergesThem() throws Exception {
    Sampler withAttributes =
        new Sampler() {
          @Override
          public SamplingResult shouldSample(
              Context parent,
              String traceId,
              String name,
              SpanKind kind,
              Attributes attributes,
              List<LinkData> links) {
            return SamplingResult.create(
                SamplingDecision.RECORD_AND_SAMPLE,
                Attributes.of(
                    stringKey("sampler.rule"), "all", stringKey("gatehouse.kind"), "overridden"));
          }

          @Override
          public String getDescription() {
            return "with-attributes";
          }
        };
    SpanObserver spans = observer(withAttributes);
    spans.begin(Calls.start("req-1", CallKind.HTTP)).end(Calls.allowedGet());

    assertEncodedAsTheSdkDoes(finished(1));
  }

  @Test
  void otherSpanData_goesToTheSdkExporter() throws Exception {
    observer(Sampler.alwaysOn()).begin(Calls.start("req-1", CallKind.HTTP)).end(Calls.allowedGet());
    List<SpanData> batch = new ArrayList<>(finished(1));
    batch.add(
        TestSpanData.builder()
            .setName("sdk-span")
            .setKind(SpanKind.INTERNAL)
            .setStartEpochNanos(1)
            .setEndEpochNanos(2)
            .setHasEnded(true)
            .setStatus(StatusData.unset())
            .build());

    SpanExporter exporter = CallSpanOtlpExporter.wrap(sdkExporter(receiver.endpoint()));
    assertThat(exporter).isInstanceOf(CallSpanOtlpExporter.class);
    assertThat(join(exporter.export(batch)).isSuccess()).isTrue();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ExportTraceServiceRequest r = receiver.nextRequest(30, TimeUnit.SECONDS);
      assertThat(r).isNotNull();
      r.getResourceSpansList()
          .forEach(
              rs ->
                  rs.getScopeSpansList()
                      .forEach(ss -> ss.getSpansList().forEach(s -> names.add(s.getName()))));
    }
    assertThat(names).containsExactlyInAnyOrder("GET", "sdk-span");
    exporter.shutdown();
  }

  @Test
  void plainHttpEndpoints_getThePlainSender_tlsAndOkHttpByChoiceKeepOkHttp() {
    String http = "http://127.0.0.1:9/v1/traces";
    CallSpanOtlpExporter plain =
        (CallSpanOtlpExporter) CallSpanOtlpExporter.wrap(sdkExporter(http));
    CallSpanOtlpExporter chosen =
        (CallSpanOtlpExporter) CallSpanOtlpExporter.wrap(sdkExporter(http), false);
    CallSpanOtlpExporter tls =
        (CallSpanOtlpExporter)
            CallSpanOtlpExporter.wrap(sdkExporter("https://127.0.0.1:9/v1/traces"));
    try {
      assertThat(plain.sender()).isInstanceOf(PlainHttpSender.class);
      assertThat(chosen.sender()).isNotInstanceOf(PlainHttpSender.class);
      assertThat(tls.sender()).isNotInstanceOf(PlainHttpSender.class);
    } finally {
      plain.shutdown();
      chosen.shutdown();
      tls.shutdown();
    }
  }

  @Test
  void receiverRefuses_exportFailsWithItsStatus() throws Exception {
    observer(Sampler.alwaysOn()).begin(Calls.start("req-1", CallKind.HTTP)).end(Calls.allowedGet());
    HttpServer refusing =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    refusing.createContext(
        "/v1/traces",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(400, -1); // not retried
          exchange.close();
        });
    refusing.start();
    try {
      SpanExporter exporter =
          CallSpanOtlpExporter.wrap(
              sdkExporter("http://127.0.0.1:" + refusing.getAddress().getPort() + "/v1/traces"));

      CompletableResultCode result = join(exporter.export(finished(1)));

      assertThat(result.isDone()).isTrue();
      assertThat(result.isSuccess()).isFalse();
      assertThat(result.getFailureThrowable()).hasMessageContaining("HTTP 400");
      exporter.shutdown();
    } finally {
      refusing.stop(0);
    }
  }

  private SpanObserver observer(Sampler sampler) {
    SpanExportQueue queue =
        new SpanExportQueue(captured, 1000, 100, Duration.ofMillis(10), Duration.ofSeconds(10));
    queues.add(queue);
    return SpanObserver.direct(List.of(queue), sampler, RESOURCE);
  }

  /** The spans the observers made, once {@code n} have been exported. */
  private List<SpanData> finished(int n) {
    queues.forEach(q -> join(q.forceFlush()));
    List<SpanData> spans = captured.getFinishedSpanItems();
    assertThat(spans).hasSize(n).allMatch(s -> s instanceof CallSpan);
    return spans;
  }

  private void assertEncodedAsTheSdkDoes(List<SpanData> spans) throws Exception {
    SpanExporter sdk = sdkExporter(receiver.endpoint());
    assertThat(join(sdk.export(spans)).isSuccess()).isTrue();
    ExportTraceServiceRequest expected = receiver.nextRequest(30, TimeUnit.SECONDS);
    sdk.shutdown();

    SpanExporter ours = CallSpanOtlpExporter.wrap(sdkExporter(receiver.endpoint()));
    assertThat(ours).isInstanceOf(CallSpanOtlpExporter.class);
    assertThat(join(ours.export(spans)).isSuccess()).isTrue();
    ExportTraceServiceRequest actual = receiver.nextRequest(30, TimeUnit.SECONDS);
    ours.shutdown();

    assertThat(expected).isNotNull();
    assertThat(expected.getResourceSpans(0).getScopeSpans(0).getSpansCount())
        .isEqualTo(spans.size());
    assertThat(actual).isEqualTo(expected);
    // and the bytes alone, without a sender
    ProtoWriter bytes = new ProtoWriter(64); // grows as it goes
    new CallSpanEncoder().encode(calls(spans), bytes);
    assertThat(ExportTraceServiceRequest.parseFrom(bytes.toByteArray())).isEqualTo(expected);
  }

  private static List<CallSpan> calls(List<SpanData> spans) {
    List<CallSpan> calls = new ArrayList<>();
    spans.forEach(s -> calls.add((CallSpan) s));
    return calls;
  }

  private static OtlpHttpSpanExporter sdkExporter(String endpoint) {
    return OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build();
  }

  private static CompletableResultCode join(CompletableResultCode result) {
    return result.join(30, TimeUnit.SECONDS);
  }
}
