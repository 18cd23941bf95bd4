package dev.gatehouse.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.audit.AuditObserver;
import dev.gatehouse.proxy.audit.AuditRecord;
import dev.gatehouse.proxy.audit.AuditSink;
import dev.gatehouse.proxy.observe.CallEnd;
import dev.gatehouse.proxy.observe.CallKind;
import dev.gatehouse.proxy.observe.CallStart;
import dev.gatehouse.proxy.observe.TlsMode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuditLineParserTest {
  private final AuditLineParser parser = new AuditLineParser();
  private final AuditEntry e = new AuditEntry();

  @Test
  void parse_auditObserverOutputWithHostileValues_roundTrips() {
    List<String> lines = new ArrayList<>();
    AuditSink sink =
        new AuditSink() {
          @Override
          public void write(AuditRecord r) {
            lines.add(r.toJson());
          }

          @Override
          public long written() {
            return 0;
          }

          @Override
          public long lost() {
            return 0;
          }

          @Override
          public void close() {}
        };
    String url = "http://h.example/\"\\\u0000\u001f\u007f\u2028é😀\ud800x";
    String agent = "a\"g\ne\\nt";
    Instant t0 = Instant.parse("2026-11-27T01:02:03.004Z");
    new AuditObserver(sink, Clock.systemUTC())
        .begin(new CallStart("r", t0, CallKind.HTTP, Optional.empty(), Map.of(), "127.0.0.1"))
        .end(
            new CallEnd(
                new Decision(Action.DENY, Reason.DEFAULT_DENY, "default", agent, "v", false, false),
                "GET",
                url,
                "h.example",
                8080,
                Optional.empty(),
                403,
                TlsMode.NONE,
                0,
                0,
                Optional.empty(),
                t0));
    assertThat(parser.parse(lines.get(0), e)).isTrue();
    assertThat(e.url).isEqualTo(url);
    assertThat(e.agent).isEqualTo(agent);
    assertThat(e.tsMillis).isEqualTo(t0.toEpochMilli());
    assertThat(e.port).isEqualTo(8080);
    assertThat(e.status).isEqualTo(403);
    assertThat(e.enforced).isFalse();
    assertThat(e.decision).isEqualTo("deny");
    assertThat(e.reason).isEqualTo("default_deny");
    assertThat(e.type).isEqualTo("decision");
  }

  @Test
  void parse_nestedValuesAndUnknownKeys_skipped() {
    assertThat(
            parser.parse(
                " {\"ts\":\"2026-01-01T00:00:00+01:00\",\"type\":\"policy_reload\",\"added\":[\"a\",{\"b\":[1,2.5e3,null,true]}],\"x\":{},\"y\":[],\"port\":1.5}"
                    + " ",
                e))
        .isTrue();
    assertThat(e.type).isEqualTo("policy_reload");
    assertThat(e.tsMillis).isEqualTo(Instant.parse("2025-12-31T23:00:00Z").toEpochMilli());
    assertThat(e.port).isEqualTo(-1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "{",
        "{\"ts\":\"x\"",
        "{\"ts\":\"x\"}}",
        "{\"ts\":\"x\",}",
        "{\"a\":tru}",
        "{\"a\":\"\\q\"}",
        "{\"a\":\"\\u12\"}",
        "{\"a\":\"raw\tcontrol\"}",
        "{\"a\":01x}",
        "{'a':1}",
        "{\"a\":1} {\"b\":2}",
        "{\"a\":-}",
      })
  void parse_malformed_rejected(String line) {
    assertThat(parser.parse(line, e)).isFalse();
  }

  @Test
  void parse_deepNesting_rejectedWithoutStackOverflow() {
    String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertThat(parser.parse(deep, e)).isFalse();
  }

  @Test
  void timestamp_fastPathAgreesWithInstantParse() {
    for (String ts :
        List.of(
            "2026-11-27T01:02:03.004Z",
            "2024-02-29T23:59:59.999Z",
            "1970-01-01T00:00:00.000Z",
            "2026-11-27T01:02:03Z",
            "2026-11-27T01:02:03.123456789Z")) {
      assertThat(AuditLineParser.timestamp(ts)).as(ts).isEqualTo(Instant.parse(ts).toEpochMilli());
    }
    assertThat(AuditLineParser.timestamp("2026-02-30T00:00:00.000Z")).isEqualTo(AuditEntry.NO_TIME);
    assertThat(AuditLineParser.timestamp("yesterday")).isEqualTo(AuditEntry.NO_TIME);
  }
}
