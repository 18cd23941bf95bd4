package dev.gatehouse.proxy.tls;

import dev.gatehouse.config.model.ServerConfig;
import dev.gatehouse.proxy.http.UpstreamTls;
import dev.gatehouse.proxy.tunnel.TunnelInterceptor;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.TrustManagerFactory;

/**
 * Wires TLS interception for a server (SPEC §3): the CA from {@code tls.ca_cert}/{@code
 * tls.ca_key}, its leaf cache, and the verified upstream TLS, as the {@link TunnelInterceptor} that
 * the CONNECT stage hands inspected tunnels to.
 */
public final class Interception {
  private Interception() {}

  /**
   * The interceptor for {@code tls}: {@link TunnelInterceptor#REFUSE} when {@code intercept: never}
   * or when there is no CA file (tunnels that need interception are then refused, and {@code serve}
   * refuses to start a policy that needs it); otherwise the loaded CA.
   *
   * @throws CaException when the CA files exist but cannot be used (unreadable, mismatched,
   *     expired) or {@code tls.upstream_ca} is unreadable
   */
  public static TunnelInterceptor fromConfig(ServerConfig.Tls tls, Clock clock) throws CaException {
    if (tls.intercept() == ServerConfig.InterceptMode.NEVER || !Files.exists(tls.caCert())) {
      return TunnelInterceptor.REFUSE;
    }
    CertificateAuthority ca = CertificateAuthority.load(tls.caCert(), tls.caKey());
    ca.checkValidAt(clock.instant());
    return create(
        LeafCertificateCache.create(LeafIssuer.create(ca, clock)), upstreamTls(tls.upstreamCa()));
  }

  /**
   * An interceptor presenting leaves from {@code leaves} and securing upstreams with {@code
   * upstream}.
   */
  public static TunnelInterceptor create(LeafCertificateCache leaves, UpstreamTls upstream) {
    return new InterceptingTunnels(
        Objects.requireNonNull(leaves, "leaves"), Objects.requireNonNull(upstream, "upstream"));
  }

  /**
   * Upstream TLS trusting the JDK's roots plus every certificate in {@code extraCa} (PEM), with
   * host name verification and SNI; ALPN offers http/1.1, the only protocol the proxy speaks.
   */
  public static UpstreamTls upstreamTls(Optional<Path> extraCa) throws CaException {
    try {
      KeyStore roots = KeyStore.getInstance("PKCS12");
      roots.load(null, null);
      int i = 0;
      for (X509Certificate root : TrustBundle.jdkRoots()) {
        roots.setCertificateEntry("jdk-" + (i++), root);
      }
      List<X509Certificate> extra = new ArrayList<>();
      if (extraCa.isPresent()) {
        Path file = extraCa.get();
        if (!Files.isReadable(file)) {
          throw new CaException("tls.upstream_ca " + file + " does not exist or is not readable");
        }
        extra = Pem.readCertificates(file);
      }
      for (X509Certificate cert : extra) {
        roots.setCertificateEntry("upstream-ca-" + (i++), cert);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(roots);
      SslContext context =
          SslContextBuilder.forClient()
              .sslProvider(TlsProviders.provider())
              .trustManager(tmf)
              .protocols("TLSv1.3", "TLSv1.2")
              .endpointIdentificationAlgorithm("HTTPS")
              .applicationProtocolConfig(
                  new ApplicationProtocolConfig(
                      ApplicationProtocolConfig.Protocol.ALPN,
                      ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                      ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                      ApplicationProtocolNames.HTTP_1_1))
              .build();
      return new VerifiedUpstreamTls(context);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new CaException("cannot set up upstream TLS: " + e.getMessage(), e);
    }
  }
}
