package dev.gatehouse.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.audit.AuditFileOptions;
import dev.gatehouse.proxy.audit.AuditObserver;
import dev.gatehouse.proxy.audit.AuditSink;
import dev.gatehouse.proxy.observe.CallEnd;
import dev.gatehouse.proxy.observe.CallKind;
import dev.gatehouse.proxy.observe.CallStart;
import dev.gatehouse.proxy.observe.TlsMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report reads back everything the real file sink wrote, across gzipped rotated files. */
class RotatedSinkReportTest {
  @TempDir Path dir;

  @Test
  void report_overSinkRotatedAndGzippedFiles_countsEveryCall() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    AuditSink sink =
        AuditSink.file(
            new AuditFileOptions(
                file, 8 * 1024, 100, true, 1024, Duration.ofSeconds(30), Duration.ofSeconds(30)));
    AuditObserver audit = new AuditObserver(sink, Clock.systemUTC());
    Instant t0 = Instant.parse("2026-11-26T00:00:00Z");
    int n = 500;
    for (int i = 0; i < n; i++) {
      Action action = i % 5 == 0 ? Action.DENY : Action.ALLOW;
      Reason reason = action == Action.DENY ? Reason.DEFAULT_DENY : Reason.RULE_ALLOW;
      Decision d =
          new Decision(
              action, reason, action == Action.DENY ? "default" : "r", "ci", "v", true, false);
      Instant at = t0.plusSeconds(60L * i);
      audit
          .begin(new CallStart("r" + i, at, CallKind.HTTP, Optional.empty(), Map.of(), "127.0.0.1"))
          .end(
              new CallEnd(
                  d,
                  "GET",
                  "http://h" + (i % 7) + ".example/p",
                  "h" + (i % 7) + ".example",
                  80,
                  Optional.empty(),
                  action == Action.DENY ? 403 : 200,
                  TlsMode.NONE,
                  0,
                  10,
                  Optional.empty(),
                  at.plusMillis(3)));
      audit.record("policy_reload", Map.of("result", "ok"));
    }
    sink.close();
    assertThat(sink.lost()).isZero();

    List<String> args = new ArrayList<>(List.of("--decision", "all", "--format", "json"));
    try (var files = Files.list(dir)) {
      List<Path> all = files.sorted().toList();
      assertThat(all).anyMatch(p -> p.toString().endsWith(".gz")).hasSizeGreaterThan(5);
      all.forEach(p -> args.add(p.toString()));
    }
    ReportRun r = ReportRun.run(args.toArray(String[]::new));
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains(
            "\"read\": "
                + 2 * n
                + ", \"decisions\": "
                + n
                + ", \"other_records\": "
                + n
                + ", \"malformed\": 0")
        .contains(
            "\"totals\": {\"calls\": "
                + n
                + ", \"deny\": "
                + n / 5
                + ", \"ask\": 0, \"allow\": "
                + (n - n / 5));
  }
}
