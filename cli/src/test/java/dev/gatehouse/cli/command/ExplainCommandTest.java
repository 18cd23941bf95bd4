package dev.gatehouse.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.cli.CliRun;
import org.junit.jupiter.api.Test;

class ExplainCommandTest {
  static final String POLICY = "../config/examples/coding-agent.yaml";

  @Test
  void explain_allowedRequest_printsAllowWithRuleAndExitsZero() {
    CliRun run =
        CliRun.of(
            "explain", POLICY, "--agent", "coder", "GET", "https://pypi.org/simple/requests/");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("allow").contains("python-packages");
  }

  @Test
  void explain_deniedRequest_listsEveryCandidateRuleAndExitsOne() {
    CliRun run =
        CliRun.of("explain", POLICY, "--agent", "coder", "GET", "https://pastebin.com/raw/x");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .startsWith("deny")
        .contains("no-paste-sites")
        .contains("python-packages")
        .contains("github-read");
  }

  @Test
  void explain_resolveToPrivateAddress_explainsAddressBlock() {
    CliRun run =
        CliRun.of(
            "explain",
            POLICY,
            "--agent",
            "coder",
            "--resolve",
            "pypi.org=10.1.2.3",
            "GET",
            "https://pypi.org/simple/");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("private_address").contains("10.1.2.3");
  }

  @Test
  void explain_jsonFormat_isMachineReadable() {
    CliRun run =
        CliRun.of(
            "explain", POLICY, "--format", "json", "--agent", "coder", "CONNECT", "pypi.org:443");

    assertThat(run.out())
        .startsWith("{")
        .contains("\"decision\":\"allow\"")
        .contains("\"rules\":[");
  }

  @Test
  void explain_urlWithoutScheme_isUsageError() {
    CliRun run = CliRun.of("explain", POLICY, "GET", "pypi.org/simple/");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("not an absolute URL");
  }

  @Test
  void explain_invalidPolicy_printsItsErrorsAndExitsTwo() {
    CliRun run = CliRun.of("explain", CheckCommandTest.THREE_ERRORS, "GET", "https://pypi.org/");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines())
        .hasSize(4)
        .endsWith(
            "gatehouse explain: "
                + CheckCommandTest.THREE_ERRORS
                + " is invalid; fix the errors above (gatehouse check)")
        .filteredOn(l -> l.startsWith(CheckCommandTest.THREE_ERRORS + ":"))
        .hasSize(3)
        .allMatch(l -> l.contains(": error: "));
  }
}
