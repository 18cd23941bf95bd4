package dev.gatehouse.proxy.tls;

import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.pipeline.Exchange;
import dev.gatehouse.proxy.tunnel.Tunnel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.System.Logger.Level;
import javax.net.ssl.SSLException;

/**
 * Sits right behind the client-side TLS of an intercepted tunnel and closes it on any failure
 * there: a ClientHello that names another host ({@code bad_request}), a leaf that could not be
 * minted, or a client that rejected the leaf or broke the TLS stream. Nothing it sees has gone
 * upstream: inner requests are decided only after they are decrypted and decoded.
 */
final class InterceptGuard extends ChannelInboundHandlerAdapter {
  static final String NAME = "intercept-guard";

  private final Tunnel tunnel;
  private final Exchange exchange;

  InterceptGuard(Tunnel tunnel, Exchange exchange) {
    this.tunnel = tunnel;
    this.exchange = exchange;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    InterceptStage.SniMismatchException sni =
        find(cause, InterceptStage.SniMismatchException.class);
    CaException ca = find(cause, CaException.class);
    if (sni != null) {
      refuse(ctx, tunnel, exchange, sni.getMessage());
    } else if (ca != null) {
      InterceptStage.log(Level.WARNING, tunnel, "no leaf certificate: " + ca.getMessage());
      ctx.close();
    } else {
      // typically the client does not trust Gatehouse's CA (sandbox not set up: gatehouse env)
      SSLException ssl = find(cause, SSLException.class);
      InterceptStage.log(
          Level.DEBUG, tunnel, "TLS with the client failed: " + (ssl != null ? ssl : cause));
      ctx.close();
    }
  }

  /** Closes the tunnel, recording {@code bad_request} on its call. */
  static void refuse(ChannelHandlerContext ctx, Tunnel tunnel, Exchange exchange, String why) {
    if (exchange != null) {
      exchange.decision(exchange.decision().deny(Reason.BAD_REQUEST, true));
    }
    InterceptStage.log(Level.INFO, tunnel, why);
    ctx.close();
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (int i = 0; t != null && i < 16; i++, t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
