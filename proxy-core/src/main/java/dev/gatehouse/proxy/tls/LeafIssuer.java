package dev.gatehouse.proxy.tls;

import dev.gatehouse.policy.Host;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Mints the leaf certificate an intercepted tunnel presents for its host: EC P-256, SAN with the
 * host (DNS name or IP address), Authority and Subject Key Identifiers, keyUsage digitalSignature,
 * EKU serverAuth, valid from an hour ago for {@link #DEFAULT_VALIDITY} (never past the CA's own
 * expiry), random serial. Thread-safe; callers cache the result (see {@link LeafCertificateCache}):
 * issuance costs a signature and runs off the event loop.
 */
public final class LeafIssuer {
  /** Short, so a leaf that leaks out of a sandbox is soon useless. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(7);

  /** X.520 upper bound for commonName; longer hosts get an empty subject and a critical SAN. */
  private static final int MAX_CN = 64;

  private final CertificateAuthority ca;
  private final Clock clock;
  private final Duration validity;
  private final KeyPair sharedKeys;
  private final AuthorityKeyIdentifier authorityKeyId;

  private LeafIssuer(CertificateAuthority ca, Clock clock, Duration validity, KeyPair sharedKeys) {
    this.ca = ca;
    this.clock = clock;
    this.validity = validity;
    this.sharedKeys = sharedKeys;
    this.authorityKeyId = new AuthorityKeyIdentifier(ca.subjectKeyId());
  }

  /** An issuer that gives every host its own fresh key pair. */
  public static LeafIssuer create(CertificateAuthority ca, Clock clock) {
    return create(ca, clock, DEFAULT_VALIDITY, false);
  }

  /**
   * @param shareKey one key pair for every leaf of this issuer (per-host certificates, same key):
   *     saves a key generation per host. The key lives in the same process as the CA key, so it
   *     widens no exposure; per-host keys are the default because issuance is fast enough without.
   */
  public static LeafIssuer create(
      CertificateAuthority ca, Clock clock, Duration validity, boolean shareKey) {
    Objects.requireNonNull(ca, "ca");
    Objects.requireNonNull(clock, "clock");
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("leaf validity " + validity + " must be positive");
    }
    try {
      KeyPair shared = shareKey ? CertificateAuthority.generateKeyPair(KeyAlgorithm.EC_P256) : null;
      return new LeafIssuer(ca, clock, validity, shared);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate an EC P-256 key", e);
    }
  }

  public CertificateAuthority authority() {
    return ca;
  }

  Clock clock() {
    return clock;
  }

  /** Mints a certificate for {@code host}; fails when the CA has expired. */
  public LeafCertificate issue(Host host) throws CaException {
    Objects.requireNonNull(host, "host");
    Instant now = clock.instant();
    ca.checkValidAt(now);
    Instant notAfter = now.plus(validity);
    if (notAfter.isAfter(ca.notAfter())) {
      notAfter = ca.notAfter();
    }
    try {
      KeyPair keys =
          sharedKeys != null
              ? sharedKeys
              : CertificateAuthority.generateKeyPair(KeyAlgorithm.EC_P256);
      String name = host.toString();
      boolean ip = host instanceof Host.Ip;
      boolean withCn = name.length() <= MAX_CN;
      X500Name subject =
          withCn
              ? new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build()
              : new X500Name(new org.bouncycastle.asn1.x500.RDN[0]);
      GeneralName san = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, name);
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      var builder =
          new JcaX509v3CertificateBuilder(
                  ca.certificate(),
                  CertificateAuthority.randomSerial(),
                  Date.from(now.minus(CertificateAuthority.BACKDATE)),
                  Date.from(notAfter),
                  subject,
                  keys.getPublic())
              // RFC 5280 §4.2.1.6: with an empty subject the SAN must be critical
              .addExtension(Extension.subjectAlternativeName, !withCn, new GeneralNames(san))
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(keys.getPublic()))
              .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId);
      ContentSigner signer =
          new JcaContentSignerBuilder(ca.algorithm().signatureAlgorithm()).build(ca.privateKey());
      X509Certificate cert = Certificates.toX509(builder.build(signer));
      return new LeafCertificate(host, cert, keys.getPrivate());
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new CaException("cannot issue a certificate for " + host + ": " + e.getMessage(), e);
    }
  }
}
