package dev.gatehouse.proxy.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away CA and a leaf certificate for a set of DNS names, made at test time for the TLS mode
 * of {@link UpstreamServer}. Clients trust {@link #caPem()} ({@code curl --cacert}, {@code
 * GIT_SSL_CAINFO}, Python's {@code cafile}) or {@link #clientContext()} (Java).
 *
 * <p>A CA plus a leaf rather than one self-signed leaf: OpenSSL, GnuTLS (Debian's git) and Java all
 * accept that chain, while a self-signed end-entity certificate as trust anchor is refused by some
 * of them.
 */
public final class TestCertificates {
  private final X509Certificate ca;
  private final X509Certificate leaf;
  private final PrivateKey leafKey;
  private final Path caPem;

  private TestCertificates(
      X509Certificate ca, X509Certificate leaf, PrivateKey leafKey, Path caPem) {
    this.ca = ca;
    this.leaf = leaf;
    this.leafKey = leafKey;
    this.caPem = caPem;
  }

  /** A new CA and a leaf for {@code dnsNames}; the CA's PEM is written under {@code dir}. */
  public static TestCertificates create(Path dir, List<String> dnsNames) {
    try {
      KeyPair caKeys = ecKeyPair();
      KeyPair leafKeys = ecKeyPair();
      Instant now = Instant.now();
      X500Name caName = new X500Name("CN=Gatehouse test upstream CA");
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();

      X509v3CertificateBuilder caBuilder =
          new JcaX509v3CertificateBuilder(
              caName,
              serial(),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(1))),
              caName,
              caKeys.getPublic());
      caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      caBuilder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      caBuilder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          ext.createSubjectKeyIdentifier(caKeys.getPublic()));
      X509Certificate ca = sign(caBuilder, caKeys.getPrivate());

      X509v3CertificateBuilder leafBuilder =
          new JcaX509v3CertificateBuilder(
              ca,
              serial(),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(1))),
              new X500Name("CN=" + dnsNames.get(0)),
              leafKeys.getPublic());
      leafBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      leafBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      leafBuilder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      leafBuilder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              dnsNames.stream()
                  .map(n -> new GeneralName(GeneralName.dNSName, n))
                  .toArray(GeneralName[]::new)));
      leafBuilder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          ext.createSubjectKeyIdentifier(leafKeys.getPublic()));
      leafBuilder.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
      X509Certificate leaf = sign(leafBuilder, caKeys.getPrivate());

      Path caPem = dir.resolve("upstream-ca.pem");
      Files.writeString(caPem, pem(ca));
      return new TestCertificates(ca, leaf, leafKeys.getPrivate(), caPem);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make test certificates", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public X509Certificate ca() {
    return ca;
  }

  public X509Certificate leaf() {
    return leaf;
  }

  public PrivateKey leafKey() {
    return leafKey;
  }

  /** The CA certificate as a PEM file: what clients must trust. */
  public Path caPem() {
    return caPem;
  }

  /** An {@link SSLContext} that trusts only the test CA (for Java's HttpClient). */
  public SSLContext clientContext() {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("test-ca", ca);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), new SecureRandom());
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair ecKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, new SecureRandom()).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }
}
