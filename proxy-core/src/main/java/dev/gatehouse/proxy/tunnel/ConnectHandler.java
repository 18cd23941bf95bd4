package dev.gatehouse.proxy.tunnel;

import dev.gatehouse.config.model.ServerConfig.InterceptMode;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.http.ProxyServerCodec;
import dev.gatehouse.proxy.http.RequestTarget;
import dev.gatehouse.proxy.net.Resolution;
import dev.gatehouse.proxy.pipeline.Exchange;
import dev.gatehouse.proxy.pipeline.ProxyContext;
import dev.gatehouse.proxy.pipeline.ReadGate;
import dev.gatehouse.proxy.pipeline.Stages;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Sets up an allowed CONNECT (SPEC §3): resolves the host once and checks every address, connects
 * to a checked one (so refusals and timeouts still get a 502/504 the client can read), answers
 * {@code 200 Connection established}, then replaces the HTTP stages and itself with the tunnel's:
 * the {@link TunnelSniffer} that checks the first bytes, or the {@link TunnelInterceptor} when the
 * host's rules need inspection. The codec leaves the bytes the client sent after the CONNECT in its
 * buffer; removing it hands them to the tunnel stage.
 */
public final class ConnectHandler extends ChannelInboundHandlerAdapter {
  private final ProxyContext context;

  public ConnectHandler(ProxyContext context) {
    this.context = context;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Exchange ex = Exchange.current(ctx.channel());
    if (ex == null || !ex.isConnect()) {
      ctx.fireChannelRead(msg);
      return;
    }
    ReferenceCountUtil.release(msg);
    if (msg instanceof HttpRequest) {
      start(ctx, ex);
    }
  }

  private void start(ChannelHandlerContext ctx, Exchange ex) {
    ReadGate.pause(ctx.channel(), ReadGate.CONNECTING);
    RequestTarget target = ex.requestTarget();
    InterceptMode mode = context.config().tls().intercept();
    boolean inspect = ex.decision().inspect() || mode == InterceptMode.ALWAYS;
    if (inspect && (mode == InterceptMode.NEVER || !context.interceptor().available())) {
      ex.refuse(
          ctx,
          403,
          ex.decision().deny(Reason.METHOD_NOT_ALLOWED, true),
          "its rules allow only some methods or paths, which needs TLS interception, and interception is not configured");
      return;
    }
    context
        .resolver()
        .resolve(ctx.channel().eventLoop(), target.host(), target.port(), ex.policy().engine())
        .addListener(f -> resolved(ctx, ex, inspect, (Resolution) f.getNow()));
  }

  private void resolved(ChannelHandlerContext ctx, Exchange ex, boolean inspect, Resolution r) {
    if (!ctx.channel().isActive()) {
      return;
    }
    if (r instanceof Resolution.Blocked blocked) {
      String detail =
          ex.requestTarget().host() instanceof Host.Ip
              ? ""
              : "it resolves to " + blocked.address().getHostAddress();
      ex.refuse(ctx, 403, ex.decision().deny(blocked.reason(), true), detail);
    } else if (r instanceof Resolution.Unresolved u) {
      ex.refuse(ctx, 502, ex.decision().deny(Reason.UPSTREAM_ERROR, true), u.cause());
    } else if (inspect) {
      established(ctx, ex, null);
    } else {
      connect(ctx, ex, ((Resolution.Allowed) r).addresses(), 0);
    }
  }

  private void connect(
      ChannelHandlerContext ctx, Exchange ex, List<InetSocketAddress> addresses, int index) {
    InetSocketAddress address = addresses.get(index);
    long t0 = System.nanoTime();
    ChannelFuture f =
        new Bootstrap()
            .group(ctx.channel().eventLoop())
            .channel(context.pool().transport().socketChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, context.pool().connectTimeoutMillis())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .handler(new ChannelInboundHandlerAdapter())
            .connect(address);
    f.addListener(
        done -> {
          context.pool().connected(done.isSuccess(), t0);
          Channel up = f.channel();
          if (!ctx.channel().isActive()) {
            up.close();
            return;
          }
          if (done.isSuccess()) {
            ex.peerAddress(address.getAddress().getHostAddress() + ":" + address.getPort());
            established(ctx, ex, up);
            return;
          }
          Throwable cause = done.cause();
          if (cause instanceof ConnectException
              && !(cause instanceof ConnectTimeoutException)
              && index + 1 < addresses.size()) {
            connect(ctx, ex, addresses, index + 1);
            return;
          }
          Decision d = ex.decision().deny(Reason.UPSTREAM_ERROR, true);
          if (cause instanceof ConnectTimeoutException) {
            ex.refuse(ctx, 504, d, "");
          } else {
            String where = address.getAddress().getHostAddress() + ":" + address.getPort();
            ex.refuse(
                ctx,
                502,
                d,
                cause instanceof ConnectException
                    ? "connection refused by " + where
                    : String.valueOf(cause.getMessage()) + " (" + where + ")");
          }
        });
  }

  /** 200, then the pipeline switches to raw bytes, keeping what was already read. */
  private void established(ChannelHandlerContext ctx, Exchange ex, Channel upstream) {
    Channel client = ctx.channel();
    ex.handOff();
    RequestTarget target = ex.requestTarget();
    Tunnel tunnel =
        new Tunnel(
            ex.requestId(),
            ex.agent() == null ? "anonymous" : ex.agent(),
            target.host(),
            target.port(),
            ex.decision(),
            ex.call(),
            ex.clientAddress(),
            context,
            ex);
    ctx.writeAndFlush(
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, new HttpResponseStatus(200, "Connection established")));
    ChannelPipeline p = ctx.pipeline();
    String codec = p.context(ProxyServerCodec.class).name();
    for (String name : Stages.HTTP_STAGES) {
      if (p.get(name) != null && p.get(name) != this) {
        p.remove(name);
      }
    }
    p.addAfter(codec, Stages.TUNNEL, new TunnelCallTracker(ex, context.metrics()));
    if (upstream == null) {
      context.interceptor().install(p, tunnel);
    } else {
      p.addLast("sniff", new TunnelSniffer(tunnel, ex, upstream));
    }
    p.remove(this);
    ReadGate.resume(client, ReadGate.CONNECTING | ReadGate.PIPELINE | ReadGate.PEER_FULL);
    // the codec's leftover bytes (a ClientHello sent with the CONNECT) go to the tunnel stage now
    p.remove(codec);
  }
}
