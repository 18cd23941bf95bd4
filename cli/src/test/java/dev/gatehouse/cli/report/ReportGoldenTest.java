package dev.gatehouse.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each format on a fixed audit file pair (a current file and a gzipped rotated one, with a
 * malformed line, non-decision records and hostile values). To regenerate after an intended change:
 * {@code -Dreport.updateGolden=true}, then review the diff.
 */
class ReportGoldenTest {

  static Path resource(String name) {
    try {
      return Paths.get(ReportGoldenTest.class.getResource("/report/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "table, expected.table.txt, ''",
    "json, expected.json, ''",
    "csv, expected.csv, ''",
    "markdown, expected.md, ''",
    "html, expected.html, ''",
    "table, expected.all.table.txt, --decision=all",
    "table, expected.since.table.txt, --since=12h",
    "json, expected.agent-dev.json, --agent=dev",
    "table, expected.suggest.yaml, --suggest",
  })
  void format_fixedAuditFiles_matchesGolden(String format, String golden, String extra)
      throws IOException {
    String[] base = {
      "--format",
      format,
      resource("audit.jsonl").toString(),
      resource("audit.jsonl.1.gz").toString()
    };
    String[] args = base;
    if (!extra.isEmpty()) {
      args = new String[base.length + 1];
      args[0] = extra;
      System.arraycopy(base, 0, args, 1, base.length);
    }
    ReportRun r = ReportRun.run(args);
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    Path expected = resource("audit.jsonl").resolveSibling(golden);
    if (Boolean.getBoolean("report.updateGolden")) {
      Path src = Path.of("src/test/resources/report", golden);
      Files.writeString(src, r.out(), StandardCharsets.UTF_8);
      return;
    }
    assertThat(Files.exists(expected)).as("golden file %s", golden).isTrue();
    assertThat(r.out()).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
  }
}
