package dev.gatehouse.proxy.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents one leaf. Handing Netty the key this way, rather than as key and certificate, skips the
 * PKCS#12 key store Netty would build per context, whose password-based encryption of the key
 * (PBKDF2, thousands of iterations) cost more than minting the certificate.
 */
final class LeafKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "leaf";

  private final PrivateKey key;
  private final X509Certificate[] chain;

  LeafKeyManager(LeafCertificate leaf) {
    this.key = leaf.privateKey();
    this.chain = new X509Certificate[] {leaf.certificate()};
  }

  private String aliasFor(String keyType) {
    return key.getAlgorithm().equals(keyType) ? ALIAS : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    String alias = aliasFor(keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
