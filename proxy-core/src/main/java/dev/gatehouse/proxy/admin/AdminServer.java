package dev.gatehouse.proxy.admin;

import dev.gatehouse.proxy.metrics.MetricsRegistry;
import dev.gatehouse.proxy.net.Transport;
import dev.gatehouse.proxy.reload.ModeSwitch;
import dev.gatehouse.proxy.reload.PolicyHolder;
import dev.gatehouse.proxy.reload.PolicyReloader;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.net.InetSocketAddress;

/** The admin listener (default {@code 127.0.0.1:3129}); see {@link AdminHandler}. */
public final class AdminServer {
  private AdminServer() {}

  /** Binds the admin listener; the returned channel's close stops it. */
  public static Channel start(
      EventLoopGroup group,
      Transport transport,
      InetSocketAddress listen,
      String token,
      String tokenEnv,
      MetricsRegistry metrics,
      PolicyHolder policy,
      PolicyReloader reloader,
      ModeSwitch modes,
      RecentDecisions recent)
      throws IOException {
    AdminHandler handler =
        new AdminHandler(token, tokenEnv, metrics, policy, reloader, modes, recent);
    ChannelFuture f =
        new ServerBootstrap()
            .group(group)
            .channel(transport.serverChannel())
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new ReadTimeoutHandler(30))
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(64 * 1024))
                        .addLast(handler);
                  }
                })
            .bind(listen)
            .awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new IOException(
          "cannot listen on " + listen + " (admin): " + f.cause().getMessage(), f.cause());
    }
    return f.channel();
  }
}
