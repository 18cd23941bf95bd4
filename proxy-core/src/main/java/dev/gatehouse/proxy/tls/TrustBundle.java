package dev.gatehouse.proxy.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What a sandbox must trust: Gatehouse's CA plus the usual public roots. Most tools' CA variables
 * ({@code SSL_CERT_FILE}, {@code REQUESTS_CA_BUNDLE}, {@code GIT_SSL_CAINFO}, ...) replace the
 * tool's trust store rather than add to it, so a file holding the Gatehouse CA alone would break
 * every tunnelled (not intercepted) host; the bundle keeps both working. Java gets the same set as
 * a PKCS#12 trust store.
 */
public final class TrustBundle {
  /** The conventional password of Java trust stores; it protects nothing secret. */
  public static final String TRUSTSTORE_PASSWORD = "changeit";

  /** Where Linux distributions keep their PEM root bundle (Debian, RHEL, Alpine/openSUSE). */
  private static final List<Path> SYSTEM_BUNDLES =
      List.of(
          Path.of("/etc/ssl/certs/ca-certificates.crt"),
          Path.of("/etc/pki/tls/certs/ca-bundle.crt"),
          Path.of("/etc/ssl/cert.pem"),
          Path.of("/etc/ssl/ca-bundle.pem"));

  private TrustBundle() {}

  /** {@code ca.pem} → {@code ca-bundle.pem} in the same folder. */
  public static Path bundlePathFor(Path caCert) {
    return sibling(caCert, "-bundle.pem");
  }

  /** {@code ca.pem} → {@code ca-truststore.p12} in the same folder. */
  public static Path truststorePathFor(Path caCert) {
    return sibling(caCert, "-truststore.p12");
  }

  private static Path sibling(Path caCert, String suffix) {
    String name = caCert.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    return caCert.resolveSibling(stem + suffix);
  }

  /**
   * The PEM bundle: Gatehouse's CA first, then the system's roots (the distribution's bundle file
   * as it is, else the JDK's trust store) unless {@code caOnly}.
   */
  public static String pem(X509Certificate ca, boolean caOnly) {
    StringBuilder out = new StringBuilder();
    out.append("# Gatehouse interception CA: ")
        .append(ca.getSubjectX500Principal().getName())
        .append('\n')
        .append(Pem.certificate(ca));
    if (caOnly) {
      return out.toString();
    }
    Optional<String> system = systemBundleText();
    if (system.isPresent()) {
      out.append('\n').append(system.get());
      if (!system.get().endsWith("\n")) {
        out.append('\n');
      }
    } else {
      for (X509Certificate root : jdkRoots()) {
        out.append(Pem.certificate(root));
      }
    }
    return out.toString();
  }

  /** Writes {@link #pem} to {@code file} (mode 0644, replaced atomically). */
  public static void writePem(Path file, X509Certificate ca, boolean caOnly) throws IOException {
    Pem.write(file, pem(ca, caOnly), Pem.PUBLIC_READ, true);
  }

  /**
   * Writes a PKCS#12 trust store with the JDK's roots and Gatehouse's CA, for {@code
   * -Djavax.net.ssl.trustStore} (Java reads no CA variable and, before Java 24, no PEM trust
   * store).
   */
  public static void writeTruststore(Path file, X509Certificate ca) throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (X509Certificate root : jdkRoots()) {
        store.setCertificateEntry("root-" + (i++), root);
      }
      store.setCertificateEntry("gatehouse-ca", ca);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      store.store(bytes, TRUSTSTORE_PASSWORD.toCharArray());
      Pem.write(file, bytes.toByteArray(), Pem.PUBLIC_READ, true);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot build the trust store " + file + ": " + e.getMessage(), e);
    }
  }

  private static Optional<String> systemBundleText() {
    for (Path file : SYSTEM_BUNDLES) {
      try {
        if (!Files.isReadable(file)) {
          continue;
        }
        byte[] bytes = Files.readAllBytes(file);
        // only a file that really holds certificates
        if (!CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(bytes))
            .isEmpty()) {
          return Optional.of(new String(bytes, StandardCharsets.US_ASCII));
        }
      } catch (IOException | GeneralSecurityException e) {
        // try the next location
      }
    }
    return Optional.empty();
  }

  /** The roots the JDK trusts by default ({@code cacerts}). */
  static List<X509Certificate> jdkRoots() {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init((KeyStore) null);
      List<X509Certificate> roots = new ArrayList<>();
      for (var tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x509) {
          roots.addAll(List.of(x509.getAcceptedIssuers()));
        }
      }
      return roots;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the JDK's default trust store", e);
    }
  }
}
