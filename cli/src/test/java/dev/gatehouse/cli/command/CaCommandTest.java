package dev.gatehouse.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.proxy.tls.CertificateAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaCommandTest {
  @TempDir Path dir;
  Path config;

  /** The config the benchmark writes (../shared/bench/proxies/gatehouse.sh), paths relative. */
  @BeforeEach
  void benchStyleConfig() throws Exception {
    Path run = Files.createDirectories(dir.resolve("run/gatehouse"));
    config = run.resolve("gatehouse.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "listen: 127.0.0.1:19128",
            "admin: { listen: 127.0.0.1:19129 }",
            "policy: policy.yaml",
            "audit: { file: audit.jsonl }",
            "tls:",
            "  ca_cert: ca.pem                   # relative to this file (SPEC §9)",
            "  ca_key: ca-key.pem",
            "  upstream_ca: " + dir.resolve("origin.crt"),
            "  intercept: auto",
            ""));
  }

  private Path caCert() {
    return config.resolveSibling("ca.pem");
  }

  private Path caKey() {
    return config.resolveSibling("ca-key.pem");
  }

  @Test
  void init_benchConfig_createsCaBesideTheConfig() throws Exception {
    CliRun run = CliRun.gatehouse("ca", "init", "--config", config.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("Gatehouse Interception CA (").contains("SHA-256:");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(caKey())))
        .isEqualTo("rw-------");
    CertificateAuthority ca = CertificateAuthority.load(caCert(), caKey());
    assertThat(ca.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(run.out()).contains(ca.sha256Fingerprint());
    // the bundle starts with the Gatehouse CA, then the system roots
    String bundle = Files.readString(config.resolveSibling("ca-bundle.pem"));
    assertThat(bundle).contains(ca.certificatePem());
    assertThat(bundle.split("BEGIN CERTIFICATE", -1).length - 1).isGreaterThan(10);
    KeyStore p12 = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(config.resolveSibling("ca-truststore.p12"))) {
      p12.load(in, "changeit".toCharArray());
    }
    assertThat((X509Certificate) p12.getCertificate("gatehouse-ca")).isEqualTo(ca.certificate());
  }

  @Test
  void init_twice_refusesAndKeepsTheFirstCa() throws Exception {
    assertThat(CliRun.gatehouse("ca", "init", "--config", config.toString()).exitCode()).isZero();
    String key = Files.readString(caKey());
    String cert = Files.readString(caCert());

    CliRun second = CliRun.gatehouse("ca", "init", "--config", config.toString());
    assertThat(second.exitCode()).isEqualTo(1);
    assertThat(second.err()).contains("already exists").contains("--force");
    assertThat(Files.readString(caKey())).isEqualTo(key);
    assertThat(Files.readString(caCert())).isEqualTo(cert);

    CliRun forced =
        CliRun.gatehouse("ca", "init", "--config", config.toString(), "--force", "--rsa");
    assertThat(forced.exitCode()).as(forced.err()).isZero();
    assertThat(Files.readString(caCert())).isNotEqualTo(cert);
    assertThat(
            CertificateAuthority.load(caCert(), caKey())
                .certificate()
                .getPublicKey()
                .getAlgorithm())
        .isEqualTo("RSA");
  }

  @Test
  void show_printsSubjectFingerprintExpiry() throws Exception {
    CliRun.gatehouse("ca", "init", "--config", config.toString());
    CertificateAuthority ca = CertificateAuthority.load(caCert(), caKey());

    CliRun show = CliRun.gatehouse("ca", "show", "--config", config.toString());
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out())
        .contains("subject:     " + ca.subject())
        .contains("SHA-256:     " + ca.sha256Fingerprint())
        .contains("expires:     " + ca.notAfter())
        .contains("(rw-------)");
  }

  @Test
  void show_keyReadableByOthers_warns() throws Exception {
    CliRun.gatehouse("ca", "init", "--config", config.toString());
    Files.setPosixFilePermissions(caKey(), PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(CliRun.gatehouse("ca", "show", "--config", config.toString()).out())
        .contains("readable by others");
  }

  @Test
  void show_noCa_saysHowToMakeOne() {
    CliRun show = CliRun.gatehouse("ca", "show", "--config", config.toString());
    assertThat(show.exitCode()).isEqualTo(1);
    assertThat(show.err()).contains("gatehouse ca init");
  }

  @Test
  void export_toStdout_caOnly_isJustTheCa() throws Exception {
    CliRun.gatehouse("ca", "init", "--config", config.toString());
    CliRun export =
        CliRun.gatehouse("ca", "export", "--config", config.toString(), "--out", "-", "--ca-only");
    assertThat(export.exitCode()).isZero();
    assertThat(export.out()).contains(Files.readString(caCert()));
    assertThat(export.out().split("BEGIN CERTIFICATE", -1)).hasSize(2);
  }

  @Test
  void export_toFile_printsTheCaVariables() throws Exception {
    CliRun.gatehouse("ca", "init", "--config", config.toString());
    Path out = dir.resolve("sandbox/trust.pem");
    CliRun export =
        CliRun.gatehouse("ca", "export", "--config", config.toString(), "--out", out.toString());
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(Files.readString(out)).contains(Files.readString(caCert()));
    assertThat(dir.resolve("sandbox/trust-truststore.p12")).exists();
    assertThat(export.out())
        .contains("export SSL_CERT_FILE=" + out.toAbsolutePath())
        .contains("export NODE_EXTRA_CA_CERTS=" + out.toAbsolutePath())
        .contains("export REQUESTS_CA_BUNDLE=");
  }

  @Test
  void init_badConfig_reportsLocation() throws Exception {
    Files.writeString(config, "tls:\n  ca_certt: x.pem\n");
    CliRun run = CliRun.gatehouse("ca", "init", "--config", config.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("gatehouse.yaml:2:");
    assertThat(caCert()).doesNotExist();
  }
}
