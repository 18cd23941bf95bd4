package dev.gatehouse.proxy.pipeline;

import dev.gatehouse.proxy.auth.ProxyAuthHandler;
import dev.gatehouse.proxy.deny.Refusals;
import dev.gatehouse.proxy.http.ForwardHandler;
import dev.gatehouse.proxy.http.HttpRequestGuard;
import dev.gatehouse.proxy.http.ProxyServerCodec;
import dev.gatehouse.proxy.http.UpstreamTls;
import dev.gatehouse.proxy.observe.CallKind;
import dev.gatehouse.proxy.observe.TlsMode;
import dev.gatehouse.proxy.tunnel.ConnectHandler;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Builds a client connection's pipeline: one handler per concern (STYLE habit 1), in the order a
 * request meets them. A connection past {@code limits.max_connections} gets a 503 with {@code
 * Retry-After} and is closed before anything is read.
 */
public final class ClientInitializer extends ChannelInitializer<SocketChannel> {
  private static final byte[] OVERLOADED = overloaded();

  private static byte[] overloaded() {
    String body =
        "Gatehouse is at its connection limit (limits.max_connections). This is not a policy"
            + " block: retry after a short wait.\n";
    return ("HTTP/1.1 503 Gatehouse is at its connection limit, retry later\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Retry-After: 1\r\n"
            + Refusals.DECISION_HEADER
            + ": deny\r\n"
            + "Connection: close\r\n"
            + "Content-Length: "
            + body.length()
            + "\r\n\r\n"
            + body)
        .getBytes(StandardCharsets.US_ASCII);
  }

  private final ProxyContext context;
  private final ChannelGroup channels;

  public ClientInitializer(ProxyContext context, ChannelGroup channels) {
    this.context = context;
    this.channels = channels;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    if (!context.tryOpenConnection()) {
      context.metrics().rejectedConnection("total");
      ch.writeAndFlush(Unpooled.wrappedBuffer(OVERLOADED)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    channels.add(ch);
    install(ch.pipeline(), context);
  }

  /** The client stages, in order; also used by handler tests on an {@code EmbeddedChannel}. */
  public static void install(ChannelPipeline p, ProxyContext context) {
    p.addLast(Stages.CONNECTION, new ConnectionTracker(context));
    p.addLast(Stages.IDLE, new IdleTimeoutHandler(context.limits().idleTimeout().toMillis()));
    p.addLast(
        Stages.CODEC,
        new ProxyServerCodec(
            context.limits().maxHeaderBytes(), context.limits().idleTimeout().toMillis()));
    p.addLast(
        Stages.SEQUENCER,
        new ExchangeSequencer(context, CallKind.HTTP, Optional.empty(), TlsMode.NONE, null));
    p.addLast(Stages.GUARD, new HttpRequestGuard());
    p.addLast(Stages.AUTH, new ProxyAuthHandler(context));
    p.addLast(Stages.POLICY, PolicyHandler.forward());
    p.addLast(Stages.CONNECT, new ConnectHandler(context));
    p.addLast(Stages.FORWARD, new ForwardHandler(context, UpstreamTls.PLAINTEXT));
  }
}
