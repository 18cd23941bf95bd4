package dev.gatehouse.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.policy.Host;
import java.net.InetAddress;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

class LeafIssuerTest {
  private final TestClocks time = new TestClocks();
  private final CertificateAuthority ca =
      CertificateAuthority.create(KeyAlgorithm.EC_P256, "vm", time.clock);
  private final LeafIssuer issuer = LeafIssuer.create(ca, time.clock);

  @Test
  void issue_dnsHost_hasEveryExtensionStrictClientsWant() throws Exception {
    LeafCertificate leaf = issuer.issue(new Host.Name("api.example.test"));
    X509Certificate cert = leaf.certificate();
    X509CertificateHolder h = new X509CertificateHolder(cert.getEncoded());

    assertThat(cert.getVersion()).isEqualTo(3);
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=api.example.test");
    assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());

    Extension san = h.getExtension(Extension.subjectAlternativeName);
    assertThat(san.isCritical()).isFalse();
    GeneralName[] names = GeneralNames.getInstance(san.getParsedValue()).getNames();
    assertThat(names).hasSize(1);
    assertThat(names[0].getTagNo()).isEqualTo(GeneralName.dNSName);
    assertThat(names[0].getName().toString()).isEqualTo("api.example.test");

    AuthorityKeyIdentifier aki =
        AuthorityKeyIdentifier.getInstance(
            h.getExtension(Extension.authorityKeyIdentifier).getParsedValue());
    assertThat(aki.getKeyIdentifierOctets()).isEqualTo(ca.subjectKeyId());
    assertThat(aki.getAuthorityCertIssuer()).isNull();
    assertThat(h.getExtension(Extension.subjectKeyIdentifier)).isNotNull();

    Extension ku = h.getExtension(Extension.keyUsage);
    assertThat(ku.isCritical()).isTrue();
    assertThat(KeyUsage.getInstance(ku.getParsedValue()).hasUsages(KeyUsage.digitalSignature))
        .isTrue();
    assertThat(KeyUsage.getInstance(ku.getParsedValue()).hasUsages(KeyUsage.keyCertSign)).isFalse();
    ExtendedKeyUsage eku =
        ExtendedKeyUsage.getInstance(h.getExtension(Extension.extendedKeyUsage).getParsedValue());
    assertThat(eku.hasKeyPurposeId(KeyPurposeId.id_kp_serverAuth)).isTrue();
    assertThat(
            BasicConstraints.getInstance(
                    h.getExtension(Extension.basicConstraints).getParsedValue())
                .isCA())
        .isFalse();

    assertThat(cert.getPublicKey()).isInstanceOf(ECPublicKey.class);
    assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
    cert.verify(ca.certificate().getPublicKey());
  }

  @Test
  void issue_validity_isShortAndBackdated() throws Exception {
    X509Certificate cert = issuer.issue(new Host.Name("a.test")).certificate();
    assertThat(cert.getNotBefore().toInstant())
        .isEqualTo(TestClocks.START.minus(Duration.ofHours(1)));
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(TestClocks.START.plus(Duration.ofDays(7)));
  }

  @Test
  void issue_nearCaExpiry_neverOutlivesTheCa() throws Exception {
    time.advance(Duration.ofDays(362));
    X509Certificate cert = issuer.issue(new Host.Name("a.test")).certificate();
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(ca.notAfter());
  }

  @Test
  void issue_expiredCa_fails() {
    time.advance(Duration.ofDays(400));
    assertThatThrownBy(() -> issuer.issue(new Host.Name("a.test")))
        .isInstanceOf(CaException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void issue_ipHosts_getIpSans() throws Exception {
    for (String literal : List.of("127.0.0.1", "::1")) {
      Host host = new Host.Ip(InetAddress.getByName(literal)); // a literal: no DNS
      X509Certificate cert = issuer.issue(host).certificate();
      var sans = cert.getSubjectAlternativeNames();
      assertThat(sans).hasSize(1);
      List<?> san = sans.iterator().next();
      assertThat(san.get(0)).isEqualTo(GeneralName.iPAddress);
      assertThat(InetAddress.getByName((String) san.get(1)))
          .isEqualTo(InetAddress.getByName(literal));
    }
  }

  @Test
  void issue_longHost_emptySubjectAndCriticalSan() throws Exception {
    String longName = "a".repeat(60) + ".example.test"; // > 64 characters
    X509CertificateHolder h =
        new X509CertificateHolder(issuer.issue(new Host.Name(longName)).certificate().getEncoded());
    assertThat(h.getSubject().getRDNs()).isEmpty();
    assertThat(h.getExtension(Extension.subjectAlternativeName).isCritical()).isTrue();
  }

  @Test
  void issue_eachLeaf_hasItsOwnKeyAndSerial() throws Exception {
    LeafCertificate a = issuer.issue(new Host.Name("a.test"));
    LeafCertificate b = issuer.issue(new Host.Name("a.test"));
    assertThat(a.certificate().getSerialNumber()).isNotEqualTo(b.certificate().getSerialNumber());
    assertThat(a.certificate().getPublicKey()).isNotEqualTo(b.certificate().getPublicKey());
    assertThat(a.certificate().getSerialNumber().signum()).isPositive();
    assertThat(a.toString()).doesNotContain("PRIVATE").contains("a.test");
  }

  @Test
  void issue_sharedKeyIssuer_reusesOneKey() throws Exception {
    LeafIssuer shared = LeafIssuer.create(ca, time.clock, Duration.ofDays(7), true);
    LeafCertificate a = shared.issue(new Host.Name("a.test"));
    LeafCertificate b = shared.issue(new Host.Name("b.test"));
    assertThat(a.certificate().getPublicKey()).isEqualTo(b.certificate().getPublicKey());
  }

  @Test
  void issue_rsaCa_signsWithRsa() throws Exception {
    CertificateAuthority rsa = CertificateAuthority.create(KeyAlgorithm.RSA_3072, "vm", time.clock);
    X509Certificate cert =
        LeafIssuer.create(rsa, time.clock).issue(new Host.Name("a.test")).certificate();
    assertThat(cert.getSigAlgName()).isEqualTo("SHA256withRSA");
    assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
    cert.verify(rsa.certificate().getPublicKey());
  }

  @Test
  void issue_chain_passesJavasDefaultTrustManagerWithTheCaAdded() throws Exception {
    // validity is checked against the real clock by the trust manager: issue "now"
    CertificateAuthority realCa =
        CertificateAuthority.create(KeyAlgorithm.EC_P256, "vm", java.time.Clock.systemUTC());
    LeafCertificate leaf =
        LeafIssuer.create(realCa, java.time.Clock.systemUTC()).issue(new Host.Name("a.test"));
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("gatehouse", realCa.certificate());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
    tm.checkServerTrusted(new X509Certificate[] {leaf.certificate()}, "ECDHE_ECDSA");

    // and PKIX itself, with the CA as the only anchor
    var path =
        CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf.certificate()));
    PKIXParameters params = new PKIXParameters(trust);
    params.setRevocationEnabled(false);
    java.security.cert.CertPathValidator.getInstance("PKIX").validate(path, params);
  }
}
