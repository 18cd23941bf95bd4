package dev.gatehouse.proxy.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection (keep-alive or tunnel) that neither sent nor received anything for
 * {@code limits.idle_timeout}. A tunnel's upstream closes with it.
 */
public final class IdleTimeoutHandler extends IdleStateHandler {
  public IdleTimeoutHandler(long idleMillis) {
    super(0, 0, idleMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
    ctx.close();
  }
}
