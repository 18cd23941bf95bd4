package dev.gatehouse.proxy.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * Which TLS implementation interception uses: BoringSSL (netty-tcnative) when its native library
 * loads, the JDK's provider otherwise. Both are verified by the same strict-client tests.
 */
final class TlsProviders {
  /** True when BoringSSL is in use ({@code -Dgatehouse.tls.provider=jdk} forces the JDK's). */
  static final boolean OPENSSL =
      !"jdk".equals(System.getProperty("gatehouse.tls.provider")) && OpenSsl.isAvailable();

  private TlsProviders() {}

  static SslProvider provider() {
    return OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK;
  }
}
