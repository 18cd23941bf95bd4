package dev.gatehouse.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
  static final String THREE_ERRORS = "src/test/resources/check/three-errors.yaml";

  @Test
  void check_unknownKeyMidLabelWildcardAndDuplicateId_reportsThreeLocatedErrors() {
    CliRun run = CliRun.of("check", THREE_ERRORS);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out().lines().filter(l -> l.contains(": error: ")))
        .hasSize(3)
        .anySatisfy(
            l -> assertThat(l).startsWith(THREE_ERRORS + ":4:").contains("api-*.example.com"))
        .anySatisfy(l -> assertThat(l).startsWith(THREE_ERRORS + ":5:").contains("api"))
        .anySatisfy(l -> assertThat(l).startsWith(THREE_ERRORS + ":7:").contains("methods"));
  }

  @Test
  void check_jsonFormat_listsDiagnosticsWithLocations() {
    CliRun run = CliRun.of("check", "--format", "json", THREE_ERRORS);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .startsWith("{\"valid\":false")
        .contains("\"line\":7")
        .contains("\"severity\":\"error\"");
  }

  @Test
  void check_validPolicy_exitsZero(@TempDir Path dir) throws IOException {
    Path policy = dir.resolve("p.yaml");
    Files.writeString(policy, "version: 1\nrules:\n  - id: pypi\n    allow: [pypi.org]\n");

    CliRun run = CliRun.of("check", policy.toString());

    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.out()).contains("p.yaml: ok (policy)");
  }

  @Test
  void check_serverConfigWithInterceptNeverAndMethodRules_isAnError(@TempDir Path dir)
      throws IOException {
    Files.writeString(
        dir.resolve("policy.yaml"),
        "version: 1\nrules:\n  - id: pypi\n    allow: [pypi.org]\n    methods: [GET]\n");
    Path config = dir.resolve("gatehouse.yaml");
    Files.writeString(config, "policy: policy.yaml\ntls:\n  intercept: never\n");

    CliRun run = CliRun.of("check", config.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("error:").contains("interception");
  }

  @Test
  void check_noFiles_isUsageError() {
    assertThat(CliRun.of("check").exitCode()).isEqualTo(2);
  }
}
