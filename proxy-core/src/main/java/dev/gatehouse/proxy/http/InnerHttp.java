package dev.gatehouse.proxy.http;

import dev.gatehouse.proxy.observe.CallKind;
import dev.gatehouse.proxy.observe.TlsMode;
import dev.gatehouse.proxy.pipeline.ExchangeSequencer;
import dev.gatehouse.proxy.pipeline.PolicyHandler;
import dev.gatehouse.proxy.pipeline.ProxyContext;
import dev.gatehouse.proxy.tunnel.Tunnel;
import io.netty.channel.ChannelPipeline;
import java.util.Optional;

/**
 * The HTTP stages for requests inside a tunnel: plain HTTP sent through CONNECT (undici does this),
 * or the decrypted side of an intercepted tunnel. Every inner request is decided on its own, for
 * the tunnel's agent, with its {@code Host} required to name the tunnel's host, and reports a call
 * whose parent is the tunnel's.
 */
public final class InnerHttp {
  private InnerHttp() {}

  /**
   * Appends the inner-request stages to {@code pipeline} (after whatever decrypts the bytes).
   *
   * @param mode {@link TlsMode#NONE} for plain HTTP in a tunnel, {@link TlsMode#INTERCEPT} behind
   *     an interception stage
   * @param tls how upstream connections are secured: {@link UpstreamTls#PLAINTEXT}, or the
   *     interception stage's verified TLS
   */
  public static void install(
      ChannelPipeline pipeline, Tunnel tunnel, TlsMode mode, UpstreamTls tls) {
    ProxyContext context = tunnel.context();
    boolean intercept = mode == TlsMode.INTERCEPT;
    pipeline.addLast(
        "inner-codec",
        new ProxyServerCodec(
            context.limits().maxHeaderBytes(), context.limits().idleTimeout().toMillis()));
    pipeline.addLast(
        "inner-sequencer",
        new ExchangeSequencer(
            context,
            intercept ? CallKind.INTERCEPTED : CallKind.HTTP,
            Optional.of(tunnel.call()),
            mode,
            tunnel.agent()));
    pipeline.addLast("inner-guard", new HttpRequestGuard());
    pipeline.addLast(
        "inner-policy",
        PolicyHandler.inTunnel(tunnel.host(), tunnel.port(), intercept ? "https" : "http"));
    pipeline.addLast("inner-forward", new ForwardHandler(context, tls));
    pipeline.channel().config().setAutoRead(true);
  }
}
