package dev.gatehouse.cli.report;

import static dev.gatehouse.cli.report.ReportGoldenTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
  @TempDir Path dir;

  @Test
  void sinceWithFrom_usageError() {
    ReportRun r = ReportRun.run("--since", "1h", "--from", "2026-11-26", "x.jsonl");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--since cannot be used with --from/--to");
  }

  @Test
  void badDurationFormatDecision_usageErrorsNamingTheValue() {
    assertThat(ReportRun.run("--since", "1y", "x").err()).contains("--since 1y");
    assertThat(ReportRun.run("--format", "pdf", "x").err()).contains("--format pdf");
    assertThat(ReportRun.run("--decision", "maybe", "x").err()).contains("--decision maybe");
    assertThat(ReportRun.run("--from", "2026-11-27", "--to", "2026-11-26", "x").err())
        .contains("is not before");
    assertThat(ReportRun.run("--from", "noon", "x").exitCode()).isEqualTo(2);
  }

  @Test
  void missingFile_exit1() {
    ReportRun r = ReportRun.run(dir.resolve("nope.jsonl").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no such file").contains("nope.jsonl");
  }

  @Test
  void since_usesInjectedClock() {
    // the fixture's calls are on 2026-11-26; the clock says 2026-11-27T00:00Z
    ReportRun lastHour =
        ReportRun.run("--since", "1h", "--format", "json", resource("audit.jsonl").toString());
    assertThat(lastHour.out()).contains("\"calls\": 0,");
    ReportRun lastDay =
        ReportRun.run("--since", "24h", "--format", "json", resource("audit.jsonl").toString());
    assertThat(lastDay.out()).contains("\"totals\": {\"calls\": 15,");
  }

  @Test
  void gzipDetectedByContentNotName() throws IOException {
    Path plain = resource("audit.jsonl");
    Path gz = dir.resolve("renamed.log");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(plain, out);
    }
    String a = ReportRun.run("--format", "json", plain.toString()).out();
    String b = ReportRun.run("--format", "json", gz.toString()).out();
    assertThat(b.replace("renamed.log", "audit.jsonl")).isEqualTo(a);
  }

  @Test
  void html_selfContained_noExternalResources() {
    String html =
        ReportRun.run(
                "--format",
                "html",
                resource("audit.jsonl").toString(),
                resource("audit.jsonl.1.gz").toString())
            .out();
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("<script>");
    assertThat(html)
        .doesNotContainPattern(Pattern.compile("(src|href)\\s*=", Pattern.CASE_INSENSITIVE));
    assertThat(html).doesNotContain("@import").doesNotContain("url(");
    assertThat(html).doesNotContain("<script>alert");
    assertThat(html).containsOnlyOnce("<script>");
  }

  @Test
  void output_writesFile() throws IOException {
    Path out = dir.resolve("r.md");
    ReportRun r =
        ReportRun.run("--format", "md", "-o", out.toString(), resource("audit.jsonl").toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(Files.readString(out, StandardCharsets.UTF_8)).startsWith("# Gatehouse report");
  }

  @Test
  void csv_formulaInjectionNeutralised() {
    String csv = ReportRun.run("--format", "csv", resource("audit.jsonl").toString()).out();
    assertThat(csv).contains("agent,'=cmd|' /C calc'!A0,");
    assertThat(csv.lines()).noneMatch(l -> l.contains(",=cmd"));
  }

  @Test
  void dimensionCap_boundsDistinctKeys() {
    Summary s =
        new Summary(
            new ReportQuery(
                Optional.empty(), Optional.empty(), Optional.empty(), ReportQuery.BLOCKED),
            java.util.List.of());
    AuditLineParser p = new AuditLineParser();
    AuditEntry e = new AuditEntry();
    int n = Summary.MAX_KEYS + 500;
    for (int i = 0; i < n; i++) {
      s.line(
          p,
          "{\"ts\":\"2026-11-26T00:00:00.000Z\",\"type\":\"decision\",\"host\":\"h"
              + i
              + ".example\",\"port\":80,\"decision\":\"deny\",\"reason\":\"default_deny\",\"rule\":\"default\",\"agent\":\"a\"}",
          e);
    }
    assertThat(s.byHost.sorted()).hasSize(Summary.MAX_KEYS + 1);
    assertThat(s.byHost.sorted().get(0).key).isEqualTo(Dimension.OTHER);
    assertThat(s.byHost.sorted().get(0).count).isEqualTo(500);
    assertThat(s.matched).isEqualTo(n);
  }
}
