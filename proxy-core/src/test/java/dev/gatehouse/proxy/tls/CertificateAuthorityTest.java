package dev.gatehouse.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
  private final TestClocks time = new TestClocks();
  @TempDir Path dir;

  private CertificateAuthority ec() {
    return CertificateAuthority.create(KeyAlgorithm.EC_P256, "vm", time.clock);
  }

  @Test
  void create_ec_hasStrictCaExtensions() throws Exception {
    CertificateAuthority ca = ec();
    X509Certificate cert = ca.certificate();
    X509CertificateHolder holder = new X509CertificateHolder(cert.getEncoded());

    assertThat(cert.getVersion()).isEqualTo(3);
    Extension bc = holder.getExtension(Extension.basicConstraints);
    assertThat(bc.isCritical()).isTrue();
    BasicConstraints constraints = BasicConstraints.getInstance(bc.getParsedValue());
    assertThat(constraints.isCA()).isTrue();
    assertThat(constraints.getPathLenConstraint()).isZero();

    Extension ku = holder.getExtension(Extension.keyUsage);
    assertThat(ku.isCritical()).isTrue();
    KeyUsage usage = KeyUsage.getInstance(ku.getParsedValue());
    assertThat(usage.hasUsages(KeyUsage.keyCertSign | KeyUsage.cRLSign)).isTrue();
    assertThat(usage.hasUsages(KeyUsage.digitalSignature)).isFalse();

    assertThat(holder.getExtension(Extension.subjectKeyIdentifier)).isNotNull();
    assertThat(ca.subjectKeyId()).hasSize(20);
    assertThat(cert.getPublicKey()).isInstanceOf(ECPublicKey.class);
    assertThat(((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize())
        .isEqualTo(256);
    assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
    cert.verify(cert.getPublicKey()); // self-signed
  }

  @Test
  void create_subjectAndValidity_followTheClock() {
    CertificateAuthority ca = ec();
    assertThat(ca.subject())
        .isEqualTo("CN=Gatehouse Interception CA (vm\\, 2026-11-27),O=Gatehouse");
    assertThat(ca.certificate().getIssuerX500Principal())
        .isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(ca.notAfter()).isEqualTo(TestClocks.START.plus(Duration.ofDays(365)));
    assertThat(ca.certificate().getNotBefore().toInstant())
        .isEqualTo(TestClocks.START.minus(Duration.ofHours(1)));
    assertThat(ca.certificate().getSerialNumber().signum()).isPositive();
    assertThat(ca.sha256Fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    assertThat(ca.toString()).doesNotContain("PRIVATE");
  }

  @Test
  void create_rsa_isRsa3072() {
    CertificateAuthority ca = CertificateAuthority.create(KeyAlgorithm.RSA_3072, "vm", time.clock);
    assertThat(((RSAPublicKey) ca.certificate().getPublicKey()).getModulus().bitLength())
        .isEqualTo(3072);
    assertThat(ca.certificate().getSigAlgName()).isEqualTo("SHA256withRSA");
  }

  @Test
  void write_keyFileIsOwnerOnly_certIsPublic() throws Exception {
    Path cert = dir.resolve("gh/ca.pem");
    Path key = dir.resolve("gh/ca-key.pem");
    ec().write(cert, key, false);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cert)))
        .isEqualTo("rw-r--r--");
    // a folder we create for a private key is private too
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cert.getParent())))
        .isEqualTo("rwx------");
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(Files.readString(cert)).startsWith("-----BEGIN CERTIFICATE-----\n");
    try (var files = Files.list(cert.getParent())) {
      assertThat(files).hasSize(2); // no temporary files left behind
    }
  }

  @Test
  void write_existingFiles_neverOverwrittenWithoutForce() throws Exception {
    Path cert = dir.resolve("ca.pem");
    Path key = dir.resolve("ca-key.pem");
    CertificateAuthority first = ec();
    first.write(cert, key, false);
    String keyBefore = Files.readString(key);
    String certBefore = Files.readString(cert);

    assertThatThrownBy(() -> ec().write(cert, key, false))
        .isInstanceOf(CaException.class)
        .hasMessageContaining("already exists")
        .hasMessageContaining("--force");
    assertThat(Files.readString(key)).isEqualTo(keyBefore);
    assertThat(Files.readString(cert)).isEqualTo(certBefore);

    // only the key present (a half-finished earlier run) is refused too
    Files.delete(cert);
    assertThatThrownBy(() -> ec().write(cert, key, false)).isInstanceOf(CaException.class);
    assertThat(Files.readString(key)).isEqualTo(keyBefore);
    assertThat(cert).doesNotExist();
  }

  @Test
  void write_force_replacesBothAndKeepsKeyPrivate() throws Exception {
    Path cert = dir.resolve("ca.pem");
    Path key = dir.resolve("ca-key.pem");
    ec().write(cert, key, false);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    CertificateAuthority second = ec();
    second.write(cert, key, true);

    CertificateAuthority loaded = CertificateAuthority.load(cert, key);
    assertThat(loaded.certificate()).isEqualTo(second.certificate());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
  }

  @Test
  void load_roundTrip_keepsIdentityAndKey() throws Exception {
    Path cert = dir.resolve("ca.pem");
    Path key = dir.resolve("ca-key.pem");
    CertificateAuthority ca = CertificateAuthority.create(KeyAlgorithm.RSA_3072, "vm", time.clock);
    ca.write(cert, key, false);
    CertificateAuthority loaded = CertificateAuthority.load(cert, key);
    assertThat(loaded.certificate()).isEqualTo(ca.certificate());
    assertThat(loaded.privateKey()).isEqualTo(ca.privateKey());
    assertThat(loaded.algorithm()).isEqualTo(KeyAlgorithm.RSA_3072);
    assertThat(loaded.subjectKeyId()).isEqualTo(ca.subjectKeyId());
    assertThat(loaded.sha256Fingerprint()).isEqualTo(ca.sha256Fingerprint());
  }

  @Test
  void load_keyOfAnotherCa_isRefused() throws Exception {
    Path cert = dir.resolve("ca.pem");
    Path key = dir.resolve("ca-key.pem");
    ec().write(cert, dir.resolve("other-key.pem"), false);
    ec().write(dir.resolve("other.pem"), key, false);
    assertThatThrownBy(() -> CertificateAuthority.load(cert, key))
        .isInstanceOf(CaException.class)
        .hasMessageContaining("does not belong");
  }

  @Test
  void load_missingFiles_sayHowToCreateThem() {
    assertThatThrownBy(
            () -> CertificateAuthority.load(dir.resolve("ca.pem"), dir.resolve("ca-key.pem")))
        .isInstanceOf(CaException.class)
        .hasMessageContaining("gatehouse ca init");
  }

  @Test
  void load_leafCertificate_isNotACa() throws Exception {
    CertificateAuthority ca = ec();
    LeafCertificate leaf =
        LeafIssuer.create(ca, time.clock).issue(new dev.gatehouse.policy.Host.Name("a.test"));
    Path cert = dir.resolve("leaf.pem");
    Path key = dir.resolve("leaf-key.pem");
    Files.writeString(cert, Pem.certificate(leaf.certificate()));
    Files.writeString(key, Pem.privateKey(leaf.privateKey()));
    assertThatThrownBy(() -> CertificateAuthority.load(cert, key))
        .isInstanceOf(CaException.class)
        .hasMessageContaining("not a CA");
  }

  @Test
  void load_sec1EcKey_asOpensslWritesIt() throws Exception {
    CertificateAuthority ca = ec();
    Path cert = dir.resolve("ca.pem");
    Path key = dir.resolve("ca-key.pem");
    ca.write(cert, key, false);
    // re-encode the key as SEC1 "EC PRIVATE KEY" with an EC PARAMETERS block before it
    var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(ca.privateKey().getEncoded());
    var params = info.getPrivateKeyAlgorithm().getParameters();
    byte[] sec1 =
        new org.bouncycastle.asn1.sec.ECPrivateKey(
                256, ((java.security.interfaces.ECPrivateKey) ca.privateKey()).getS(), params)
            .getEncoded();
    Files.writeString(
        key,
        Pem.encode("EC PARAMETERS", params.toASN1Primitive().getEncoded())
            + Pem.encode("EC PRIVATE KEY", sec1));
    var loaded =
        (java.security.interfaces.ECPrivateKey) CertificateAuthority.load(cert, key).privateKey();
    assertThat(loaded.getS())
        .isEqualTo(((java.security.interfaces.ECPrivateKey) ca.privateKey()).getS());
  }

  @Test
  void checkValidAt_expired_namesTheFix() {
    CertificateAuthority ca = ec();
    time.advance(Duration.ofDays(366));
    assertThatThrownBy(() -> ca.checkValidAt(time.clock.instant()))
        .isInstanceOf(CaException.class)
        .hasMessageContaining("expired")
        .hasMessageContaining("gatehouse ca init --force");
  }
}
