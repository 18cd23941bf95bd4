package dev.gatehouse.proxy.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.proxy.observe.CallKind;
import dev.gatehouse.proxy.observe.Calls;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The SDK, configured only through autoconfigure properties, exports to a real OTLP receiver. */
class OtlpExportIT {

  @Test
  void autoconfiguredOtlpHttp_receiverGetsSpanWithAttributesAndServiceName() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      Map<String, String> props = new HashMap<>();
      props.put("otel.traces.exporter", "otlp");
      props.put("otel.exporter.otlp.traces.protocol", "http/protobuf");
      props.put("otel.exporter.otlp.traces.endpoint", receiver.endpoint());
      props.put("otel.resource.attributes", "deployment.environment.name=test");
      props.put("otel.bsp.schedule.delay", "10");
      try (Telemetry telemetry = Telemetry.create(props, UnaryOperator.identity())) {
        assertThat(telemetry.tracesEnabled()).isTrue();
        SpanObserver spans = telemetry.spanObserver();
        spans.begin(Calls.start("req-1", CallKind.HTTP)).end(Calls.allowedGet());
        spans.begin(Calls.start("req-2", CallKind.HTTP)).end(Calls.deniedGet("evil.example"));

        OtlpReceiver.Received first = receiver.next(30, TimeUnit.SECONDS);
        OtlpReceiver.Received second = receiver.next(30, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(first.resource())
            .containsEntry("service.name", "gatehouse")
            .containsEntry("deployment.environment.name", "test");
        assertThat(first.span().getKind())
            .isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(first.attributes())
            .containsEntry("gatehouse.request_id", "req-1")
            .containsEntry("http.request.method", "GET")
            .containsEntry("url.full", "http://pypi.org/simple/requests/")
            .containsEntry("gatehouse.decision", "allow")
            .containsEntry("http.response.status_code", "200");
        assertThat(second.attributes())
            .containsEntry("gatehouse.decision", "deny")
            .containsEntry("gatehouse.reason", "default_deny");
        assertThat(HexFormat.of().formatHex(first.span().getTraceId().toByteArray())).hasSize(32);
        assertThat(receiver.contentTypes()).allMatch(t -> t.startsWith("application/x-protobuf"));
        assertThat(telemetry.forceFlush(Duration.ofSeconds(30))).isTrue();
        assertThat(telemetry.spansExported()).isEqualTo(2);
        assertThat(telemetry.spansDropped()).isZero();
      }
    }
  }
}
