package dev.gatehouse.proxy.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection (keep-alive or tunnel) that neither sent nor received anything for
 * {@code limits.idle_timeout}. A tunnel's upstream closes with it. While a forwarded request waits
 * for its upstream the event goes on to the {@code ForwardHandler}, which answers 504.
 */
public final class IdleTimeoutHandler extends IdleStateHandler {
  public IdleTimeoutHandler(long idleMillis) {
    super(0, 0, idleMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
    Exchange ex = Exchange.current(ctx.channel());
    if (ex != null && !ex.ended() && !ex.handedOff()) {
      // a request waits on its upstream: the forward stage answers 504 (SPEC §3) and decides
      // whether the connection survives; it closes the connection when it has nothing to answer
      ctx.fireUserEventTriggered(evt);
    } else {
      ctx.close();
    }
  }
}
