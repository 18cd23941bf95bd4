package dev.gatehouse.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.observe.CallHandle;
import dev.gatehouse.proxy.observe.CallKind;
import dev.gatehouse.proxy.observe.CallObserver;
import dev.gatehouse.proxy.observe.Calls;
import dev.gatehouse.proxy.observe.TlsMode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditObserverTest {

  /** Serialises records on the caller's thread. */
  static final class CapturingSink implements AuditSink {
    final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void write(AuditRecord record) {
      lines.add(record.toJson());
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
  }

  private final CapturingSink sink = new CapturingSink();
  private final AuditObserver audit =
      new AuditObserver(sink, Clock.fixed(Instant.parse("2026-11-27T02:00:00Z"), ZoneOffset.UTC));

  @Test
  void end_allowedGet_writesEveryFieldOfTheSchema() {
    audit
        .begin(
            Calls.start("req-1", CallKind.HTTP),
            "0af7651916cd43dd8448eb211c80319c",
            "b7ad6b7169203331")
        .end(Calls.allowedGet());
    assertThat(sink.lines)
        .containsExactly(
            "{\"ts\":\"2026-11-27T01:02:03.004Z\",\"type\":\"decision\",\"request_id\":\"req-1\","
                + "\"parent_request_id\":null,\"kind\":\"http\",\"agent\":\"ci\","
                + "\"client_address\":\"127.0.0.1\",\"method\":\"GET\","
                + "\"url\":\"http://pypi.org/simple/requests/\",\"host\":\"pypi.org\",\"port\":80,"
                + "\"decision\":\"allow\",\"reason\":\"rule_allow\",\"rule\":\"pypi\","
                + "\"enforced\":true,\"tls\":\"none\",\"status\":200,\"bytes_in\":12,"
                + "\"bytes_out\":3456,\"policy_version\":\"3f2a9c1d0b7e\",\"approval_id\":null,"
                + "\"peer_address\":\"127.0.0.1\",\"duration_ms\":25,"
                + "\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\",\"span_id\":\"b7ad6b7169203331\"}");
  }

  @Test
  void end_hostileValues_escapedOnOneLine() {
    var end =
        Calls.end(
            Calls.decision(Action.DENY, Reason.BAD_REQUEST, "default", "a\"gent\n"),
            "G\u0000ET",
            "http://x.example/\u2028é\r\n{\"forged\":1}",
            "x.example",
            80,
            400,
            TlsMode.NONE,
            Optional.empty());
    audit.begin(Calls.start("r", CallKind.HTTP)).end(end);
    String line = sink.lines.get(0);
    assertThat(line).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u0000");
    assertThat(line)
        .contains("\"agent\":\"a\\\"gent\\n\"")
        .contains("\"method\":\"G\\u0000ET\"")
        .contains("\"url\":\"http://x.example/\\u2028é\\r\\n{\\\"forged\\\":1}\"");
  }

  @Test
  void end_calledTwice_oneRecord() {
    CallHandle h = audit.begin(Calls.start("r", CallKind.HTTP));
    h.end(Calls.allowedGet());
    h.end(Calls.allowedGet());
    assertThat(sink.lines).hasSize(1);
  }

  @Test
  void intercepted_throughComposite_namesItsTunnel() {
    CallObserver composite = CallObserver.composite(List.of(CallObserver.NOOP, audit));
    CallHandle tunnel = composite.begin(Calls.start("tunnel-1", CallKind.TUNNEL));
    composite.begin(Calls.child("inner-1", tunnel)).end(Calls.allowedGet());
    tunnel.end(Calls.allowedGet());
    assertThat(sink.lines.get(0))
        .contains(
            "\"request_id\":\"inner-1\",\"parent_request_id\":\"tunnel-1\",\"kind\":\"intercepted\"");
    assertThat(sink.lines.get(1)).contains("\"parent_request_id\":null,\"kind\":\"tunnel\"");
  }

  @Test
  void record_reload_writesTimestampTypeAndFieldsInOrder() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("result", "ok");
    fields.put("old_version", "aaa");
    fields.put("new_version", "bbb");
    fields.put("added", List.of("r1"));
    fields.put("type", "ignored: the record's own type wins");
    audit.record("policy_reload", fields);
    assertThat(sink.lines)
        .containsExactly(
            "{\"ts\":\"2026-11-27T02:00:00.000Z\",\"type\":\"policy_reload\",\"result\":\"ok\","
                + "\"old_version\":\"aaa\",\"new_version\":\"bbb\",\"added\":[\"r1\"]}");
  }
}
