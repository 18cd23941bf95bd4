package dev.gatehouse.proxy.tls;

import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.InvalidHostException;
import dev.gatehouse.proxy.http.InnerHttp;
import dev.gatehouse.proxy.http.UpstreamTls;
import dev.gatehouse.proxy.observe.TlsMode;
import dev.gatehouse.proxy.pipeline.Exchange;
import dev.gatehouse.proxy.tunnel.Tunnel;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsyncMapping;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletionException;

/**
 * The first stage of an inspected tunnel, right after {@code 200 Connection established}; it looks
 * at the first byte and replaces itself:
 *
 * <ul>
 *   <li>a TLS handshake: a {@link SniHandler} whose lookup checks that the ClientHello names the
 *       CONNECT host (an IP-literal CONNECT may omit SNI) and answers with the host's leaf context,
 *       minted off the event loop (reads stay suspended meanwhile); then the inner HTTP stages
 *       ({@link InnerHttp}, {@link TlsMode#INTERCEPT}) with verified upstream TLS;
 *   <li>plain HTTP (undici sends {@code http://} requests through CONNECT): the inner HTTP stages
 *       without TLS, every request decided on its own;
 *   <li>anything else: closed ({@code bad_request}); the host's rules name methods or paths, which
 *       only HTTP can satisfy.
 * </ul>
 */
final class InterceptStage extends ChannelInboundHandlerAdapter {
  static final String NAME = "intercept";
  private static final System.Logger LOG = System.getLogger(InterceptStage.class.getName());

  /** A ClientHello larger than this is refused (post-quantum key shares fit easily). */
  private static final int MAX_CLIENT_HELLO = 64 * 1024;

  /** Bounds the wait for the ClientHello and the leaf. */
  private static final long HELLO_TIMEOUT_MILLIS = 10_000;

  private final Tunnel tunnel;
  private final Exchange exchange;
  private final LeafCertificateCache leaves;
  private final UpstreamTls upstream;

  InterceptStage(
      Tunnel tunnel, Exchange exchange, LeafCertificateCache leaves, UpstreamTls upstream) {
    this.tunnel = tunnel;
    this.exchange = exchange;
    this.leaves = leaves;
    this.upstream = upstream;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in) || !in.isReadable()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    int first = in.getUnsignedByte(in.readerIndex());
    ChannelPipeline p = ctx.pipeline();
    if (first == 22) { // TLS handshake record
      if (exchange != null) {
        exchange.tls(TlsMode.INTERCEPT);
      }
      p.addAfter(
          ctx.name(),
          "intercept-sni",
          new SniHandler(mapping(), MAX_CLIENT_HELLO, HELLO_TIMEOUT_MILLIS));
      p.addAfter("intercept-sni", InterceptGuard.NAME, new InterceptGuard(tunnel, exchange));
      InnerHttp.install(p, tunnel, TlsMode.INTERCEPT, upstream);
    } else if (first >= 'A' && first <= 'Z') { // an HTTP method: the codec judges the rest
      InnerHttp.install(p, tunnel, TlsMode.NONE, UpstreamTls.PLAINTEXT);
    } else {
      in.release();
      InterceptGuard.refuse(
          ctx,
          tunnel,
          exchange,
          "the tunnel carries neither TLS nor HTTP, and the rules for "
              + tunnel.hostName()
              + " name methods or paths");
      return;
    }
    ctx.fireChannelRead(in);
    p.remove(this);
  }

  /**
   * SNI → context: the leaf is always for the CONNECT host; the server name only has to agree with
   * it.
   */
  private AsyncMapping<String, SslContext> mapping() {
    return (serverName, promise) -> {
      String problem = sniProblem(tunnel.host(), serverName);
      if (problem != null) {
        return promise.setFailure(new SniMismatchException(problem));
      }
      leaves
          .serverContext(tunnel.host())
          .whenComplete(
              (leaf, error) -> {
                if (error != null) {
                  promise.tryFailure(
                      error instanceof CompletionException && error.getCause() != null
                          ? error.getCause()
                          : error);
                } else {
                  promise.trySuccess(leaf.sslContext());
                }
              });
      return promise;
    };
  }

  /** Null when {@code serverName} (null: no SNI) may open a tunnel to {@code host}. */
  static String sniProblem(Host host, String serverName) {
    if (serverName == null || serverName.isEmpty()) {
      return host instanceof Host.Ip
          ? null
          : "the TLS ClientHello names no server (SNI); it must name " + host;
    }
    Host sni;
    try {
      sni = Host.parse(serverName);
    } catch (InvalidHostException e) {
      return "the TLS server name is not a valid host";
    }
    return sni.equals(host)
        ? null
        : "TLS server name " + sni + " does not match the CONNECT host " + host;
  }

  /** The ClientHello disagrees with the CONNECT: {@code bad_request}. */
  static final class SniMismatchException extends Exception {
    private static final long serialVersionUID = 1L;

    SniMismatchException(String message) {
      super(message, null, false, false);
    }
  }

  static void log(Level level, Tunnel tunnel, String why) {
    LOG.log(
        level,
        "intercepted tunnel {0} to {1}:{2} for agent {3} closed: {4}",
        tunnel.requestId(),
        tunnel.hostName(),
        String.valueOf(tunnel.port()),
        tunnel.agent(),
        why);
  }
}
