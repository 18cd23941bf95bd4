package dev.gatehouse.proxy.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Gatehouse's interception CA: a self-signed root that signs the per-host leaf certificates of
 * intercepted tunnels (SPEC §3). Created by {@code gatehouse ca init}, loaded by {@code serve} from
 * {@code tls.ca_cert}/{@code tls.ca_key}.
 *
 * <p>The certificate is what strict verifiers (OpenSSL's {@code X509_V_FLAG_X509_STRICT}, which
 * Python 3.13 turns on by default) require of a root: critical basicConstraints CA:true with
 * pathLen 0 (it signs leaves only), critical keyUsage keyCertSign|cRLSign, and a Subject Key
 * Identifier that leaves name in their Authority Key Identifier. BouncyCastle only builds the
 * certificate; keys and signatures use the JDK's own providers, so no security provider is
 * registered and the shaded jar needs no signed BouncyCastle jar.
 */
public final class CertificateAuthority {
  /** Validity of a CA made by {@link #create}. */
  public static final Duration CA_VALIDITY = Duration.ofDays(365);

  /** Certificates start this long before "now", for clients whose clock is a little behind. */
  static final Duration BACKDATE = Duration.ofHours(1);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final KeyAlgorithm algorithm;
  private final byte[] subjectKeyId;

