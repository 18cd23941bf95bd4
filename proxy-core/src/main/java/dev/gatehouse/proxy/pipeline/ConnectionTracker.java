package dev.gatehouse.proxy.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Counts the connection against {@code limits.max_connections} while it is open. */
final class ConnectionTracker extends ChannelInboundHandlerAdapter {
  private final ProxyContext context;
  private boolean open = true;

  ConnectionTracker(ProxyContext context) {
    this.context = context;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    close();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    close();
  }

  private void close() {
    if (open) {
      open = false;
      context.connectionClosed();
    }
  }
}
