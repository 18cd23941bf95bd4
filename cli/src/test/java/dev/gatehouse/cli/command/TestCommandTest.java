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

  @Test
  void test_invalidPolicy_printsItsErrorsAndExitsTwo(@TempDir Path dir) throws IOException {
    Path cases = dir.resolve("c.yaml");
    Files.writeString(cases, "- {request: \"GET https://pypi.org/\", expect: allow}\n");

    CliRun run = CliRun.of("test", CheckCommandTest.THREE_ERRORS, cases.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines())
        .hasSize(4)
        .endsWith(
            "gatehouse test: "
                + CheckCommandTest.THREE_ERRORS
                + " is invalid; fix the errors above (gatehouse check)")
        .filteredOn(l -> l.startsWith(CheckCommandTest.THREE_ERRORS + ":"))
        .hasSize(3)
        .allMatch(l -> l.contains(": error: "));
  }
}
