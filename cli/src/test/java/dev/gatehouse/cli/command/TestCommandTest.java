package dev.gatehouse.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCommandTest {

  @Test
  void test_wrongExpectation_printsFailureWithExplanationAndExitsOne(@TempDir Path dir)
      throws IOException {
    Path policy = dir.resolve("p.yaml");
    Files.writeString(policy, "version: 1\nrules:\n  - id: pypi\n    allow: [pypi.org]\n");
    Path cases = dir.resolve("c.yaml");
    Files.writeString(
        cases,
        """
        - {request: "GET https://pypi.org/simple/", expect: allow, rule: pypi}
        - {request: "GET https://evil.example/", expect: allow}
        """);

    CliRun run = CliRun.of("test", policy.toString(), cases.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .contains("c.yaml:2:")
        .contains("expected allow, got deny")
        .contains("candidate rules")
        .contains("1 passed, 1 failed");
  }

  @Test
  void test_badCasesFile_isLocatedErrorAndExitsTwo(@TempDir Path dir) throws IOException {
    Path policy = dir.resolve("p.yaml");
    Files.writeString(policy, "version: 1\nrules: []\n");
    Path cases = dir.resolve("c.yaml");
    Files.writeString(cases, "- {request: \"GET https://x.example/\", expect: maybe}\n");

    CliRun run = CliRun.of("test", policy.toString(), cases.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("c.yaml:1:").contains("maybe");
  }
}
