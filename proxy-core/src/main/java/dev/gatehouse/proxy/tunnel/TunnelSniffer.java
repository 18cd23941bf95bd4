package dev.gatehouse.proxy.tunnel;

import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.InvalidHostException;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.http.InnerHttp;
import dev.gatehouse.proxy.http.UpstreamTls;
import dev.gatehouse.proxy.observe.TlsMode;
import dev.gatehouse.proxy.pipeline.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;

/**
 * Checks a tunnel's first bytes before any byte goes upstream (SPEC §3), then replaces itself: a
 * TLS ClientHello must name the CONNECT host in its SNI (an IP-literal CONNECT may omit it) and is
 * then relayed; plain HTTP is decoded and every request in it decided on its own ({@link
 * InnerHttp}); anything else is relayed only when an allow rule names the port explicitly. A failed
 * check closes the tunnel with reason {@code bad_request}; these checks hold in report mode too,
 * because a tunnel that lies about where it goes defeats every rule.
 */
final class TunnelSniffer extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(TunnelSniffer.class.getName());
  static final int MAX_SNIFF_BYTES = ClientHello.MAX_HANDSHAKE + 4 * 5 + 16;
  private static final int MAX_METHOD = 16;

  private final Tunnel tunnel;
  private final Exchange exchange;
  private final Channel upstream;
  private ByteBuf buffered;

  /**
   * @param upstream the connected upstream channel (reads off, no handlers yet)
   */
  TunnelSniffer(Tunnel tunnel, Exchange exchange, Channel upstream) {
    this.tunnel = tunnel;
    this.exchange = exchange;
    this.upstream = upstream;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    buffered =
        buffered == null
            ? in
            : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), buffered, in);
    if (buffered.isReadable()) {
      classify(ctx);
    }
  }

  private void classify(ChannelHandlerContext ctx) {
    int first = buffered.getUnsignedByte(buffered.readerIndex());
    if (first == 22) {
      ClientHello.Result r = ClientHello.parse(buffered);
      if (r instanceof ClientHello.NeedMore) {
        if (buffered.readableBytes() > MAX_SNIFF_BYTES) {
          deny(ctx, "the TLS ClientHello is too large");
        }
      } else if (r instanceof ClientHello.Malformed m) {
        deny(ctx, "not a valid TLS ClientHello: " + m.why());
      } else {
        checkSni(ctx, ((ClientHello.Hello) r).serverName());
      }
      return;
    }
    switch (sniffHttp(buffered)) {
      case YES -> plainHttp(ctx);
      case MAYBE -> {}
      case NO -> {
        if (OpaqueTunnels.allowed(
            exchange.policy().engine(), tunnel.agent(), tunnel.host(), tunnel.port())) {
          relay(ctx);
        } else {
          deny(
              ctx,
              "the tunnel carries neither TLS nor HTTP; other protocols need an allow rule that names port "
                  + tunnel.port());
        }
      }
    }
  }

  private void checkSni(ChannelHandlerContext ctx, String serverName) {
    if (serverName == null) {
      if (tunnel.host() instanceof Host.Ip) {
        relay(ctx);
      } else {
        deny(ctx, "the TLS ClientHello names no server (SNI); it must name " + tunnel.hostName());
      }
      return;
    }
    Host sni;
    try {
      sni = Host.parse(serverName);
    } catch (InvalidHostException e) {
      deny(ctx, "the TLS server name is not a valid host");
      return;
    }
    if (sni.equals(tunnel.host())) {
      relay(ctx);
    } else {
      deny(ctx, "TLS server name " + sni + " does not match the CONNECT host " + tunnel.hostName());
    }
  }

  enum Sniff {
    YES,
    NO,
    MAYBE
  }

  /** An HTTP/1 request line starts with an upper-case method token and a space. */
  static Sniff sniffHttp(ByteBuf b) {
    int n = Math.min(b.readableBytes(), MAX_METHOD + 1);
    for (int i = 0; i < n; i++) {
      int c = b.getUnsignedByte(b.readerIndex() + i);
      if (c == ' ') {
        return i > 0 ? Sniff.YES : Sniff.NO;
      }
      if (c < 'A' || c > 'Z') {
        return Sniff.NO;
      }
    }
    return n > MAX_METHOD ? Sniff.NO : Sniff.MAYBE;
  }

  private void relay(ChannelHandlerContext ctx) {
    Channel client = ctx.channel();
    ByteBuf first = buffered;
    buffered = null;
    upstream.pipeline().addLast("relay", new RelayHandler(client));
    ctx.pipeline().replace(this, "relay", new RelayHandler(upstream));
    upstream
        .writeAndFlush(first)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                client.close();
                upstream.close();
              } else if (upstream.isWritable()) {
                client.read();
              }
            });
    upstream.read();
  }

  private void plainHttp(ChannelHandlerContext ctx) {
    upstream.close(); // each inner request gets its own decision and pooled connection
    ByteBuf first = buffered;
    buffered = null;
    InnerHttp.install(ctx.pipeline(), tunnel, TlsMode.NONE, UpstreamTls.PLAINTEXT);
    ctx.fireChannelRead(first);
    ctx.fireChannelReadComplete();
    ctx.pipeline().remove(this);
  }

  private void deny(ChannelHandlerContext ctx, String why) {
    exchange.decision(exchange.decision().deny(Reason.BAD_REQUEST, true));
    LOG.log(
        Level.INFO,
        "tunnel {0} to {1}:{2} for agent {3} closed: {4}",
        tunnel.requestId(),
        tunnel.hostName(),
        String.valueOf(tunnel.port()),
        tunnel.agent(),
        why);
    release();
    upstream.close();
    ctx.close();
  }

  private void release() {
    if (buffered != null) {
      buffered.release();
      buffered = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    release();
    upstream.close();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    release();
    upstream.close();
    ctx.close();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }
}
