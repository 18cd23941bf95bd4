package dev.gatehouse.proxy.tls;

/** Key type of the interception CA. Leaf keys are always EC P-256. */
public enum KeyAlgorithm {
  /** ECDSA on NIST P-256 with SHA-256: small, fast to sign with, accepted everywhere. */
  EC_P256("EC", "SHA256withECDSA"),
  /** RSA 3072 with SHA-256, for trust stores or policies that still require RSA roots. */
  RSA_3072("RSA", "SHA256withRSA");

  private final String jcaName;
  private final String signatureAlgorithm;

  KeyAlgorithm(String jcaName, String signatureAlgorithm) {
    this.jcaName = jcaName;
    this.signatureAlgorithm = signatureAlgorithm;
  }

  String jcaName() {
    return jcaName;
  }

  String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  static KeyAlgorithm of(java.security.Key key) {
    return switch (key.getAlgorithm()) {
      case "EC" -> EC_P256;
      case "RSA" -> RSA_3072;
      default ->
          throw new IllegalArgumentException(
              "unsupported CA key algorithm " + key.getAlgorithm() + " (expected EC or RSA)");
    };
  }
}