  private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.algorithm = KeyAlgorithm.of(privateKey);
    this.subjectKeyId = subjectKeyIdOf(certificate);
  }

  /**
   * Makes a new CA with subject {@code CN=Gatehouse Interception CA (<hostname>, <yyyy-mm-dd>),
   * O=Gatehouse}, valid for {@link #CA_VALIDITY} from {@code clock}'s now.
   */
  public static CertificateAuthority create(KeyAlgorithm algorithm, String hostname, Clock clock) {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(hostname, "hostname");
    Instant now = clock.instant();
    try {
      KeyPair keys = generateKeyPair(algorithm);
      String date = DateTimeFormatter.ISO_LOCAL_DATE.format(now.atZone(ZoneOffset.UTC));
      X500Name subject =
          new X500NameBuilder(BCStyle.INSTANCE)
              .addRDN(BCStyle.O, "Gatehouse")
              .addRDN(BCStyle.CN, "Gatehouse Interception CA (" + hostname + ", " + date + ")")
              .build();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      var ski = ext.createSubjectKeyIdentifier(keys.getPublic());
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  randomSerial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(CA_VALIDITY)),
                  subject,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(Extension.subjectKeyIdentifier, false, ski)
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  new AuthorityKeyIdentifier(ski.getKeyIdentifier()));
      X509Certificate cert =
          Certificates.toX509(
              builder.build(
                  new JcaContentSignerBuilder(algorithm.signatureAlgorithm())
                      .build(keys.getPrivate())));
      return new CertificateAuthority(cert, keys.getPrivate());
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create a " + algorithm + " CA", e);
    }
  }

  /**
   * Loads a CA from PEM files ({@code tls.ca_cert}, {@code tls.ca_key}): the first certificate in
   * {@code certFile}, an unencrypted PKCS#8, SEC1 or PKCS#1 key, which must match it. The
   * certificate must be a CA allowed to sign certificates; expiry is not checked here (see {@link
   * #checkValidAt}) so that {@code ca show} can still describe an expired CA.
   */
  public static CertificateAuthority load(Path certFile, Path keyFile) throws CaException {
    X509Certificate cert = Pem.readCertificates(certFile).get(0);
    PrivateKey key = Pem.readPrivateKey(keyFile);
    if (cert.getBasicConstraints() < 0) {
      throw new CaException(certFile + ": not a CA certificate (basicConstraints CA:true missing)");
    }
    boolean[] usage = cert.getKeyUsage();
    if (usage != null && (usage.length < 6 || !usage[5])) {
      throw new CaException(certFile + ": the CA certificate's keyUsage lacks keyCertSign");
    }
    if (!matches(key, cert.getPublicKey())) {
      throw new CaException(keyFile + ": this key does not belong to the certificate " + certFile);
    }
    try {
      return new CertificateAuthority(cert, key);
    } catch (IllegalArgumentException e) {
      throw new CaException(keyFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes the certificate (mode 0644) and the key (mode 0600, set at creation). Refuses when
   * either file exists unless {@code force}; with {@code force} each file is replaced atomically.
   */
  public void write(Path certFile, Path keyFile, boolean force) throws CaException {
    if (certFile.toAbsolutePath().normalize().equals(keyFile.toAbsolutePath().normalize())) {
      throw new CaException("tls.ca_cert and tls.ca_key are the same file: " + certFile);
    }
    if (!force) {
      for (Path file : List.of(keyFile, certFile)) {
        if (Files.exists(file)) {
          throw new CaException(
              file
                  + " already exists; not overwriting it (use --force to replace the CA: every"
                  + " sandbox that trusts the old CA must then be given the new one)");
        }
      }
    }
    writeOne(keyFile, Pem.privateKey(privateKey), Pem.OWNER_ONLY, force);
    writeOne(certFile, certificatePem(), Pem.PUBLIC_READ, force);
  }

  private static void writeOne(
      Path file, String pem, Set<PosixFilePermission> permissions, boolean force)
      throws CaException {
    try {
      Pem.write(file, pem, permissions, force);
    } catch (FileAlreadyExistsException e) {
      throw new CaException(file + " already exists; not overwriting it (use --force)", e);
    } catch (IOException e) {
      throw new CaException("cannot write " + file + ": " + e, e);
    }
  }

  /** Fails with a clear message when the CA is not valid at {@code now}. */
  public void checkValidAt(Instant now) throws CaException {
    if (now.isAfter(notAfter())) {
      throw new CaException(
          "the interception CA expired on "
              + notAfter()
              + " ("
              + subject()
              + "); make a new one with: gatehouse ca init --force");
    }
    if (now.isBefore(certificate.getNotBefore().toInstant())) {
      throw new CaException(
          "the interception CA is not valid before " + certificate.getNotBefore().toInstant());
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** Only the leaf issuer signs with it. */
  PrivateKey privateKey() {
    return privateKey;
  }

  public KeyAlgorithm algorithm() {
    return algorithm;
  }

  /** The CA's Subject Key Identifier: every leaf names it as its Authority Key Identifier. */
  byte[] subjectKeyId() {
    return subjectKeyId.clone();
  }

  /** RFC 2253 form, e.g. {@code CN=Gatehouse Interception CA (vm\, 2026-11-27),O=Gatehouse}. */
  public String subject() {
    return certificate.getSubjectX500Principal().getName();
  }

  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  /** SHA-256 of the DER certificate, as {@code openssl x509 -fingerprint -sha256} prints it. */
  public String sha256Fingerprint() {
    return sha256Fingerprint(certificate);
  }

  /** The first certificate of a PEM file, without its key ({@code ca show}, {@code ca export}). */
  public static X509Certificate readCertificate(Path certFile) throws CaException {
    return Pem.readCertificates(certFile).get(0);
  }

  /** {@code AA:BB:...}, as {@code openssl x509 -fingerprint -sha256} prints it. */
  public static String sha256Fingerprint(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The trust bundle a sandbox needs: this CA's certificate in PEM. */
  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  @Override
  public String toString() {
    // never the key
    return "CertificateAuthority[" + subject() + ", " + algorithm + ", until " + notAfter() + "]";
  }

  /**
   * The host name for the CA's subject, without DNS ({@code InetAddress.getLocalHost()} can send a
   * query): {@code $HOSTNAME}, else {@code /etc/hostname}, else {@code localhost}.
   */
  public static String localHostname() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      Path etc = Path.of("/etc/hostname");
      if (Files.isReadable(etc)) {
        String name = Files.readString(etc, StandardCharsets.US_ASCII).strip();
        if (!name.isEmpty() && name.length() <= 253) {
          return name;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through to the default
    }
    return "localhost";
  }

  static KeyPair generateKeyPair(KeyAlgorithm algorithm) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.jcaName());
    if (algorithm == KeyAlgorithm.EC_P256) {
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    } else {
      generator.initialize(3072, RANDOM);
    }
    return generator.generateKeyPair();
  }

  /** A positive, non-zero serial of at most 16 octets (RFC 5280 §4.1.2.2 allows 20). */
  static BigInteger randomSerial() {
    return new BigInteger(127, RANDOM).setBit(126);
  }

  private static byte[] subjectKeyIdOf(X509Certificate cert) {
    byte[] ext = cert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    try {
      if (ext != null) {
        ASN1OctetString inner =
            ASN1OctetString.getInstance(JcaX509ExtensionUtils.parseExtensionValue(ext));
        return inner.getOctets();
      }
      // a CA made elsewhere without an SKI: use the RFC 5280 method 1 value leaves will name
      return new JcaX509ExtensionUtils()
          .createSubjectKeyIdentifier(cert.getPublicKey())
          .getKeyIdentifier();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("unreadable Subject Key Identifier", e);
    }
  }

  private static boolean matches(PrivateKey key, PublicKey publicKey) {
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    try {
      String alg = KeyAlgorithm.of(key).signatureAlgorithm();
      byte[] probe = "gatehouse key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(alg);
      signer.initSign(key);
      signer.update(probe);
      byte[] sig = signer.sign();
      Signature verifier = Signature.getInstance(alg);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(sig);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
