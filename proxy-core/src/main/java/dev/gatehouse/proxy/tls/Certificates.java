package dev.gatehouse.proxy.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.bouncycastle.cert.X509CertificateHolder;

/** Conversions between BouncyCastle's certificate holder and the JDK's certificate. */
final class Certificates {
  private Certificates() {}

  private static final ThreadLocal<CertificateFactory> FACTORY =
      ThreadLocal.withInitial(
          () -> {
            try {
              return CertificateFactory.getInstance("X.509");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException(e);
            }
          });

  static X509Certificate toX509(X509CertificateHolder holder)
      throws IOException, GeneralSecurityException {
    return (X509Certificate)
        FACTORY.get().generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
  }
}
