package dev.gatehouse.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §3: a policy that needs interception without a CA fails {@code serve} with a clear error.
 */
class ServeInterceptionTest {
  @TempDir Path dir;
  Path config;

  @BeforeEach
  void files() throws Exception {
    config = dir.resolve("gatehouse.yaml");
    Files.writeString(
        dir.resolve("policy.yaml"),
        String.join(
            "\n",
            "version: 1",
            "rules:",
            "  - id: api-read",
            "    allow: [api.example.test]",
            "    methods: [GET]",
            ""));
  }

  private void writeConfig(String tlsExtra) throws Exception {
    Files.writeString(
        config,
        "listen: 127.0.0.1:0\nadmin: { listen: 127.0.0.1:0 }\npolicy: policy.yaml\n"
            + "tls: { ca_cert: ca.pem, ca_key: ca-key.pem"
            + tlsExtra
            + " }\n");
  }

  @Test
  void serve_policyNeedsInterceptionWithoutCa_failsNamingRuleAndFix() throws Exception {
    writeConfig("");
    CliRun run = CliRun.gatehouse("serve", "--config", config.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("rule api-read (")
        .contains("policy.yaml:3:")
        .contains("no interception CA at " + dir.resolve("ca.pem"))
        .contains("gatehouse ca init --config " + config);
  }

  @Test
  void serve_policyNeedsInterceptionWithoutCa_failsBeforeBindingAnything() throws Exception {
    // the listen port is taken: had serve bound before checking, it would fail on the bind
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Files.writeString(
          config,
          "listen: 127.0.0.1:"
              + taken.getLocalPort()
              + "\nadmin: { listen: 127.0.0.1:0 }\npolicy: policy.yaml\n"
              + "tls: { ca_cert: ca.pem, ca_key: ca-key.pem }\n");
      CliRun run = CliRun.gatehouse("serve", "--config", config.toString());
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).contains("no interception CA at").doesNotContain("cannot listen");
    }
  }

  @Test
  void serve_interceptAlwaysWithoutCa_fails() throws Exception {
    Files.writeString(
        dir.resolve("policy.yaml"), "version: 1\nrules:\n  - id: a\n    allow: [a.test]\n");
    writeConfig(", intercept: always");
    CliRun run = CliRun.gatehouse("serve", "--config", config.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("tls.intercept is always");
  }

  @Test
  void serve_caKeyOfAnotherCa_failsBeforeListening() throws Exception {
    writeConfig("");
    assertThat(CliRun.gatehouse("ca", "init", "--config", config.toString()).exitCode()).isZero();
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    Files.writeString(
        other.resolve("gatehouse.yaml"), "tls: { ca_cert: ca.pem, ca_key: ca-key.pem }\n");
    CliRun.gatehouse("ca", "init", "--config", other.resolve("gatehouse.yaml").toString());
    Files.copy(
        other.resolve("ca-key.pem"),
        dir.resolve("ca-key.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    CliRun run = CliRun.gatehouse("serve", "--config", config.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("does not belong");
  }
}
