package dev.gatehouse.proxy.tls;

import dev.gatehouse.policy.Host;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate minted for one intercepted host, with its key. {@link #toString} never shows the
 * key.
 */
public record LeafCertificate(Host host, X509Certificate certificate, PrivateKey privateKey) {
  public LeafCertificate {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  @Override
  public String toString() {
    return "LeafCertificate["
        + host
        + ", serial "
        + certificate.getSerialNumber().toString(16)
        + ", until "
        + certificate.getNotAfter().toInstant()
        + "]";
  }
}
