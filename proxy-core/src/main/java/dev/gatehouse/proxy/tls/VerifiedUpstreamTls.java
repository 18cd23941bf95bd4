package dev.gatehouse.proxy.tls;

import dev.gatehouse.proxy.http.UpstreamTls;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

/**
 * The upstream side of an intercepted tunnel: TLS to the origin with SNI, the origin's chain
 * verified against the trust roots (the JDK's plus {@code tls.upstream_ca}) and its name checked
 * the way HTTPS clients do (RFC 2818 / RFC 6125, endpoint identification {@code HTTPS}). A failure
 * becomes a 502 {@code upstream_error} whose message says which check failed.
 */
final class VerifiedUpstreamTls implements UpstreamTls {
  private final SslContext context;

  VerifiedUpstreamTls(SslContext context) {
    this.context = context;
  }

  @Override
  public Future<Channel> secure(Channel channel, String host, int port) {
    SslHandler handler = context.newHandler(channel.alloc(), host, port);
    SSLEngine engine = handler.engine();
    SSLParameters params = engine.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)) {
      params.setServerNames(List.of(new SNIHostName(host)));
    }
    engine.setSSLParameters(params);
    Promise<Channel> result = channel.eventLoop().newPromise();
    channel.pipeline().addFirst("upstream-tls", handler);
    handler
        .handshakeFuture()
        .addListener(
            f -> {
              if (f.isSuccess()) {
                result.trySuccess(channel);
              } else {
                result.tryFailure(explain(host, f.cause()));
              }
            });
    return result;
  }

  /** One line naming the check that failed; the original exception stays as the cause. */
  static SSLHandshakeException explain(String host, Throwable cause) {
    String why = null;
    for (Throwable t = cause; t != null && why == null; t = t.getCause()) {
      if (t instanceof CertificateExpiredException) {
        why = "the upstream certificate of " + host + " has expired";
      } else if (t instanceof CertificateNotYetValidException) {
        why = "the upstream certificate of " + host + " is not valid yet";
      } else if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
        why =
            "the upstream certificate of "
                + host
                + " is not trusted (no chain to the system roots or tls.upstream_ca: "
                + firstLine(t.getMessage())
                + ")";
      } else if (t instanceof java.security.cert.CertificateException
          && String.valueOf(t.getMessage()).contains("matching")) {
        why =
            "the upstream certificate does not name "
                + host
                + " ("
                + firstLine(t.getMessage())
                + ")";
      }
    }
    if (why == null) {
      why = "TLS handshake with " + host + " failed: " + firstLine(String.valueOf(cause));
    }
    SSLHandshakeException e = new SSLHandshakeException(why);
    e.initCause(cause);
    return e;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl >= 0 ? s.substring(0, nl) : s;
  }
}
