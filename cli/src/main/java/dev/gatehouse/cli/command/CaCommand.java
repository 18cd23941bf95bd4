package dev.gatehouse.cli.command;

import dev.gatehouse.config.model.ServerConfig;
import dev.gatehouse.proxy.tls.CaException;
import dev.gatehouse.proxy.tls.CertificateAuthority;
import dev.gatehouse.proxy.tls.KeyAlgorithm;
import dev.gatehouse.proxy.tls.TrustBundle;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse ca init|show|export} (SPEC §8): the interception CA at the config's {@code
 * tls.ca_cert}/{@code tls.ca_key}. Exit 0 on success, 1 on failure, 2 on usage errors.
 */
@Command(
    name = "ca",
    description = "Create, show or export Gatehouse's TLS interception CA.",
    subcommands = {CaCommand.Init.class, CaCommand.Show.class, CaCommand.Export.class})
public final class CaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** {@code ca init}: a new CA, key 0600, never overwriting one without {@code --force}. */
  @Command(
      name = "init",
      description =
          "Create the CA (EC P-256, or RSA 3072 with --rsa) at tls.ca_cert/tls.ca_key, and the"
              + " trust bundle sandboxes need beside it.")
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Option(names = "--rsa", description = "RSA 3072 instead of EC P-256.")
    boolean rsa;

    @Option(
        names = "--force",
        description =
            "Replace an existing CA. Every sandbox that trusts the old one must get the new one.")
    boolean force;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<ServerConfig> loaded = config.load(err);
      if (loaded.isEmpty()) {
        return 1;
      }
      ServerConfig.Tls tls = loaded.get().tls();
      CertificateAuthority ca =
          CertificateAuthority.create(
              rsa ? KeyAlgorithm.RSA_3072 : KeyAlgorithm.EC_P256,
              CertificateAuthority.localHostname(),
              Clock.systemUTC());
      try {
        ca.write(tls.caCert(), tls.caKey(), force);
      } catch (CaException e) {
        err.println("gatehouse ca init: " + e.getMessage());
        return 1;
      }
      out.println("Created the Gatehouse interception CA");
      describe(out, ca.certificate());
      out.println("  certificate: " + tls.caCert().toAbsolutePath());
      out.println("  key:         " + tls.caKey().toAbsolutePath() + " (mode 0600)");
      int status = writeTrust(out, err, ca.certificate(), tls.caCert(), null, false);
      if (tls.intercept() == ServerConfig.InterceptMode.NEVER) {
        out.println("Note: tls.intercept is never, so serve will not use this CA.");
      }
      out.println(
          "Next: give sandboxes the trust bundle; `gatehouse env"
              + (config.file == null ? "" : " --config " + config.file)
              + "` prints their variables.");
      return status;
    }
  }

  /** {@code ca show}: subject, fingerprint, expiry, and the state of the key file. */
  @Command(name = "show", description = "Print the CA's subject, SHA-256 fingerprint and expiry.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<ExistingCa> ca = ExistingCa.read(config, err, "show");
      if (ca.isEmpty()) {
        return 1;
      }
      ServerConfig.Tls tls = ca.get().tls();
      X509Certificate cert = ca.get().certificate();
      out.println("Gatehouse interception CA");
      describe(out, cert);
      out.println("  certificate: " + tls.caCert().toAbsolutePath());
      int status = 0;
      Instant now = Instant.now();
      if (now.isAfter(cert.getNotAfter().toInstant())) {
        err.println("gatehouse ca show: the CA has EXPIRED; replace it: gatehouse ca init --force");
        status = 1;
      }
      out.println("  key:         " + tls.caKey().toAbsolutePath() + keyState(tls));
      try {
        CertificateAuthority.load(tls.caCert(), tls.caKey());
      } catch (CaException e) {
        err.println("gatehouse ca show: " + e.getMessage());
        status = 1;
      }
      return status;
    }

    private static String keyState(ServerConfig.Tls tls) {
      Path key = tls.caKey();
      if (!Files.exists(key)) {
        return " (MISSING)";
      }
      try {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(key);
        String mode = PosixFilePermissions.toString(perms);
        boolean open =
            perms.stream()
                .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"));
        return open
            ? " (" + mode + ": readable by others! chmod 600 " + key + ")"
            : " (" + mode + ")";
      } catch (IOException | UnsupportedOperationException e) {
        return "";
      }
    }
  }

  /** {@code ca export}: the PEM bundle a sandbox must trust, and the variables that point at it. */
  @Command(
      name = "export",
      description =
          "Write the trust bundle (Gatehouse CA + system roots, and a PKCS#12 trust store for"
              + " Java) and print the variables clients need; --out - prints the PEM instead.")
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        description =
            "Where to write the PEM bundle (default: ca-bundle.pem beside tls.ca_cert);"
                + " '-' prints it to standard output.")
    String outFile;

    @Option(
        names = "--ca-only",
        description =
            "Only the Gatehouse CA, without the system roots (for tools that add to their"
                + " trust store, like NODE_EXTRA_CA_CERTS).")
    boolean caOnly;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<ExistingCa> ca = ExistingCa.read(config, err, "export");
      if (ca.isEmpty()) {
        return 1;
      }
      ServerConfig.Tls tls = ca.get().tls();
      X509Certificate cert = ca.get().certificate();
      if ("-".equals(outFile)) {
        out.print(TrustBundle.pem(cert, caOnly));
        out.flush();
        return 0;
      }
      Path bundle = outFile == null ? null : Path.of(outFile);
      int status = writeTrust(out, err, cert, tls.caCert(), bundle, caOnly);
      if (status != 0) {
        return status;
      }
      Path written = bundle != null ? bundle : TrustBundle.bundlePathFor(tls.caCert());
      out.println();
      out.println("# the CA variables for a sandbox (gatehouse env adds the proxy variables):");
      SandboxEnv env = new SandboxEnv();
      env.addCaVariables(written.toAbsolutePath().toString(), Optional.empty());
      out.print(env.format(SandboxEnv.Format.SH));
      out.flush();
      return 0;
    }
  }

  /** The CA certificate named by the config, for the commands that read an existing CA. */
  record ExistingCa(ServerConfig.Tls tls, X509Certificate certificate) {
    /** Empty after printing why (bad config, no or unreadable CA) to {@code err}. */
    static Optional<ExistingCa> read(ConfigOption config, PrintWriter err, String command) {
      Optional<ServerConfig> loaded = config.load(err);
      if (loaded.isEmpty()) {
        return Optional.empty();
      }
      ServerConfig.Tls tls = loaded.get().tls();
      try {
        return Optional.of(new ExistingCa(tls, CertificateAuthority.readCertificate(tls.caCert())));
      } catch (CaException e) {
        err.println("gatehouse ca " + command + ": " + e.getMessage());
        return Optional.empty();
      }
    }
  }

  static void describe(PrintWriter out, X509Certificate cert) {
    Instant notAfter = cert.getNotAfter().toInstant();
    long days = Duration.between(Instant.now(), notAfter).toDays();
    out.println("  subject:     " + cert.getSubjectX500Principal().getName());
    out.println("  SHA-256:     " + CertificateAuthority.sha256Fingerprint(cert));
    out.println(
        "  expires:     "
            + notAfter
            + (days >= 0 ? " (in " + days + " days)" : " (EXPIRED " + -days + " days ago)"));
    out.println(
        "  key type:    "
            + ("EC".equals(cert.getPublicKey().getAlgorithm()) ? "EC P-256" : "RSA")
            + ", signed "
            + cert.getSigAlgName());
  }

  /**
   * Writes the PEM bundle and, beside it, the Java trust store; both are derived files and always
   * replaced. Returns the exit status.
   */
  static int writeTrust(
      PrintWriter out,
      PrintWriter err,
      X509Certificate cert,
      Path caCert,
      Path bundle,
      boolean caOnly) {
    Path pem = bundle != null ? bundle : TrustBundle.bundlePathFor(caCert);
    Path p12 =
        bundle != null
            ? TrustBundle.truststorePathFor(bundle)
            : TrustBundle.truststorePathFor(caCert);
    try {
      TrustBundle.writePem(pem, cert, caOnly);
      out.println(
          "  trust bundle: "
              + pem.toAbsolutePath()
              + (caOnly ? " (Gatehouse CA only)" : " (Gatehouse CA + system roots)"));
      if (!caOnly) {
        TrustBundle.writeTruststore(p12, cert);
        out.println(
            "  Java trust store: "
                + p12.toAbsolutePath()
                + " (PKCS#12, password "
                + TrustBundle.TRUSTSTORE_PASSWORD
                + ")");
      }
      return 0;
    } catch (IOException e) {
      err.println("gatehouse ca: cannot write the trust bundle: " + e.getMessage());
      return 1;
    }
  }
}
