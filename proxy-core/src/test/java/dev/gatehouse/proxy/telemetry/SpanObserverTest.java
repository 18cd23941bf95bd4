package dev.gatehouse.proxy.telemetry;

import static dev.gatehouse.proxy.telemetry.SpanAttributes.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.audit.AuditObserver;
import dev.gatehouse.proxy.audit.AuditRecord;
import dev.gatehouse.proxy.audit.AuditSink;
import dev.gatehouse.proxy.observe.CallHandle;
import dev.gatehouse.proxy.observe.CallKind;
import dev.gatehouse.proxy.observe.CallObserver;
import dev.gatehouse.proxy.observe.Calls;
import dev.gatehouse.proxy.observe.TlsMode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every test runs against both ways of recording: SDK spans through a tracer ({@code new
 * SpanObserver(sdk)}) and the direct path {@link Telemetry#spanObserver()} sets up (call spans
 * queued as span data, issue 5). Both must export the same spans.
 */
@ParameterizedClass
@EnumSource(SpanObserverTest.Path.class)
class SpanObserverTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CLIENT_SPAN = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01";

  enum Path {
    SDK,
    DIRECT
  }

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final AutoCloseable sdk;
  private final Telemetry telemetry;
  private final SpanObserver spans;

  SpanObserverTest(Path path) {
    if (path == Path.SDK) {
      OpenTelemetrySdk otel =
          OpenTelemetrySdk.builder()
              .setTracerProvider(
                  SdkTracerProvider.builder()
                      .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                      .build())
              .build();
      sdk = otel;
      telemetry = null;
      spans = new SpanObserver(otel);
    } else {
      telemetry =
          Telemetry.create(
              Map.of("otel.traces.exporter", "otlp"),
              otlp -> {
                otlp.shutdown(); // never used: the in-memory exporter stands in for it
                return exporter;
              });
      sdk = telemetry;
      spans = telemetry.spanObserver();
    }
  }

  @AfterEach
  void close() throws Exception {
    sdk.close();
  }

  /** The spans exported so far (the direct path exports from its own thread: flush first). */
  private List<SpanData> finished() {
    if (telemetry != null) {
      assertThat(telemetry.forceFlush(Duration.ofSeconds(30))).isTrue();
    }
    return exporter.getFinishedSpanItems();
  }

  private SpanData only() {
    List<SpanData> finished = finished();
    assertThat(finished).hasSize(1);
    return finished.get(0);
  }

  @Test
  void allowedGet_serverSpanWithEverySpecAttribute() {
    spans.begin(Calls.start("req-1", CallKind.HTTP)).end(Calls.allowedGet());
    SpanData span = only();
    assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.getName()).isEqualTo("GET");
    assertThat(span.getStartEpochNanos())
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(Calls.T0.toEpochMilli()));
    assertThat(span.getEndEpochNanos() - span.getStartEpochNanos())
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(25));
    assertThat(span.getParentSpanContext().isValid()).isFalse();
    var a = span.getAttributes();
    assertThat(a.get(HTTP_REQUEST_METHOD)).isEqualTo("GET");
    assertThat(a.get(URL_FULL)).isEqualTo("http://pypi.org/simple/requests/");
    assertThat(a.get(SERVER_ADDRESS)).isEqualTo("pypi.org");
    assertThat(a.get(SERVER_PORT)).isEqualTo(80L);
    assertThat(a.get(CLIENT_ADDRESS)).isEqualTo("127.0.0.1");
    assertThat(a.get(HTTP_RESPONSE_STATUS_CODE)).isEqualTo(200L);
    assertThat(a.get(NETWORK_PEER_ADDRESS)).isEqualTo("127.0.0.1");
    assertThat(a.get(DECISION)).isEqualTo("allow");
    assertThat(a.get(REASON)).isEqualTo("rule_allow");
    assertThat(a.get(RULE_ID)).isEqualTo("pypi");
    assertThat(a.get(AGENT)).isEqualTo("ci");
    assertThat(a.get(TLS)).isEqualTo("none");
    assertThat(a.get(POLICY_VERSION)).isEqualTo(Calls.POLICY_VERSION);
    assertThat(a.get(ENFORCED)).isTrue();
    assertThat(a.get(APPROVAL_ID)).isNull();
    assertThat(a.get(BYTES_IN)).isEqualTo(12L);
    assertThat(a.get(BYTES_OUT)).isEqualTo(3456L);
    assertThat(a.get(HTTP_REQUEST_BODY_SIZE)).isEqualTo(12L);
    assertThat(a.get(HTTP_RESPONSE_BODY_SIZE)).isEqualTo(3456L);
    assertThat(a.get(REQUEST_ID)).isEqualTo("req-1");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void deniedGet_blockIsNotAnError() {
    spans.begin(Calls.start("r", CallKind.HTTP)).end(Calls.deniedGet("evil.example"));
    SpanData span = only();
    assertThat(span.getAttributes().get(DECISION)).isEqualTo("deny");
    assertThat(span.getAttributes().get(REASON)).isEqualTo("default_deny");
    assertThat(span.getAttributes().get(RULE_ID)).isEqualTo("default");
    assertThat(span.getAttributes().get(HTTP_RESPONSE_STATUS_CODE)).isEqualTo(403L);
    assertThat(span.getAttributes().get(NETWORK_PEER_ADDRESS)).isNull();
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void askedCall_approvalEventsAndId() {
    CallHandle h = spans.begin(Calls.start("r", CallKind.HTTP));
    h.event("approval_requested", Map.of("gatehouse.approval_id", "ap-7"));
    h.event("approval_answered", Map.of("gatehouse.approval_id", "ap-7", "outcome", "approved"));
    h.end(
        Calls.end(
            Calls.decision(Action.ALLOW, Reason.APPROVAL_GRANTED, "new-registries", "dev"),
            "GET",
            "https://registry.npmjs.org/left-pad",
            "registry.npmjs.org",
            443,
            200,
            TlsMode.INTERCEPT,
            Optional.of("ap-7")));
    SpanData span = only();
    assertThat(span.getAttributes().get(APPROVAL_ID)).isEqualTo("ap-7");
    assertThat(span.getAttributes().get(REASON)).isEqualTo("approval_granted");
    assertThat(span.getEvents())
        .extracting(e -> e.getName())
        .containsExactly("approval_requested", "approval_answered");
    assertThat(span.getEvents().get(1).getAttributes().get(AttributeKey.stringKey("outcome")))
        .isEqualTo("approved");
  }

  @Test
  void askedWithoutApprovals_denied403() {
    spans
        .begin(Calls.start("r", CallKind.HTTP))
        .end(
            Calls.end(
                Calls.decision(Action.ASK, Reason.RULE_ASK, "new-registries", "dev"),
                "GET",
                "http://registry.npmjs.org/",
                "registry.npmjs.org",
                80,
                403,
                TlsMode.NONE,
                Optional.empty()));
    assertThat(only().getAttributes().get(DECISION)).isEqualTo("ask");
  }

  @Test
  void tunnel_connectSpanWithoutBodySizes() {
    spans.begin(Calls.start("t", CallKind.TUNNEL)).end(Calls.allowedConnect(TlsMode.TUNNEL));
    SpanData span = only();
    assertThat(span.getName()).isEqualTo("CONNECT");
    assertThat(span.getAttributes().get(TLS)).isEqualTo("tunnel");
    assertThat(span.getAttributes().get(BYTES_IN)).isEqualTo(10L);
    assertThat(span.getAttributes().get(HTTP_REQUEST_BODY_SIZE)).isNull();
  }

  @Test
  void intercepted_childOfTunnelSpan_throughComposite() {
    CallObserver composite = CallObserver.composite(List.of(CallObserver.NOOP, spans));
    CallHandle tunnel =
        composite.begin(Calls.start("t", CallKind.TUNNEL, Map.of("traceparent", TRACEPARENT)));
    composite
        .begin(Calls.child("i", tunnel))
        .end(
            Calls.end(
                Calls.decision(Action.DENY, Reason.PATH_NOT_ALLOWED, "default", "ci"),
                "POST",
                "https://github.com/acme/x/git-receive-pack",
                "github.com",
                443,
                403,
                TlsMode.INTERCEPT,
                Optional.empty()));
    tunnel.end(
        Calls.end(
            Calls.decision(Action.ALLOW, Reason.RULE_ALLOW, "github", "ci")
                .deny(Reason.PATH_NOT_ALLOWED, true),
            "CONNECT",
            "github.com:443",
            "github.com",
            443,
            200,
            TlsMode.INTERCEPT,
            Optional.empty()));
    List<SpanData> finished = finished();
    assertThat(finished).hasSize(2);
    SpanData inner = finished.get(0);
    SpanData outer = finished.get(1);
    assertThat(outer.getParentSpanId()).isEqualTo(CLIENT_SPAN);
    assertThat(inner.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(inner.getParentSpanId()).isEqualTo(outer.getSpanId());
    assertThat(inner.getAttributes().get(TLS)).isEqualTo("intercept");
    assertThat(inner.getAttributes().get(REASON)).isEqualTo("path_not_allowed");
  }

  @Test
  void traceparent_spanJoinsClientTrace() {
    spans
        .begin(
            Calls.start(
                "r", CallKind.HTTP, Map.of("traceparent", TRACEPARENT, "tracestate", "k=v")))
        .end(Calls.allowedGet());
    SpanData span = only();
    assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(span.getParentSpanId()).isEqualTo(CLIENT_SPAN);
    assertThat(span.getParentSpanContext().isRemote()).isTrue();
    assertThat(span.getSpanContext().getTraceState().get("k")).isEqualTo("v");
  }

  @Test
  void traceparent_malformed_newRootTrace() {
    spans
        .begin(Calls.start("r", CallKind.HTTP, Map.of("traceparent", "00-zz-not-a-trace")))
        .end(Calls.allowedGet());
    assertThat(only().getParentSpanContext().isValid()).isFalse();
  }

  @Test
  void upstreamError_spanStatusError() {
    Decision d = Calls.decision(Action.ALLOW, Reason.RULE_ALLOW, "pypi", "ci");
    spans
        .begin(Calls.start("r", CallKind.HTTP))
        .end(
            Calls.end(
                d.deny(Reason.UPSTREAM_ERROR, true),
                "GET",
                "http://pypi.org/",
                "pypi.org",
                80,
                502,
                TlsMode.NONE,
                Optional.empty()));
    SpanData span = only();
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo("upstream_error");
  }

  @Test
  void urlWithQueryOrCredentials_neverReachesTheSpan() {
    spans
        .begin(Calls.start("r", CallKind.HTTP))
        .end(
            Calls.end(
                Calls.decision(Action.ALLOW, Reason.RULE_ALLOW, "pypi", "ci"),
                "GET",
                "http://user:s3cret@pypi.org/simple/?token=s3cret#frag",
                "pypi.org",
                80,
                200,
                TlsMode.NONE,
                Optional.empty()));
    SpanData span = only();
    assertThat(span.getAttributes().get(URL_FULL)).isEqualTo("http://pypi.org/simple/");
    assertThat(span.getAttributes().asMap().values())
        .noneMatch(v -> v.toString().contains("s3cret"));
  }

  @Test
  void telemetryObserver_auditLineCarriesSpanIds() {
    List<String> lines = new ArrayList<>();
    AuditSink sink =
        new AuditSink() {
          @Override
          public void write(AuditRecord r) {
            lines.add(r.toJson());
          }

          @Override
          public long written() {
            return lines.size();
          }

          @Override
          public long lost() {
            return 0;
          }

          @Override
          public void close() {}
        };
    TelemetryObserver both =
        new TelemetryObserver(spans, new AuditObserver(sink, Clock.systemUTC()));
    CallHandle tunnel =
        both.begin(Calls.start("t", CallKind.TUNNEL, Map.of("traceparent", TRACEPARENT)));
    both.begin(Calls.child("i", tunnel)).end(Calls.allowedGet());
    tunnel.end(Calls.allowedGet());
    SpanData inner = finished().get(0);
    SpanData outer = finished().get(1);
    assertThat(inner.getParentSpanId()).isEqualTo(outer.getSpanId());
    assertThat(lines.get(0))
        .contains("\"request_id\":\"i\",\"parent_request_id\":\"t\"")
        .contains("\"trace_id\":\"" + TRACE_ID + "\",\"span_id\":\"" + inner.getSpanId() + "\"");
    assertThat(lines.get(1)).contains("\"span_id\":\"" + outer.getSpanId() + "\"");
  }
}
