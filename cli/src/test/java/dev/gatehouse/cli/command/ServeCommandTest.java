package dev.gatehouse.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.cli.CliRun;
import dev.gatehouse.config.model.HostPort;
import dev.gatehouse.config.model.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The paths of {@code serve} that end without serving (a running server is covered by the ITs). */
class ServeCommandTest {
  @TempDir Path dir;

  @Test
  void invalidPolicy_exits1WithLocatedErrors() throws Exception {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(
        policy, "version: 1\nrules:\n  - id: x\n    allow: [a.example]\n    colour: red\n");
    CliRun run =
        CliRun.of(
            "serve",
            "--policy",
            policy.toString(),
            "--listen",
            "127.0.0.1:0",
            "--admin-listen",
            "127.0.0.1:0");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("policy.yaml:5:5: error:").contains("colour");
  }

  @Test
  void badListenAddress_isAUsageError() {
    CliRun run = CliRun.of("serve", "--listen", "nonsense");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--listen needs HOST:PORT");
  }

  @Test
  void parseHostPort_acceptsIpv6InBrackets() {
    assertThat(ServeCommand.parseHostPort("[::1]:3128", "--listen"))
        .isEqualTo(new HostPort("::1", 3128));
    assertThat(ServeCommand.parseHostPort("0.0.0.0:8080", "--listen"))
        .isEqualTo(new HostPort("0.0.0.0", 8080));
    assertThatThrownBy(() -> ServeCommand.parseHostPort("host:99999", "--listen"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void firstRunCa_noCaYet_createsCaWithPrivateKeyOnce() throws Exception {
    ServerConfig.Tls tls =
        new ServerConfig.Tls(
            dir.resolve("gh/ca.pem"),
            dir.resolve("gh/ca-key.pem"),
            Optional.empty(),
            ServerConfig.InterceptMode.AUTO);
    StringWriter out = new StringWriter();

    assertThat(ServeCommand.firstRunCa(tls, new PrintWriter(out, true))).isTrue();
    byte[] first = Files.readAllBytes(tls.caKey());
    assertThat(ServeCommand.firstRunCa(tls, new PrintWriter(out, true))).isFalse();

    assertThat(out.toString()).contains("created the interception CA at " + tls.caCert());
    assertThat(Files.readAllBytes(tls.caKey())).isEqualTo(first);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.caKey())))
        .isEqualTo("rw-------");
  }

  @Test
  void firstRunCa_interceptNever_createsNothing() throws Exception {
    ServerConfig.Tls tls =
        new ServerConfig.Tls(
            dir.resolve("ca.pem"),
            dir.resolve("ca-key.pem"),
            Optional.empty(),
            ServerConfig.InterceptMode.NEVER);

    assertThat(ServeCommand.firstRunCa(tls, new PrintWriter(new StringWriter()))).isFalse();
    assertThat(tls.caCert()).doesNotExist();
  }
}
